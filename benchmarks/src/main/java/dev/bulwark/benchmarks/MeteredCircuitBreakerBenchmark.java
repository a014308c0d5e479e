package dev.bulwark.benchmarks;

import dev.bulwark.CallNotPermittedException;
import dev.bulwark.circuitbreaker.CircuitBreaker;
import dev.bulwark.circuitbreaker.CircuitBreakerConfig;
import dev.bulwark.micrometer.BulwarkMetrics;
import dev.bulwark.micrometer.PolicyMeters;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What binding a breaker's Micrometer meters costs per call: nothing, because the meters read the breaker's
 * own counters only when the registry is scraped.
 *
 * <p>{@code bulwark} calls a breaker with no meters, {@code bulwarkMetered} an identically configured breaker
 * bound to a {@link SimpleMeterRegistry} with {@link BulwarkMetrics}; {@code baseline} is the bare call. Both
 * breakers are decorated once in setup. Scenarios ({@code @Param scenario}): {@code closed}, every call
 * succeeds; {@code open}, the breaker was tripped open for an hour and rejects (the rejection is caught in the
 * benchmark method). The two breaker figures should be equal within noise, and with {@code -prof gc} both
 * should allocate nothing per call ({@code gc.alloc.rate.norm} about 0 B/op).
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar MeteredCircuitBreakerBenchmark -t 1 -prof gc
 * java -jar benchmarks/target/benchmarks.jar MeteredCircuitBreakerBenchmark -t 2 -prof gc
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MeteredCircuitBreakerBenchmark {

  @Param({"closed", "open"})
  public String scenario;

  private int counter;
  private Supplier<Integer> plain;
  private Supplier<Integer> metered;
  private PolicyMeters meters;

  @Setup
  public void setUp() {
    CircuitBreakerConfig config = CircuitBreakerConfig.builder().openDuration(Duration.ofHours(1)).build();
    CircuitBreaker unbound = CircuitBreaker.of("plain", config);
    CircuitBreaker bound = CircuitBreaker.of("metered", config);
    MeterRegistry meterRegistry = new SimpleMeterRegistry();
    meters = BulwarkMetrics.bind(bound, meterRegistry);
    if (scenario.equals("open")) {
      unbound.transitionToOpen();
      bound.transitionToOpen();
    }
    plain = unbound.decorate(this::work);
    metered = bound.decorate(this::work);
  }

  @TearDown
  public void tearDown() {
    meters.close();
  }

  private Integer work() {
    return ++counter & 0x7f; // Integer cache: no boxing allocation
  }

  /**
   * The bare call.
   *
   * @return the result
   */
  @Benchmark
  public Integer baseline() {
    return work();
  }

  /**
   * A breaker without meters.
   *
   * @return the result, or null when rejected
   */
  @Benchmark
  public Integer bulwark() {
    try {
      return plain.get();
    } catch (CallNotPermittedException e) {
      return null;
    }
  }

  /**
   * The same breaker with its meters bound.
   *
   * @return the result, or null when rejected
   */
  @Benchmark
  public Integer bulwarkMetered() {
    try {
      return metered.get();
    } catch (CallNotPermittedException e) {
      return null;
    }
  }
}
