package dev.bulwark.benchmarks;

import dev.bulwark.ratelimit.RateLimiter;
import dev.bulwark.ratelimit.RateLimiterConfig;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.function.CheckedSupplier;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A rate limiter in front of a trivial call, the rate (a billion per second) high enough never to reject:
 * the cost of one admission decision on the success path. Each library is decorated once where it offers a
 * decorator; Bucket4j and Guava have none, so their benchmarks call {@code tryConsume}/{@code tryAcquire}
 * and then the call, as application code would.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar RateLimiterBenchmark -t 1 -prof gc
 * java -jar benchmarks/target/benchmarks.jar RateLimiterBenchmark -t 2 -prof gc
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RateLimiterBenchmark {
  private static final int PER_SECOND = 1_000_000_000;

  private String value = "value";
  private Supplier<String> call;

  private Supplier<String> bulwark;
  private Supplier<String> resilience4j;
  private FailsafeExecutor<String> failsafe;
  private CheckedSupplier<String> failsafeCall;
  private Bucket bucket4j;
  private com.google.common.util.concurrent.RateLimiter guava;

  @Setup
  public void setUp() {
    call = () -> value;

    RateLimiter limiter = RateLimiter.of("bench", RateLimiterConfig.builder()
        .limitForPeriod(PER_SECOND).period(Duration.ofSeconds(1)).build());
    bulwark = limiter.decorate(call);

    io.github.resilience4j.ratelimiter.RateLimiter r4j = io.github.resilience4j.ratelimiter.RateLimiter.of(
        "bench", io.github.resilience4j.ratelimiter.RateLimiterConfig.custom()
            .limitForPeriod(PER_SECOND).limitRefreshPeriod(Duration.ofSeconds(1))
            .timeoutDuration(Duration.ZERO).build());
    resilience4j = io.github.resilience4j.ratelimiter.RateLimiter.decorateSupplier(r4j, call);

    dev.failsafe.RateLimiter<String> fs = dev.failsafe.RateLimiter.<String>burstyBuilder(PER_SECOND,
        Duration.ofSeconds(1)).build();
    failsafe = Failsafe.with(fs);
    failsafeCall = call::get;

    bucket4j = Bucket.builder()
        .addLimit(Bandwidth.builder().capacity(PER_SECOND).refillGreedy(PER_SECOND, Duration.ofSeconds(1)).build())
        .build();

    guava = com.google.common.util.concurrent.RateLimiter.create(PER_SECOND);
  }

  @Benchmark
  public String baseline() {
    return call.get();
  }

  @Benchmark
  public String bulwark() {
    return bulwark.get();
  }

  @Benchmark
  public String resilience4j() {
    return resilience4j.get();
  }

  @Benchmark
  public String failsafe() {
    return failsafe.get(failsafeCall);
  }

  @Benchmark
  public String bucket4j() {
    if (!bucket4j.tryConsume(1)) {
      throw new IllegalStateException("rejected");
    }
    return call.get();
  }

  @Benchmark
  public String guava() {
    if (!guava.tryAcquire()) {
      throw new IllegalStateException("rejected");
    }
    return call.get();
  }
}
