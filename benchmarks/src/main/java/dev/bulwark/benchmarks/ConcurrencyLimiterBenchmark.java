package dev.bulwark.benchmarks;

import com.netflix.concurrency.limits.Limit;
import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import com.netflix.concurrency.limits.limit.VegasLimit;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import dev.bulwark.limit.ConcurrencyLimiter;
import dev.bulwark.limit.ConcurrencyLimiterConfig;
import dev.bulwark.limit.LimitAlgorithm;
import dev.bulwark.limit.LimiterPermit;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One call through an adaptive concurrency limiter's permit layer: acquire, then report success. The limiter
 * measures the round trip itself, counts the call in flight, and feeds the sample to its algorithm. Netflix
 * reads the clock twice for every call; Bulwark does while it sees few calls, then times a sample of a few
 * hundred calls per window and counts the rest exactly.
 *
 * <ul>
 *   <li>{@code bulwark}: {@code ConcurrencyLimiter.tryAcquirePermit()} then {@code LimiterPermit.onSuccess()};
 *       samples go to a lock-free histogram and the algorithm runs once per window.</li>
 *   <li>{@code netflix}: concurrency-limits 0.5.3 {@code SimpleLimiter.acquire(null)} then
 *       {@code Listener.onSuccess()}; its {@code AbstractLimit.onSample} is {@code synchronized} and runs the
 *       algorithm on every sample.</li>
 *   <li>{@code baseline}: a bare semaphore, which measures nothing: an atomic in-flight increment checked
 *       against a limit, and a decrement.</li>
 * </ul>
 * {@code algorithm} selects Gradient2 / our gradient or Vegas / our Vegas. Limits start at 1000 with a floor
 * of 100, far above the thread count, so no call is rejected and the figures measure the admission path. Run
 * at 1 and 2 threads with allocation profiling:
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar ConcurrencyLimiterBenchmark -t 1 -prof gc
 * java -jar benchmarks/target/benchmarks.jar ConcurrencyLimiterBenchmark -t 2 -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ConcurrencyLimiterBenchmark {

  @Param({"gradient", "vegas"})
  public String algorithm;

  private ConcurrencyLimiter bulwarkLimiter;
  private Limiter<Void> netflixLimiter;
  private final AtomicInteger baselineInflight = new AtomicInteger();

  @Setup
  public void setUp() {
    LimitAlgorithm ours;
    Limit theirs;
    switch (algorithm) {
      case "gradient":
        ours = LimitAlgorithm.gradient().initialLimit(1000).minLimit(100).maxLimit(1000).build();
        theirs = Gradient2Limit.newBuilder().initialLimit(1000).minLimit(100).maxConcurrency(1000).build();
        break;
      case "vegas":
        ours = LimitAlgorithm.vegas().initialLimit(1000).minLimit(100).maxLimit(1000).build();
        theirs = VegasLimit.newBuilder().initialLimit(1000).maxConcurrency(1000).build();
        break;
      default:
        throw new IllegalArgumentException("unknown algorithm " + algorithm);
    }
    bulwarkLimiter = ConcurrencyLimiter.of("bench",
        ConcurrencyLimiterConfig.builder().algorithm(ours).build());
    netflixLimiter = SimpleLimiter.newBuilder().limit(theirs).build();
  }

  @Benchmark
  public void bulwark() {
    LimiterPermit permit = bulwarkLimiter.tryAcquirePermit();
    if (permit != null) {
      permit.onSuccess();
    }
  }

  @Benchmark
  public void netflix() {
    Optional<Limiter.Listener> listener = netflixLimiter.acquire(null);
    if (listener.isPresent()) {
      listener.get().onSuccess();
    }
  }

  @Benchmark
  public boolean baseline() {
    boolean admitted = baselineInflight.incrementAndGet() <= 1000;
    baselineInflight.decrementAndGet();
    return admitted;
  }
}
