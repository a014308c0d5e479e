package dev.bulwark.limit;

import dev.bulwark.internal.Check;
import java.time.Duration;
import java.util.Arrays;

/**
 * What a {@link ConcurrencyLimiter} observed during one sampling window: the round-trip times of the calls
 * that succeeded (as a histogram, so any percentile can be read), how many calls were dropped, how many were
 * rejected, and how busy the limiter was. A {@link LimitAlgorithm} turns one of these into the next limit.
 *
 * <p>Counts are exact. At high call rates the limiter times only a sample of the successful calls (at least
 * a few hundred per window, see {@link #timedSuccesses()}), which is all a percentile needs.
 *
 * <p>Dropped calls (timeouts, overload signals) never contribute a round-trip time: a call the dependency
 * refused in a millisecond says nothing about how fast it serves, so it must not look like a fast success.
 * Round-trip times are kept in log-scaled buckets, sixteen per power of two, so a percentile is accurate to
 * about 3%.
 *
 * <p>Samples are immutable. {@link #builder(long, long)} makes them for testing a custom algorithm.
 *
 * <pre>{@code
 * WindowSample sample = WindowSample.builder(0, 1_000_000_000L)
 *     .addRtt(20_000_000L, 90)            // 90 calls of 20 ms
 *     .addRtt(80_000_000L, 10)            // 10 calls of 80 ms
 *     .drops(2)
 *     .maxInflight(40)
 *     .build();
 * long p50 = sample.rttNanos(0.5);        // about 20 ms
 * }</pre>
 */
public final class WindowSample {
  private final long startNanos;
  private final long endNanos;
  private final long[] counts;
  private final long timed;
  private final long successes;
  private final long drops;
  private final long rejected;
  private final int maxInflight;

  WindowSample(long startNanos, long endNanos, long[] counts, long timed, long successes, long drops,
      long rejected, int maxInflight) {
    this.startNanos = startNanos;
    this.endNanos = endNanos;
    this.counts = counts;
    this.timed = timed;
    this.successes = successes;
    this.drops = drops;
    this.rejected = rejected;
    this.maxInflight = maxInflight;
  }

  /**
   * Starts a sample of the window {@code [startNanos, endNanos]}, for testing algorithms.
   *
   * @param startNanos when the window opened, on the limiter's clock
   * @param endNanos when it closed, not before {@code startNanos}
   * @return a builder
   */
  public static Builder builder(long startNanos, long endNanos) {
    return new Builder(startNanos, endNanos);
  }

  /**
   * Returns when the window opened, on the limiter's clock.
   *
   * @return nanoseconds
   */
  public long startNanos() {
    return startNanos;
  }

  /**
   * Returns when the window closed, on the limiter's clock: "now" for the algorithm.
   *
   * @return nanoseconds
   */
  public long endNanos() {
    return endNanos;
  }

  /**
   * Returns how long the window lasted.
   *
   * @return nanoseconds
   */
  public long durationNanos() {
    return endNanos - startNanos;
  }

  /**
   * Returns how many calls completed successfully.
   *
   * @return the number of successful calls
   */
  public long successes() {
    return successes;
  }

  /**
   * Returns how many of the successful calls were timed: all of them, unless the limiter saw so many calls
   * per window that it timed a sample (it keeps at least a few hundred per window); the round-trip
   * percentiles come from these.
   *
   * @return the number of round-trip samples
   */
  public long timedSuccesses() {
    return timed;
  }

  /**
   * Returns how many calls were dropped: timed out, signalled overload, or were slow enough to count as
   * dropped.
   *
   * @return the number of dropped calls
   */
  public long drops() {
    return drops;
  }

  /**
   * Returns the fraction of completed calls that were dropped, 0 when none completed.
   *
   * @return drops / (successes + drops)
   */
  public double dropRate() {
    long completed = successes + drops;
    return completed == 0 ? 0 : (double) drops / completed;
  }

  /**
   * Returns how many calls the limiter refused during the window for lack of capacity.
   *
   * @return the number of rejections
   */
  public long rejected() {
    return rejected;
  }

  /**
   * Returns the largest number of calls in flight at once during the window (approximately: concurrent
   * updates of the peak may lose a little).
   *
   * @return the peak in-flight count
   */
  public int maxInflight() {
    return maxInflight;
  }

  /**
   * Tells whether the limit was a real constraint in this window: calls were rejected, or the peak in-flight
   * count reached at least half the limit. Algorithms grow the limit only when it was used; otherwise an idle
   * service would see its limit drift to the maximum.
   *
   * @param limit the limit in force during the window
   * @return whether the window used the limit
   */
  public boolean limitUsed(int limit) {
    return rejected > 0 || 2L * maxInflight >= limit;
  }

