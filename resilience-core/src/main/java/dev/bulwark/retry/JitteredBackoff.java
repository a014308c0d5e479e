package dev.bulwark.retry;

import java.util.Objects;
import java.util.random.RandomGenerator;

/** Full or equal jitter over a backoff that has no base and cap of its own (a custom one). */
final class JitteredBackoff implements Backoff {
  private final Backoff delegate;
  private final Jitter jitter;

  private JitteredBackoff(Backoff delegate, Jitter jitter) {
    this.delegate = delegate;
    this.jitter = jitter;
  }

  static Backoff of(Backoff delegate, Jitter jitter) {
    Objects.requireNonNull(jitter, "jitter");
    Backoff plain = delegate instanceof JitteredBackoff j ? j.delegate : delegate;
    switch (jitter) {
      case NONE:
        return plain;
      case FULL:
      case EQUAL:
        return new JitteredBackoff(plain, jitter);
      default:
        throw new IllegalArgumentException("jitter must be NONE, FULL or EQUAL for a custom backoff (DECORRELATED "
            + "needs the base and cap of Backoff.fixed or Backoff.exponential), was " + jitter);
    }
  }

  @Override
  public long delayNanos(int retry, long previousDelayNanos, RandomGenerator random) {
    long t = delegate.delayNanos(retry, previousDelayNanos, random);
    return jitter == Jitter.FULL
        ? StandardBackoff.uniform(random, 0, t)
        : StandardBackoff.uniform(random, t - t / 2, t);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JitteredBackoff other && delegate.equals(other.delegate) && jitter == other.jitter;
  }

  @Override
  public int hashCode() {
    return Objects.hash(delegate, jitter);
  }

  @Override
  public String toString() {
    return delegate + ".withJitter(" + jitter + ")";
  }
}
