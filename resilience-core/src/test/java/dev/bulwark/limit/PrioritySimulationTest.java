package dev.bulwark.limit;

import static dev.bulwark.limit.Simulation.MS;
import static dev.bulwark.limit.Simulation.SECOND;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.testing.ManualClock;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A 10x spike of low-priority traffic against the simulated server of {@link OverloadSimulationTest} (20
 * concurrent requests of 20 ms: 1000 per second), with steady critical and normal traffic of 300 per second
 * each.
 */
class PrioritySimulationTest {
  static final int CAPACITY = 20;
  static final long SERVICE = 20 * MS;
  static final int CRITICAL = Priority.CRITICAL.value();
  static final int NORMAL = Priority.NORMAL.value();
  static final int LOW = Priority.LOW.value();

  static Simulation.Source[] traffic() {
    return new Simulation.Source[] {
        new Simulation.Source(CRITICAL, t -> 300),
        new Simulation.Source(NORMAL, t -> 300),
        new Simulation.Source(LOW, t -> t >= 30 * SECOND && t < 60 * SECOND ? 3000 : 300)};
  }

  @Test
  void aTenfoldSpikeOfLowPriorityTrafficLeavesCriticalTrafficAlmostEntirelyServed() {
    ManualClock clock = new ManualClock();
    LoadShedder shedder = LoadShedder.builder("api").clock(clock).random(new SplittableRandom(3)).build();
    Simulation sim = new Simulation(clock, CAPACITY, t -> SERVICE, SECOND, 11)
        .sampleLimit(() -> shedder.metrics().limit())
        .run(Simulation.serverSide(shedder), 90 * SECOND, traffic())
        .print("priorities", 0, 90);

    String trace = sim.trace(0, 90);
    long criticalOffered = sim.offered(CRITICAL, 30, 60);
    assertThat(sim.goodput(CRITICAL, 30, 60)).as(trace).isGreaterThan((long) (0.99 * criticalOffered));
    assertThat(sim.goodput(LOW, 30, 60)).as(trace).isLessThan(sim.offered(LOW, 30, 60) / 5);
    assertThat(sim.goodputPerSecond(30, 60)).as(trace).isGreaterThan(0.85 * 1000);
    assertThat(sim.latencyNanos(0.99, 30, 60)).as(trace).isLessThan(4 * SERVICE);
    // and after the spike everyone is served again
    assertThat(sim.goodput(LOW, 70, 90)).as(trace).isGreaterThan((long) (0.95 * sim.offered(LOW, 70, 90)));
  }

  @Test
  void withoutPrioritiesTheSameSpikeShedsCriticalTrafficLikeAnyOther() {
    ManualClock clock = new ManualClock();
    ConcurrencyLimiter limiter = ConcurrencyLimiter.builder("api").clock(clock).random(new SplittableRandom(3))
        .build();
    Simulation sim = new Simulation(clock, CAPACITY, t -> SERVICE, SECOND, 11)
        .run(Simulation.serverSide(limiter), 90 * SECOND, traffic());

    long criticalOffered = sim.offered(CRITICAL, 30, 60);
    assertThat(sim.goodput(CRITICAL, 30, 60)).isLessThan((long) (0.5 * criticalOffered));
  }
}
