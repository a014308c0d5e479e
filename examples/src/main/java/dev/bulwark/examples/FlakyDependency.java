package dev.bulwark.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * An in-process stand-in for a remote service that goes through a bad patch on a fixed schedule: healthy,
 * then failing, then slow, then healthy again. Each call advances the simulated clock by its latency.
 */
final class FlakyDependency {

  /** One stretch of the schedule: from {@code startSeconds}, this error rate and this latency. */
  record Phase(double startSeconds, String description, double errorRate, Duration latency) {}

  private final SimulatedTime time;
  private final RandomGenerator random;
  private final List<Phase> schedule;
  private int served;

  FlakyDependency(SimulatedTime time, RandomGenerator random, List<Phase> schedule) {
    this.time = time;
    this.random = random;
    this.schedule = List.copyOf(schedule);
  }

  Phase phaseNow() {
    Phase current = schedule.get(0);
    for (Phase phase : schedule) {
      if (phase.startSeconds() <= time.seconds()) {
        current = phase;
      }
    }
    return current;
  }

  /** Serves one request: takes the phase's latency, then fails with the phase's probability. */
  String call() {
    Phase phase = phaseNow();
    served++;
    time.advance(phase.latency());
    if (random.nextDouble() < phase.errorRate()) {
      throw new UncheckedIOException(new IOException("inventory service: 503 Service Unavailable"));
    }
    return "stock=42";
  }

  int served() {
    return served;
  }
}
