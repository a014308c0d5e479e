package dev.bulwark.limit;

import dev.bulwark.internal.Check;
import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A Vegas-style algorithm: estimates how many calls are queued from the round-trip times, as TCP Vegas
 * estimates the packets queued in the network, and keeps that queue small.
 *
 * <p>Control law, once per window, with {@code L} the current limit, {@code rtt} the window's
 * {@code rttPercentile} of successful round-trip times, {@code base} the no-load round-trip time and
 * {@code log = max(1, log10(L))}:
 * <pre>
 *   queue = L * (1 - base / rtt)                  the estimated number of calls waiting
 *   if the window had drops:                      L' = L * backoffRatio
 *   else if queue &gt; beta * log:                  L' = L - log
 *   else if the window did not use the limit:     L' = L
 *   else if queue &lt;= log:                         L' = L + beta * log
 *   else if queue &lt; alpha * log:                  L' = L + log
 *   else:                                         L' = L
 *   L' = clamp(floor(L'), minLimit, maxLimit)
 * </pre>
 * The thresholds grow with the logarithm of the limit so that a large limit still grows and shrinks at a
 * useful pace. The no-load time is measured by the same probes as {@link GradientLimit}'s (pinned to
 * {@code min(L, probeLimit)}, jittered, earlier when the baseline is stale), so it does not drift up with a
 * steady overload; drops lower the limit and contribute no round-trip time.
 *
 * <p>Choose it when latency is stable and a tight queue matters more than fast reaction: it decreases
 * additively, so it sheds a sudden large overload more slowly than the gradient. Defaults: initial 20, min 1,
 * max 1000, p50, alpha 3, beta 6, backoff ratio 0.9, probe every 60 s with 15% jitter at a limit of 4.
 *
 * <pre>{@code
 * LimitAlgorithm vegas = LimitAlgorithm.vegas().initialLimit(40).alpha(2).beta(4).build();
 * }</pre>
 */
public final class VegasLimit implements LimitAlgorithm {
  private final int initialLimit;
  private final int minLimit;
  private final int maxLimit;
  private final double rttPercentile;
  private final double alpha;
  private final double beta;
  private final double backoffRatio;
  private final long probeIntervalNanos;
  private final double probeJitter;
  private final int probeLimit;

  private VegasLimit(Builder b) {
    this.initialLimit = b.initialLimit;
    this.minLimit = b.minLimit;
    this.maxLimit = b.maxLimit;
    this.rttPercentile = b.rttPercentile;
    this.alpha = b.alpha;
    this.beta = b.beta;
    this.backoffRatio = b.backoffRatio;
    this.probeIntervalNanos = b.probeIntervalNanos;
    this.probeJitter = b.probeJitter;
    this.probeLimit = b.probeLimit;
  }

  static Builder builder() {
    return new Builder();
  }

  /** Default 20. */
  @Override
  public int initialLimit() {
    return initialLimit;
  }

  /** Default 1. */
  @Override
  public int minLimit() {
    return minLimit;
  }

  /** Default 1000. */
  @Override
  public int maxLimit() {
    return maxLimit;
  }

  /**
   * Returns the percentile of a window's round-trip times used as its round-trip time. Default 50.
   *
   * @return in (0, 100]
   */
  public double rttPercentile() {
    return rttPercentile;
  }

  /**
   * Returns the queue size, in multiples of {@code log10(limit)}, below which the limit grows. Default 3.
   *
   * @return positive, below {@link #beta()}
   */
  public double alpha() {
    return alpha;
  }

  /**
   * Returns the queue size, in multiples of {@code log10(limit)}, above which the limit shrinks. Default 6.
   *
   * @return above {@link #alpha()}
   */
  public double beta() {
    return beta;
  }

  /**
   * Returns the factor applied to the limit after a window with drops. Default 0.9.
   *
   * @return in (0, 1)
   */
  public double backoffRatio() {
    return backoffRatio;
  }

