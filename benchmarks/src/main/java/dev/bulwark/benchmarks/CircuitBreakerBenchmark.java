package dev.bulwark.benchmarks;

import dev.bulwark.CallNotPermittedException;
import dev.bulwark.Permit;
import dev.bulwark.circuitbreaker.CircuitBreaker;
import dev.bulwark.circuitbreaker.CircuitBreakerConfig;
import dev.failsafe.CircuitBreakerOpenException;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One protected call through a circuit breaker: Bulwark against Resilience4j 2.4.0 and Failsafe 3.3.2.
 *
 * <p>Every library is used decorate-once: the breaker and the decorated function (or Failsafe executor) are
 * built in setup, each benchmark call only invokes them. Scenarios ({@code @Param scenario}):
 * <ul>
 *   <li>{@code closed}: every call succeeds (the hot path every application pays);</li>
 *   <li>{@code open}: the breaker has been tripped open (for an hour) and rejects; each library's rejection
 *       exception is caught inside the benchmark method. Resilience4j is configured with
 *       {@code writableStackTraceEnabled(false)}, so no library pays for a stack trace.</li>
 * </ul>
 * {@code bulwarkPermit} measures Bulwark's permit layer directly (what a servlet filter or gRPC interceptor
 * uses): acquire, call, report. It reports a fixed duration, as an integration that already has the request's
 * timestamps would, so the figure is the permit layer's own cost and not two {@code System.nanoTime()} calls
 * (which cost over 100 ns each on some virtual machines). The decorated {@code bulwark} path reads the clock
 * only when the breaker needs durations (slow-call detection or outcome listeners; neither is configured
 * here), while Resilience4j and Failsafe always measure. {@code baseline} is the bare call. Run at 1 and 2
 * threads:
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar CircuitBreakerBenchmark -t 1 -prof gc
 * java -jar benchmarks/target/benchmarks.jar CircuitBreakerBenchmark -t 2 -prof gc
 * }</pre>
 * With {@code -prof gc}, {@code gc.alloc.rate.norm} is the bytes allocated per call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CircuitBreakerBenchmark {

  @Param({"closed", "open"})
  public String scenario;

  private Object payload;
  private Supplier<Object> call;

  private CircuitBreaker bulwark;
  private Supplier<Object> bulwarkDecorated;

  private io.github.resilience4j.circuitbreaker.CircuitBreaker resilience4j;
  private Supplier<Object> resilience4jDecorated;

  private FailsafeExecutor<Object> failsafe;
  private CheckedSupplier<Object> failsafeCall;

  @Setup
  public void setUp() {
    payload = new Object();
    Object result = payload;
    call = () -> result;
    Duration openForAnHour = Duration.ofHours(1);

    bulwark = CircuitBreaker.of("bulwark", CircuitBreakerConfig.builder().openDuration(openForAnHour).build());
    bulwarkDecorated = bulwark.decorate(call);

    resilience4j = io.github.resilience4j.circuitbreaker.CircuitBreaker.of("resilience4j",
        io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.custom()
            .writableStackTraceEnabled(false)
            .waitDurationInOpenState(openForAnHour)
            .build());
    resilience4jDecorated = io.github.resilience4j.circuitbreaker.CircuitBreaker.decorateSupplier(resilience4j, call);

    dev.failsafe.CircuitBreaker<Object> failsafeBreaker =
        dev.failsafe.CircuitBreaker.builder().withDelay(openForAnHour).build();
    failsafe = Failsafe.with(failsafeBreaker);
    failsafeCall = () -> result;

    if ("open".equals(scenario)) {
      bulwark.transitionToOpen();
      resilience4j.transitionToOpenState();
      failsafeBreaker.open();
    }
  }

  @Benchmark
  public Object baseline() {
    return call.get();
  }

  @Benchmark
  public Object bulwark() {
    try {
      return bulwarkDecorated.get();
    } catch (CallNotPermittedException rejected) {
      return rejected;
    }
  }

  @Benchmark
  public Object bulwarkPermit() {
    Permit permit = bulwark.tryAcquirePermit();
    if (permit == null) {
      return this;
    }
    Object result = call.get();
    permit.onResult(1_000, result);
    return result;
  }

  @Benchmark
  public Object resilience4j() {
    try {
      return resilience4jDecorated.get();
    } catch (io.github.resilience4j.circuitbreaker.CallNotPermittedException rejected) {
      return rejected;
    }
  }

  @Benchmark
  public Object failsafe() {
    try {
      return failsafe.get(failsafeCall);
    } catch (CircuitBreakerOpenException rejected) {
      return rejected;
    }
  }
}
