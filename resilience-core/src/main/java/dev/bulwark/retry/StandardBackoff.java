package dev.bulwark.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The built-in strategies: none, fixed and exponential, each with an optional jitter applied after the cap.
 * A fixed delay is the exponential with {@code base == cap} and multiplier 1.
 */
final class StandardBackoff implements Backoff {
  static final StandardBackoff NONE = new StandardBackoff(0, 1.0, 0, Jitter.NONE, false);

  private final long baseNanos;
  private final double multiplier;
  private final long capNanos;
  private final Jitter jitter;
  private final boolean exponential;

  private StandardBackoff(long baseNanos, double multiplier, long capNanos, Jitter jitter, boolean exponential) {
    this.baseNanos = baseNanos;
    this.multiplier = multiplier;
    this.capNanos = capNanos;
    this.jitter = jitter;
    this.exponential = exponential;
  }

  static StandardBackoff fixed(long delayNanos) {
    return new StandardBackoff(delayNanos, 1.0, delayNanos, Jitter.NONE, false);
  }

  static StandardBackoff exponential(long baseNanos, double multiplier, long capNanos) {
    return new StandardBackoff(baseNanos, multiplier, capNanos, Jitter.NONE, true);
  }

  @Override
  public Backoff withJitter(Jitter jitter) {
    Objects.requireNonNull(jitter, "jitter");
    if (this == NONE) {
      return NONE; // every jitter of zero is zero
    }
    return jitter == this.jitter ? this : new StandardBackoff(baseNanos, multiplier, capNanos, jitter, exponential);
  }

  /** The capped, un-jittered delay {@code min(cap, base * multiplier^(retry-1))}. */
  long cappedNanos(int retry) {
    if (!exponential || retry <= 1 || multiplier == 1.0) {
      return baseNanos;
    }
    double delay = baseNanos * Math.pow(multiplier, retry - 1);
    return delay >= capNanos ? capNanos : (long) delay;
  }

  @Override
  public long delayNanos(int retry, long previousDelayNanos, RandomGenerator random) {
    long t = cappedNanos(retry);
    switch (jitter) {
      case FULL:
        return uniform(random, 0, t);
      case EQUAL:
        return uniform(random, t - t / 2, t);
      case DECORRELATED:
        long previous = Math.max(previousDelayNanos, baseNanos);
        long triple = previous > Long.MAX_VALUE / 3 ? Long.MAX_VALUE : previous * 3;
        return uniform(random, baseNanos, Math.min(capNanos, triple));
      default:
        return t;
    }
  }

  /** Uniform in {@code [low, high]}, both inclusive; {@code low} when the interval is empty. */
  static long uniform(RandomGenerator random, long low, long high) {
    if (high <= low) {
      return low;
    }
    return high == Long.MAX_VALUE ? random.nextLong(low, high) : random.nextLong(low, high + 1);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StandardBackoff other
        && baseNanos == other.baseNanos
        && Double.compare(multiplier, other.multiplier) == 0
        && capNanos == other.capNanos
        && jitter == other.jitter
        && exponential == other.exponential;
  }

  @Override
  public int hashCode() {
    return Objects.hash(baseNanos, multiplier, capNanos, jitter, exponential);
  }

  @Override
  public String toString() {
    String text;
    if (this == NONE) {
      return "Backoff.none()";
    } else if (exponential) {
      text = "Backoff.exponential(" + Duration.ofNanos(baseNanos) + ", " + multiplier + ", "
          + Duration.ofNanos(capNanos) + ")";
    } else {
      text = "Backoff.fixed(" + Duration.ofNanos(baseNanos) + ")";
    }
    return jitter == Jitter.NONE ? text : text + ".withJitter(" + jitter + ")";
  }
}