  /**
   * Returns the time between no-load probes, before jitter. Default 60 s.
   *
   * @return the interval
   */
  public Duration probeInterval() {
    return Duration.ofNanos(probeIntervalNanos);
  }

  /**
   * Returns the random extra delay of each probe, as a fraction of the interval. Default 0.15.
   *
   * @return in [0, 1]
   */
  public double probeJitter() {
    return probeJitter;
  }

  /**
   * Returns the limit during a probe (never above the current limit). Default 4; independent of the floor.
   *
   * @return at least 1
   */
  public int probeLimit() {
    return probeLimit;
  }

  @Override
  public Controller newController(RandomGenerator random) {
    Objects.requireNonNull(random, "random");
    return new VegasController(this, random);
  }

  private static final class VegasController implements Controller {
    private final VegasLimit config;
    private final NoLoadRtt baseline;
    private final double quantile;

    VegasController(VegasLimit config, RandomGenerator random) {
      this.config = config;
      this.quantile = config.rttPercentile / 100;
      this.baseline = new NoLoadRtt(config.probeIntervalNanos, config.probeJitter, config.probeLimit, quantile,
          random);
    }

    @Override
    public int update(WindowSample sample, int limit) {
      int probed = baseline.probe(sample, limit, config.minLimit, config.maxLimit, config.backoffRatio);
      if (probed >= 0) {
        return probed;
      }
      long rtt = sample.rttNanos(quantile);
      double log = Math.max(1, Math.log10(limit));
      double target;
      if (sample.drops() > 0) {
        target = limit * config.backoffRatio;
      } else if (rtt <= 0) {
        target = limit;
      } else {
        baseline.observe(rtt);
        double queue = limit * (1 - baseline.baseline() / (double) rtt);
        if (queue > config.beta * log) {
          target = limit - log;
        } else if (!sample.limitUsed(limit)) {
          target = limit;
        } else if (queue <= log) {
          target = limit + config.beta * log;
        } else if (queue < config.alpha * log) {
          target = limit + log;
        } else {
          target = limit;
        }
      }
      int next = LimitBounds.clamp(Math.floor(target), config.minLimit, config.maxLimit);
      baseline.afterUpdate(limit, next, rtt, config.minLimit);
      return next;
    }

    @Override
    public long noLoadRttNanos() {
      return baseline.baseline();
    }

    @Override
    public long sampleCallsStartedFromNanos() {
      return baseline.sampleFrom();
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VegasLimit other
        && initialLimit == other.initialLimit
        && minLimit == other.minLimit
        && maxLimit == other.maxLimit
        && Double.compare(rttPercentile, other.rttPercentile) == 0
        && Double.compare(alpha, other.alpha) == 0
        && Double.compare(beta, other.beta) == 0
        && Double.compare(backoffRatio, other.backoffRatio) == 0
        && probeIntervalNanos == other.probeIntervalNanos
        && Double.compare(probeJitter, other.probeJitter) == 0
        && probeLimit == other.probeLimit;
  }

  @Override
  public int hashCode() {
    return Objects.hash(initialLimit, minLimit, maxLimit, rttPercentile, alpha, beta, backoffRatio,
        probeIntervalNanos, probeJitter, probeLimit);
  }

  @Override
  public String toString() {
    return "VegasLimit{initialLimit=" + initialLimit + ", minLimit=" + minLimit + ", maxLimit=" + maxLimit
        + ", rttPercentile=" + rttPercentile + ", alpha=" + alpha + ", beta=" + beta
        + ", backoffRatio=" + backoffRatio + ", probeInterval=" + probeInterval() + ", probeJitter="
        + probeJitter + ", probeLimit=" + probeLimit + '}';
  }

  /** Builds a {@link VegasLimit}; each option is validated when set, cross-field rules in {@link #build()}. */
  public static final class Builder {
    private int initialLimit = LimitBounds.DEFAULT_INITIAL;
    private int minLimit = LimitBounds.DEFAULT_MIN;
    private int maxLimit = LimitBounds.DEFAULT_MAX;
    private double rttPercentile = 50;
    private double alpha = 3;
    private double beta = 6;
    private double backoffRatio = 0.9;
    private long probeIntervalNanos = Duration.ofSeconds(60).toNanos();
    private double probeJitter = 0.15;
    private int probeLimit = 4;

