package dev.bulwark.benchmarks;

import dev.bulwark.retry.Retry;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import dev.failsafe.function.CheckedSupplier;
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
 * The cost of a retry on the common path: a call that succeeds at the first attempt. Each library is
 * decorated once, with its defaults (Bulwark's include a retry budget), and called many times; run with
 * {@code -t 1} and {@code -t 2}, and {@code -prof gc} for the allocation per call.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar RetryBenchmark -t 1 -prof gc
 * java -jar benchmarks/target/benchmarks.jar RetryBenchmark -t 2 -prof gc
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RetryBenchmark {
  private String value;
  private Supplier<String> call;
  private Supplier<String> bulwark;
  private Supplier<String> resilience4j;
  private FailsafeExecutor<String> failsafe;
  private CheckedSupplier<String> failsafeCall;

  @Setup
  public void setUp() {
    value = "ok";
    call = () -> value;
    bulwark = Retry.ofDefaults("bench").decorate(call);
    resilience4j = io.github.resilience4j.retry.Retry.decorateSupplier(
        io.github.resilience4j.retry.Retry.ofDefaults("bench"), call);
    failsafe = Failsafe.with(RetryPolicy.<String>ofDefaults());
    failsafeCall = call::get; // Failsafe has no decorate-once; its executor takes the call each time
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
}
