package dev.bulwark.ratelimit;

import dev.bulwark.ContextPropagator;
import dev.bulwark.internal.Check;
import dev.bulwark.internal.Contexts;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The immutable configuration of a {@link RateLimiter}: a token bucket that admits {@code limitForPeriod}
 * permits per {@code period} on average, and at most {@code burstCapacity} at once after a quiet spell.
 *
 * <p>The bucket is implemented as GCRA (see {@link RateLimiter}): the emission interval is
 * {@code T = period / limitForPeriod}, exactly (as a fraction, not rounded to nanoseconds), and over any
 * interval of length {@code t} at most {@code t / T + burstCapacity} permits are admitted.
 *
 * <pre>{@code
 * RateLimiterConfig config = RateLimiterConfig.builder()
 *     .limitForPeriod(100)                  // 100 permits per second on average
 *     .period(Duration.ofSeconds(1))
 *     .burstCapacity(20)                    // but never more than 20 at once
 *     .maxWait(Duration.ofMillis(50))       // a caller may wait up to 50 ms for its turn
 *     .build();
 * }</pre>
 */
public final class RateLimiterConfig {

  /** The longest accepted {@link #maxWait()}: a day. Waits longer than that are a design error. */
  public static final Duration MAX_WAIT_LIMIT = Duration.ofDays(1);

  /** The default of {@link #limitForPeriod()}. */
  public static final int DEFAULT_LIMIT_FOR_PERIOD = 50;

  /** The default of {@link #period()}. */
  public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(1);

  private static final RateLimiterConfig DEFAULTS = builder().build();

  private final int limitForPeriod;
  private final long periodNanos;
  private final int burstCapacity;
  private final long maxWaitNanos;
  private final List<ContextPropagator> contextPropagators;

  private RateLimiterConfig(int limitForPeriod, long periodNanos, int burstCapacity, long maxWaitNanos,
      List<ContextPropagator> contextPropagators) {
    this.limitForPeriod = limitForPeriod;
    this.periodNanos = periodNanos;
    this.burstCapacity = burstCapacity;
    this.maxWaitNanos = maxWaitNanos;
    this.contextPropagators = contextPropagators;
  }

  /**
   * Returns the defaults: 50 permits per second, a burst of 50, no waiting.
   *
   * @return the default configuration
   */
  public static RateLimiterConfig defaults() {
    return DEFAULTS;
  }

  /**
   * Starts a configuration with every option at its default.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns how many permits are admitted per {@link #period()} on average. Default
   * {@value #DEFAULT_LIMIT_FOR_PERIOD}.
   *
   * @return the permits per period, at least 1
   */
  public int limitForPeriod() {
    return limitForPeriod;
  }

  /**
   * Returns the period over which {@link #limitForPeriod()} permits are admitted. Default one second.
   *
   * @return the period
   */
  public Duration period() {
    return Duration.ofNanos(periodNanos);
  }

  /**
   * Returns {@link #period()} in nanoseconds.
   *
   * @return the period in nanoseconds
   */
  public long periodNanos() {
    return periodNanos;
  }

  /**
   * Returns the most permits admitted at once after a quiet spell: the size of the bucket. Default:
   * {@link #limitForPeriod()}, so a full period's worth may be used in one burst. A request for more permits
   * than this can only be admitted by waiting.
   *
   * @return the burst capacity, at least 1
   */
  public int burstCapacity() {
    return burstCapacity;
  }

  /**
   * Returns how long {@link RateLimiter#acquire(int)} and the decorator methods may wait for permits. Default
   * zero: a caller is rejected at once, with the time until permits would be available. A
   * {@link dev.bulwark.Deadline} shortens the wait further.
   *
   * @return the longest wait
   */
  public Duration maxWait() {
    return Duration.ofNanos(maxWaitNanos);
  }

  /**
   * Returns {@link #maxWait()} in nanoseconds.
   *
   * @return the longest wait in nanoseconds
   */
  public long maxWaitNanos() {
    return maxWaitNanos;
  }

