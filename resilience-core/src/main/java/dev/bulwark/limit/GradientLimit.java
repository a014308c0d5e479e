package dev.bulwark.limit;

import dev.bulwark.internal.Check;
import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The gradient algorithm: scales the limit by how far the current round-trip time is from the no-load one,
 * in the family of Netflix's Gradient2 and Envoy's gradient controller, with their known failures fixed.
 *
 * <p>Control law, once per window, with {@code L} the current limit, {@code rtt} the window's
 * {@code rttPercentile} of successful round-trip times and {@code base} the no-load round-trip time:
 * <pre>
 *   gradient = clamp(base * (1 + tolerance) / rtt, 0.5, 1)
 *   if the window had drops:            L' = L * min(gradient, backoffRatio)
 *   else if gradient &lt; 1:               L' = L * gradient
 *   else if the window used the limit:  L' = L + sqrt(L)
 *   else:                               L' = L
 *   L' = clamp(floor(L'), minLimit, maxLimit)
 * </pre>
 * The square-root headroom lets the limit grow until latency rises: a small queue keeps the dependency busy,
 * and its square root grows slower than the limit. Unlike Gradient2:
 * <ul>
 *   <li>drops and timeouts lower the limit (Gradient2 ignores them), so a client whose calls all time out at
 *       the same round-trip time is not driven to the maximum (concurrency-limits #137);</li>
 *   <li>the headroom is only added when latency is at the baseline, and the baseline is a measured no-load
 *       time rather than an average that follows the load upwards, so a steady moderate overload cannot make
 *       the limit creep up (#134);</li>
 *   <li>dropped calls contribute no round-trip time, so fast rejections do not look like fast successes
 *       (#176).</li>
 * </ul>
 * The no-load time is measured by probes: the limit is pinned to {@code min(L, probeLimit)} for a window and
 * calls admitted before the probe are left out; a probe runs on the first window, then every
 * {@code probeInterval} plus a random {@code 0..probeJitter} of it, and early when the limit sat on its floor
 * for 5 windows or was halved without latency falling. A lower percentile replaces the baseline at once.
 *
 * <p>Choose it for a server protecting itself, or a client of a dependency whose latency grows with load.
 * Defaults: initial 20, min 1, max 1000, p50, tolerance 0.5, backoff ratio 0.9, probe every 60 s with 15%
 * jitter at a limit of 4.
 *
 * <pre>{@code
 * LimitAlgorithm gradient = LimitAlgorithm.gradient()
 *     .initialLimit(50).minLimit(5).maxLimit(400)
 *     .rttPercentile(90)
 *     .probeInterval(Duration.ofSeconds(30))
 *     .build();
 * }</pre>
 */
public final class GradientLimit implements LimitAlgorithm {
  static final double MIN_GRADIENT = 0.5;

  private final int initialLimit;
  private final int minLimit;
  private final int maxLimit;
  private final double rttPercentile;
  private final double tolerance;
  private final double backoffRatio;
  private final long probeIntervalNanos;
  private final double probeJitter;
  private final int probeLimit;

  private GradientLimit(Builder b) {
    this.initialLimit = b.initialLimit;
    this.minLimit = b.minLimit;
    this.maxLimit = b.maxLimit;
    this.rttPercentile = b.rttPercentile;
    this.tolerance = b.tolerance;
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
   * Returns the percentile of a window's round-trip times compared with the baseline. Default 50.
   *
   * @return in (0, 100]
   */
  public double rttPercentile() {
    return rttPercentile;
  }

  /**
   * Returns how far, as a fraction of the baseline, latency may rise before the limit shrinks. Default 0.5.
   *
   * @return at least 0
   */
  public double tolerance() {
    return tolerance;
  }

  /**
   * Returns the largest factor applied to the limit after a window with drops. Default 0.9.
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
    return new GradientController(this, random);
  }

  private static final class GradientController implements Controller {
    private final GradientLimit config;
    private final NoLoadRtt baseline;
    private final double quantile;

    GradientController(GradientLimit config, RandomGenerator random) {
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
      double gradient = 1;
      if (rtt > 0) {
        baseline.observe(rtt);
        gradient = Math.max(MIN_GRADIENT,
            Math.min(1, baseline.baseline() * (1 + config.tolerance) / (double) rtt));
      }
      double target;
      if (sample.drops() > 0) {
        target = limit * Math.min(gradient, config.backoffRatio);
      } else if (gradient < 1) {
        target = limit * gradient;
      } else if (sample.limitUsed(limit)) {
        target = limit + Math.sqrt(limit);
      } else {
        target = limit;
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
    return o instanceof GradientLimit other
        && initialLimit == other.initialLimit
        && minLimit == other.minLimit
        && maxLimit == other.maxLimit
        && Double.compare(rttPercentile, other.rttPercentile) == 0
        && Double.compare(tolerance, other.tolerance) == 0
        && Double.compare(backoffRatio, other.backoffRatio) == 0
        && probeIntervalNanos == other.probeIntervalNanos
        && Double.compare(probeJitter, other.probeJitter) == 0
        && probeLimit == other.probeLimit;
  }

  @Override
  public int hashCode() {
    return Objects.hash(initialLimit, minLimit, maxLimit, rttPercentile, tolerance, backoffRatio,
        probeIntervalNanos, probeJitter, probeLimit);
  }

  @Override
  public String toString() {
    return "GradientLimit{initialLimit=" + initialLimit + ", minLimit=" + minLimit + ", maxLimit=" + maxLimit
        + ", rttPercentile=" + rttPercentile + ", tolerance=" + tolerance + ", backoffRatio=" + backoffRatio
        + ", probeInterval=" + probeInterval() + ", probeJitter=" + probeJitter + ", probeLimit=" + probeLimit
        + '}';
  }

  /** Builds a {@link GradientLimit}; each option is validated when set, the bounds together in {@link #build()}. */
  public static final class Builder {
    private int initialLimit = LimitBounds.DEFAULT_INITIAL;
    private int minLimit = LimitBounds.DEFAULT_MIN;
    private int maxLimit = LimitBounds.DEFAULT_MAX;
    private double rttPercentile = 50;
    private double tolerance = 0.5;
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
     * Sets the floor, the last line of defence when the dependency is degraded. Default 1.
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
     * Sets the percentile of a window's round-trip times compared with the baseline: 50 reacts to typical
     * latency, 90 to the tail. Default 50.
     *
     * @param rttPercentile in (0, 100]
     * @return this builder
     */
    public Builder rttPercentile(double rttPercentile) {
      this.rttPercentile = Check.percentage("rttPercentile", rttPercentile);
      return this;
    }

    /**
     * Sets how far latency may rise over the no-load time, as a fraction, before the limit shrinks. Under
     * saturation latency settles near {@code (1 + tolerance)} times the no-load time. Default 0.5.
     *
     * @param tolerance in [0, 10]
     * @return this builder
     */
    public Builder tolerance(double tolerance) {
      this.tolerance = Check.inRange("tolerance", tolerance, 0.0, 10.0);
      return this;
    }

    /**
     * Sets the largest factor applied to the limit after a window with drops. Default 0.9.
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
     * Sets the random extra delay of each probe as a fraction of the interval, so a fleet does not probe in
     * step. Default 0.15.
     *
     * @param probeJitter in [0, 1]
     * @return this builder
     */
    public Builder probeJitter(double probeJitter) {
      this.probeJitter = Check.inRange("probeJitter", probeJitter, 0.0, 1.0);
      return this;
    }

    /**
     * Sets the limit during a probe. Lower measures the no-load time more truly, higher rejects less work
     * while probing; it never raises the limit and is independent of {@link #minLimit(int)}. Default 4.
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
     * @throws IllegalStateException if the bounds contradict each other
     */
    public GradientLimit build() {
      LimitBounds.check(initialLimit, minLimit, maxLimit);
      return new GradientLimit(this);
    }
  }
}