    private Builder() {}

    /**
     * Sets the starting limit. Default 20.
     *
     * @param initialLimit in [1, 1000000], and within [minLimit, maxLimit] at build time
     * @return this builder
     */
    public Builder initialLimit(int initialLimit) {
      this.initialLimit = LimitBounds.limit("initialLimit", initialLimit);
      return this;
    }

    /**
     * Sets the floor. Default 1.
     *
     * @param minLimit in [1, 1000000]
     * @return this builder
     */
    public Builder minLimit(int minLimit) {
      this.minLimit = LimitBounds.limit("minLimit", minLimit);
      return this;
    }

    /**
     * Sets the ceiling. Default 1000.
     *
     * @param maxLimit in [1, 1000000]
     * @return this builder
     */
    public Builder maxLimit(int maxLimit) {
      this.maxLimit = LimitBounds.limit("maxLimit", maxLimit);
      return this;
    }

    /**
     * Sets the percentile of a window's round-trip times used as its round-trip time. Default 50.
     *
     * @param rttPercentile in (0, 100]
     * @return this builder
     */
    public Builder rttPercentile(double rttPercentile) {
      this.rttPercentile = Check.percentage("rttPercentile", rttPercentile);
      return this;
    }

    /**
     * Sets the queue size, in multiples of {@code log10(limit)}, below which the limit grows. Default 3.
     *
     * @param alpha in [0.1, 1000], below beta at build time
     * @return this builder
     */
    public Builder alpha(double alpha) {
      this.alpha = Check.inRange("alpha", alpha, 0.1, 1000.0);
      return this;
    }

    /**
     * Sets the queue size, in multiples of {@code log10(limit)}, above which the limit shrinks. Default 6.
     *
     * @param beta in [0.1, 1000], above alpha at build time
     * @return this builder
     */
    public Builder beta(double beta) {
      this.beta = Check.inRange("beta", beta, 0.1, 1000.0);
      return this;
    }

    /**
     * Sets the factor applied to the limit after a window with drops. Default 0.9.
     *
     * @param backoffRatio in (0, 1)
     * @return this builder
     */
    public Builder backoffRatio(double backoffRatio) {
      this.backoffRatio = LimitBounds.ratio("backoffRatio", backoffRatio);
      return this;
    }

    /**
     * Sets the time between no-load probes, before jitter. Default 60 s.
     *
     * @param probeInterval a positive duration
     * @return this builder
     */
    public Builder probeInterval(Duration probeInterval) {
      this.probeIntervalNanos = Check.positiveNanos("probeInterval", probeInterval);
      return this;
    }

    /**
     * Sets the random extra delay of each probe as a fraction of the interval. Default 0.15.
     *
     * @param probeJitter in [0, 1]
     * @return this builder
     */
    public Builder probeJitter(double probeJitter) {
      this.probeJitter = Check.inRange("probeJitter", probeJitter, 0.0, 1.0);
      return this;
    }

    /**
     * Sets the limit during a probe; it never raises the limit and is independent of the floor. Default 4.
     *
     * @param probeLimit in [1, 1000000]
     * @return this builder
     */
    public Builder probeLimit(int probeLimit) {
      this.probeLimit = LimitBounds.limit("probeLimit", probeLimit);
      return this;
    }

    /**
     * Builds the algorithm.
     *
     * @return an immutable algorithm
     * @throws IllegalStateException if the bounds contradict each other or alpha is not below beta
     */
    public VegasLimit build() {
      LimitBounds.check(initialLimit, minLimit, maxLimit);
      if (!(alpha < beta)) {
        throw new IllegalStateException("alpha must be < beta (" + beta + "), was " + alpha);
      }
      return new VegasLimit(this);
    }
  }
}
