package dev.bulwark.limit;

import static dev.bulwark.limit.Simulation.MS;
import static dev.bulwark.limit.Simulation.SECOND;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.testing.ManualClock;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Virtual-time simulations of a server of fixed capacity (20 concurrent requests of 20 ms, so 1000 requests
 * per second) whose latency grows with its queue, with clients that give up after one second.
 */
class OverloadSimulationTest {
  static final int CAPACITY = 20;
  static final long SERVICE = 20 * MS;
  static final long TIMEOUT = SECOND;
  static final double CAPACITY_RPS = (double) CAPACITY * SECOND / SERVICE;

  static Stream<Arguments> adaptiveAlgorithms() {
    return Stream.of(
        Arguments.of("gradient", LimitAlgorithm.gradient().build()),
        Arguments.of("vegas", LimitAlgorithm.vegas().build()));
  }

  static ConcurrencyLimiter limiter(ManualClock clock, LimitAlgorithm algorithm) {
    return ConcurrencyLimiter.builder("server")
        .config(ConcurrencyLimiterConfig.builder().algorithm(algorithm).build())
        .clock(clock)
        .random(new SplittableRandom(7))
        .build();
  }

  /** Offered load ramping from half the capacity to three times it over the first minute, then held. */
  static long ramp(long t) {
    double factor = 0.5 + 2.5 * Math.min(1.0, (double) t / (60 * SECOND));
    return (long) (CAPACITY_RPS * factor);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("adaptiveAlgorithms")
  void underALoadRampingToThreeTimesCapacityTheLimiterKeepsGoodputNearCapacityAndLatencyBounded(
      String name, LimitAlgorithm algorithm) {
    ManualClock clock = new ManualClock();
    ConcurrencyLimiter limiter = limiter(clock, algorithm);
    Simulation sim = new Simulation(clock, CAPACITY, t -> SERVICE, TIMEOUT, 42)
        .sampleLimit(() -> limiter.metrics().limit())
        .run(Simulation.serverSide(limiter), 90 * SECOND,
            new Simulation.Source(50, OverloadSimulationTest::ramp));

    sim.print(name, 0, 90);
    String trace = name + "\n" + sim.trace(0, 90);
    assertThat(sim.goodputPerSecond(60, 90)).as(trace).isGreaterThan(0.85 * CAPACITY_RPS);
    assertThat(sim.latencyNanos(0.99, 60, 90)).as(trace).isLessThan(4 * SERVICE);
    assertThat(sim.maxLimit(30, 90)).as(trace).isLessThan(4 * CAPACITY);
  }

  @Test
  void withoutALimiterTheSameServerCollapses() {
    ManualClock clock = new ManualClock();
    Simulation sim = new Simulation(clock, CAPACITY, t -> SERVICE, TIMEOUT, 42)
        .run(Simulation.UNPROTECTED, 90 * SECOND, new Simulation.Source(50, OverloadSimulationTest::ramp))
        .print("unprotected", 0, 90);

    assertThat(sim.goodputPerSecond(60, 90)).as(sim.trace(0, 90)).isLessThan(0.1 * CAPACITY_RPS);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("adaptiveAlgorithms")
  void aLatencyStepMovesTheLimitDownAndBackUpWithinABoundedNumberOfWindows(String name,
      LimitAlgorithm algorithm) {
    ManualClock clock = new ManualClock();
    ConcurrencyLimiter limiter = limiter(clock, algorithm);
    // twice the capacity offered throughout; service time doubles from 30 s to 60 s
    Simulation sim = new Simulation(clock, CAPACITY,
        t -> t >= 30 * SECOND && t < 60 * SECOND ? 2 * SERVICE : SERVICE, TIMEOUT, 43)
        .sampleLimit(() -> limiter.metrics().limit())
        .run(Simulation.serverSide(limiter), 100 * SECOND,
            new Simulation.Source(50, t -> (long) (2 * CAPACITY_RPS)))
        .print(name, 0, 100);

    String trace = name + "\n" + sim.trace(0, 100);
    double before = sim.meanLimit(20, 30);
    // down within 10 windows (5 s) of the step up
    assertThat(sim.minLimit(30, 35)).as(trace).isLessThan((int) (0.75 * before));
    // back within 20 windows (10 s) of the step down, and staying there
    assertThat(sim.meanLimit(70, 100)).as(trace).isGreaterThan(0.8 * before);
    assertThat(sim.goodputPerSecond(70, 100)).as(trace).isGreaterThan(0.85 * CAPACITY_RPS);
    // and the latency is back to what it was: the no-load time was re-measured, not left inflated
    assertThat(sim.latencyNanos(0.5, 70, 100)).as(trace).isLessThan((long) (1.2 * sim.latencyNanos(0.5, 20, 30)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("adaptiveAlgorithms")
  void regression134_aSteadyModerateOverloadDoesNotLetTheLimitCreepUpward(String name,
      LimitAlgorithm algorithm) {
    ManualClock clock = new ManualClock();
    ConcurrencyLimiter limiter = limiter(clock, algorithm);
    // 30% over capacity for ten minutes: ten probe intervals
    Simulation sim = new Simulation(clock, CAPACITY, t -> SERVICE, TIMEOUT, 44)
        .sampleLimit(() -> limiter.metrics().limit())
        .run(Simulation.serverSide(limiter), 600 * SECOND,
            new Simulation.Source(50, t -> (long) (1.3 * CAPACITY_RPS)))
        .print(name, 0, 600);

    String trace = name + "\n" + sim.trace(0, 600);
    double early = sim.meanLimit(60, 180);
    double late = sim.meanLimit(480, 600);
    assertThat(late).as(trace).isLessThan(early * 1.1);
    assertThat(sim.maxLimit(60, 600)).as(trace).isLessThan(3 * CAPACITY);
    assertThat(sim.latencyNanos(0.99, 480, 600)).as(trace).isLessThan(4 * SERVICE);
    assertThat(sim.goodputPerSecond(480, 600)).as(trace).isGreaterThan(0.9 * CAPACITY_RPS);
  }
}