  /**
   * Returns the average rate in permits per second, {@code limitForPeriod / period}.
   *
   * @return the rate
   */
  public double permitsPerSecond() {
    return limitForPeriod * 1e9 / periodNanos;
  }

  /** The number of ticks per nanosecond: the denominator of the reduced emission interval. */
  long ticksPerNano() {
    return limitForPeriod / Rational.gcd(periodNanos, limitForPeriod);
  }

  /** The longest burst plus wait that the exact time scale can hold, in nanoseconds. */
  long maxWindowNanos() {
    return (Rational.TICK_BOUND - 1) / ticksPerNano();
  }

  /** The time a full burst takes to refill, {@code burstCapacity * period / limitForPeriod}, rounded up. */
  long burstNanos() {
    long g = Rational.gcd(periodNanos, limitForPeriod);
    long p = periodNanos / g;
    long l = limitForPeriod / g;
    long ticks = Rational.saturatedProduct(burstCapacity, p);
    return ticks == Long.MAX_VALUE ? Long.MAX_VALUE : Rational.ceilDiv(ticks, l);
  }

  /** The longest wait a single acquisition may ask for under this configuration. */
  long maxAcquireWaitNanos() {
    return Math.min(MAX_WAIT_LIMIT.toNanos(), maxWindowNanos() - burstNanos());
  }

