package dev.bulwark.benchmarks;

import dev.bulwark.Permit;
import dev.bulwark.bulkhead.Bulkhead;
import dev.bulwark.bulkhead.BulkheadConfig;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.function.CheckedSupplier;
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
 * A semaphore bulkhead around a trivial call, limit high enough never to reject: the cost of the bulkhead
 * itself (acquire, call, release) on the success path. Each library is decorated once; the benchmark method
 * only calls the decorated function.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar BulkheadBenchmark -t 1 -prof gc
 * java -jar benchmarks/target/benchmarks.jar BulkheadBenchmark -t 2 -prof gc
 * </pre>
 *
 * <p>{@code bulwarkPermit} measures Bulwark's permit layer ({@code tryAcquirePermit} + {@code onSuccess}),
 * which allocates one small permit per call so that completing a permit twice can never release someone
 * else's slot; the decorator path ({@code bulwark}) releases exactly once by construction and allocates
 * nothing.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BulkheadBenchmark {
  private static final int LIMIT = 10_000;

  private String value = "value";
  private Supplier<String> call;

  private Bulkhead bulwarkBulkhead;
  private Supplier<String> bulwark;
  private Supplier<String> resilience4j;
  private FailsafeExecutor<String> failsafe;
  private CheckedSupplier<String> failsafeCall;

  @Setup
  public void setUp() {
    call = () -> value;

    bulwarkBulkhead = Bulkhead.of("bench", BulkheadConfig.builder().maxConcurrentCalls(LIMIT).build());
    bulwark = bulwarkBulkhead.decorate(call);

    io.github.resilience4j.bulkhead.Bulkhead r4j = io.github.resilience4j.bulkhead.Bulkhead.of("bench",
        io.github.resilience4j.bulkhead.BulkheadConfig.custom()
            .maxConcurrentCalls(LIMIT).maxWaitDuration(Duration.ZERO).build());
    resilience4j = io.github.resilience4j.bulkhead.Bulkhead.decorateSupplier(r4j, call);

    dev.failsafe.Bulkhead<String> fs = dev.failsafe.Bulkhead.<String>builder(LIMIT)
        .withMaxWaitTime(Duration.ZERO).build();
    failsafe = Failsafe.with(fs);
    failsafeCall = call::get;
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
  public String bulwarkPermit() {
    Permit permit = bulwarkBulkhead.tryAcquirePermit();
    String result = call.get();
    permit.onSuccess(0);
    return result;
  }

  @Benchmark
  public String resilience4j() {
    return resilience4j.get();
  }

  @Benchmark
  public String failsafe() {
    return failsafe.get(failsafeCall);
  }
}
