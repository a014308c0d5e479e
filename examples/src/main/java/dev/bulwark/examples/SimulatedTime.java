package dev.bulwark.examples;

import dev.bulwark.Clock;
import java.time.Duration;

/** The tour's clock: virtual time that moves only when the tour says so, so a 2-minute story runs at once. */
final class SimulatedTime implements Clock {
  private long nanos;

  @Override
  public long nanoTime() {
    return nanos;
  }

  void advance(Duration duration) {
    nanos += duration.toNanos();
  }

  void advanceTo(long targetNanos) {
    nanos = Math.max(nanos, targetNanos);
  }

  double seconds() {
    return nanos / 1e9;
  }
}