  /**
   * Returns the round-trip time at quantile {@code quantile} of the successful calls, or -1 if there were none.
   *
   * <p>The value is interpolated within its bucket by rank: the k-th of c samples in a bucket reads as
   * {@code lower + width * (k - 0.5) / c}, so a lone sample reads as the bucket's midpoint.
   *
   * @param quantile in (0, 1], such as 0.5 for the median or 0.9
   * @return nanoseconds, accurate to about 3%, or -1
   */
  public long rttNanos(double quantile) {
    if (!(quantile > 0 && quantile <= 1)) {
      throw new IllegalArgumentException("quantile must be in (0, 1], was " + quantile);
    }
    if (timed == 0) {
      return -1;
    }
    long rank = Math.max(1, (long) Math.ceil(quantile * timed));
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      long c = counts[i];
      if (seen + c >= rank) {
        double position = (rank - seen - 0.5) / c;
        return LatencyHistogram.lowerBound(i) + (long) (position * LatencyHistogram.width(i));
      }
      seen += c;
    }
    return LatencyHistogram.midpoint(counts.length - 1);
  }

  /**
   * Returns the smallest round-trip time of the window (the lower bound of its bucket), or -1 if none.
   *
   * @return nanoseconds, or -1
   */
  public long minRttNanos() {
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] != 0) {
        return LatencyHistogram.lowerBound(i);
      }
    }
    return -1;
  }

  /**
   * Returns the mean round-trip time of the successful calls (from bucket midpoints), or -1 if none.
   *
   * @return nanoseconds, or -1
   */
  public long meanRttNanos() {
    if (timed == 0) {
      return -1;
    }
    double sum = 0;
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] != 0) {
        sum += (double) counts[i] * LatencyHistogram.midpoint(i);
      }
    }
    return (long) (sum / timed);
  }

  @Override
  public String toString() {
    return "WindowSample{duration=" + Duration.ofNanos(durationNanos())
        + ", successes=" + successes
        + ", drops=" + drops
        + ", rejected=" + rejected
        + ", maxInflight=" + maxInflight
        + (timed < successes ? ", timed=" + timed : "")
        + (timed > 0 ? ", p50=" + Duration.ofNanos(rttNanos(0.5)) + ", p90=" + Duration.ofNanos(rttNanos(0.9))
            : "")
        + '}';
  }

  /** Builds a {@link WindowSample} by hand, for testing limit algorithms. */
  public static final class Builder {
    private final long startNanos;
    private final long endNanos;
    private final long[] counts = new long[LatencyHistogram.BUCKETS];
    private long successes;
    private long drops;
    private long rejected;
    private int maxInflight;

    private Builder(long startNanos, long endNanos) {
      if (endNanos - startNanos < 0) {
        throw new IllegalArgumentException(
            "endNanos must be >= startNanos (" + startNanos + "), was " + endNanos);
      }
      this.startNanos = startNanos;
      this.endNanos = endNanos;
    }

    /**
     * Adds one successful call that took {@code nanos}.
     *
     * @param nanos the round-trip time, not negative
     * @return this builder
     */
    public Builder addRtt(long nanos) {
      return addRtt(nanos, 1);
    }

    /**
     * Adds {@code count} successful calls that each took {@code nanos}.
     *
     * @param nanos the round-trip time, not negative
     * @param count how many calls, not negative
     * @return this builder
     */
    public Builder addRtt(long nanos, long count) {
      if (nanos < 0) {
        throw new IllegalArgumentException("nanos must be >= 0, was " + nanos);
      }
      if (count < 0) {
        throw new IllegalArgumentException("count must be >= 0, was " + count);
      }
      counts[LatencyHistogram.index(nanos)] += count;
      successes += count;
      return this;
    }

    /**
     * Sets the number of dropped calls.
     *
     * @param drops not negative
     * @return this builder
     */
    public Builder drops(long drops) {
      if (drops < 0) {
        throw new IllegalArgumentException("drops must be >= 0, was " + drops);
      }
      this.drops = drops;
      return this;
    }

    /**
     * Sets the number of rejected calls.
     *
     * @param rejected not negative
     * @return this builder
     */
    public Builder rejected(long rejected) {
      if (rejected < 0) {
        throw new IllegalArgumentException("rejected must be >= 0, was " + rejected);
      }
      this.rejected = rejected;
      return this;
    }

    /**
     * Sets the peak in-flight count.
     *
     * @param maxInflight not negative
     * @return this builder
     */
    public Builder maxInflight(int maxInflight) {
      this.maxInflight = Check.notNegative("maxInflight", maxInflight);
      return this;
    }

    /**
     * Builds the sample.
     *
     * @return the sample
     */
    public WindowSample build() {
      return new WindowSample(startNanos, endNanos, Arrays.copyOf(counts, counts.length), successes, successes,
          drops, rejected, maxInflight);
    }
  }
}