  /**
   * Returns the propagators that carry the caller's context to the scheduler thread where an asynchronous
   * call that waited for its permit starts, in installation order (default: none).
   *
   * @return an immutable list, empty by default
   */
  public List<ContextPropagator> contextPropagators() {
    return contextPropagators;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof RateLimiterConfig)) {
      return false;
    }
    RateLimiterConfig that = (RateLimiterConfig) o;
    return limitForPeriod == that.limitForPeriod && periodNanos == that.periodNanos
        && burstCapacity == that.burstCapacity && maxWaitNanos == that.maxWaitNanos
        && contextPropagators.equals(that.contextPropagators);
  }

  @Override
  public int hashCode() {
    return Objects.hash(limitForPeriod, periodNanos, burstCapacity, maxWaitNanos, contextPropagators);
  }

  @Override
  public String toString() {
    return "RateLimiterConfig[limitForPeriod=" + limitForPeriod + ", period=" + period()
        + ", burstCapacity=" + burstCapacity + ", maxWait=" + maxWait()
        + ", contextPropagators=" + contextPropagators.size() + "]";
  }

  /** Builds a {@link RateLimiterConfig}; each option may be set once. */
  public static final class Builder {
    private int limitForPeriod = DEFAULT_LIMIT_FOR_PERIOD;
    private boolean limitForPeriodSet;
    private long periodNanos = DEFAULT_PERIOD.toNanos();
    private boolean periodSet;
    private int burstCapacity;
    private boolean burstCapacitySet;
    private long maxWaitNanos;
    private boolean maxWaitSet;
    private List<ContextPropagator> contextPropagators = List.of();
    private boolean contextPropagatorsSet;

    private Builder() {}

    /**
     * Sets how many permits are admitted per period on average.
     *
     * @param limitForPeriod the permits per period, at least 1
     * @return this builder
     */
    public Builder limitForPeriod(int limitForPeriod) {
      if (limitForPeriodSet) {
        throw new IllegalStateException("limitForPeriod was already set to " + this.limitForPeriod);
      }
      this.limitForPeriod = Check.positive("limitForPeriod", limitForPeriod);
      limitForPeriodSet = true;
      return this;
    }

    /**
     * Sets the period over which {@code limitForPeriod} permits are admitted.
     *
     * @param period the period, positive
     * @return this builder
     */
    public Builder period(Duration period) {
      if (periodSet) {
        throw new IllegalStateException("period was already set to " + Duration.ofNanos(periodNanos));
      }
      this.periodNanos = Check.positiveNanos("period", period);
      periodSet = true;
      return this;
    }

    /**
     * Sets the most permits admitted at once.
     *
     * @param burstCapacity the burst, at least 1
     * @return this builder
     */
    public Builder burstCapacity(int burstCapacity) {
      if (burstCapacitySet) {
        throw new IllegalStateException("burstCapacity was already set to " + this.burstCapacity);
      }
      this.burstCapacity = Check.positive("burstCapacity", burstCapacity);
      burstCapacitySet = true;
      return this;
    }

    /**
     * Sets how long a caller may wait for permits; zero rejects at once.
     *
     * @param maxWait the longest wait, in [0, 1 day]
     * @return this builder
     */
    public Builder maxWait(Duration maxWait) {
      if (maxWaitSet) {
        throw new IllegalStateException("maxWait was already set to " + Duration.ofNanos(maxWaitNanos));
      }
      this.maxWaitNanos = checkMaxWait("maxWait", maxWait);
      maxWaitSet = true;
      return this;
    }

    /**
     * Sets the propagators that carry the caller's thread-bound context (a logging MDC, a security context)
     * to an asynchronous call that waits for its permit: captured on the caller's thread when
     * {@link RateLimiter#callAsync} finds it must wait; installed on the scheduler thread around the call's
     * start when the permit is due, and around the completion of the returned stage (so a fallback sees the
     * context); closed, in reverse order, afterwards. Calls admitted at once, and all synchronous calls,
     * stay on the caller's thread and never touch them. Default: none.
     *
     * <pre>{@code
     * ContextPropagator user = ContextPropagator.ofThreadLocal(CurrentUser.HOLDER);
     * RateLimiterConfig config = RateLimiterConfig.builder()
     *     .limitForPeriod(100).maxWait(Duration.ofMillis(50)).contextPropagators(user).build();
     * }</pre>
     *
     * @param propagators the propagators, installed in this order and closed in reverse; none clears them
     * @return this builder
     * @throws IllegalStateException if the propagators were already set
     */
    public Builder contextPropagators(ContextPropagator... propagators) {
      this.contextPropagators = Contexts.setOnce(contextPropagatorsSet, contextPropagators, propagators);
      contextPropagatorsSet = true;
      return this;
    }

    /**
     * Checks the combination of options and builds the configuration.
     *
     * @return the configuration
     * @throws IllegalStateException if the rate is above one permit per nanosecond
     */
    public RateLimiterConfig build() {
      if (limitForPeriod > periodNanos) {
        throw new IllegalStateException("limitForPeriod / period must be at most 1 permit per nanosecond, was "
            + limitForPeriod + " per " + Duration.ofNanos(periodNanos));
      }
      RateLimiterConfig config = new RateLimiterConfig(limitForPeriod, periodNanos,
          burstCapacitySet ? burstCapacity : limitForPeriod, maxWaitNanos, contextPropagators);
      long window = config.maxWindowNanos();
      long burstNanos = config.burstNanos();
      if (burstNanos > window || maxWaitNanos > window - burstNanos) {
        throw new IllegalStateException("burstCapacity * period / limitForPeriod + maxWait must be at most "
            + Duration.ofNanos(window) + " for a rate of " + limitForPeriod + " per " + Duration.ofNanos(periodNanos)
            + " (kept exact in steps of 1/" + config.ticksPerNano() + " ns), was "
            + Duration.ofNanos(Math.min(Long.MAX_VALUE - maxWaitNanos, burstNanos) + maxWaitNanos)
            + "; shorten the burst or maxWait, or round the rate");
      }
      return config;
    }
  }

  static long checkMaxWait(String option, Duration maxWait) {
    Objects.requireNonNull(maxWait, option);
    if (maxWait.isNegative() || maxWait.compareTo(MAX_WAIT_LIMIT) > 0) {
      throw new IllegalArgumentException(option + " must be in [PT0S, " + MAX_WAIT_LIMIT + "], was " + maxWait);
    }
    return maxWait.toNanos();
  }
}
