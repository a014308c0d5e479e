package dev.bulwark.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/** A backoff computed by the user's {@link Backoff.DelayFunction}; its results are checked at run time. */
final class FunctionBackoff implements Backoff {
  private final DelayFunction function;

  FunctionBackoff(DelayFunction function) {
    this.function = function;
  }

  @Override
  public long delayNanos(int retry, long previousDelayNanos, RandomGenerator random) {
    Duration delay = function.delay(retry, Duration.ofNanos(Math.max(0, previousDelayNanos)));
    if (delay == null || delay.isNegative()) {
      throw new IllegalStateException(
          "the custom backoff " + function + " must return a delay >= 0, returned " + delay
              + " for retry " + retry);
    }
    return dev.bulwark.internal.Check.saturatedNanos(delay);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FunctionBackoff other && function.equals(other.function);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(function);
  }

  @Override
  public String toString() {
    return "Backoff.of(" + function + ")";
  }
}
