package dev.bulwark.limit;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Additive increase, multiplicative decrease: the congestion control of TCP Reno, driven by drops.
 *
 * <p>Control law, once per window, with {@code L} the current limit:
 * <pre>
 *   if the window had drops:            L' = max(minLimit, floor(L * backoffRatio))
 *   else if the window used the limit:  L' = min(maxLimit, L + increment)
 *   else:                               L' = L
 * </pre>
 * A window "used the limit" when calls were rejected or the peak in-flight count reached L / 2, so an idle
 * service does not drift to the maximum. Round-trip times play no part: a drop is a timeout, an overload
 * signal (such as HTTP 429 or 503 reported as dropped), or a call slower than the classifier's
 * {@code slowCallDuration}.
 *
 * <p>Choose it on the client side when the dependency signals overload explicitly or calls time out, and
 * latency alone is a poor signal. Defaults: initial 20, min 1, max 1000, backoff ratio 0.9, increment 1.
 *
 * <pre>{@code
 * LimitAlgorithm aimd = LimitAlgorithm.aimd().initialLimit(10).backoffRatio(0.75).build();
 * }</pre>
 */
public final class AimdLimit implements LimitAlgorithm {
  private final int initialLimit;
  private final int minLimit;
  private final int maxLimit;
  private final double backoffRatio;
  private final int increment;

  private AimdLimit(Builder b) {
    this.initialLimit = b.initialLimit;
    this.minLimit = b.minLimit;
    this.maxLimit = b.maxLimit;
    this.backoffRatio = b.backoffRatio;
    this.increment = b.increment;
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
   * Returns the factor applied to the limit after a window with drops. Default 0.9.
   *
   * @return in (0, 1)
   */
  public double backoffRatio() {
    return backoffRatio;
  }

  /**
   * Returns how much the limit grows after a window that used it without drops. Default 1.
   *
   * @return at least 1
   */
  public int increment() {
    return increment;
  }

  @Override
  public Controller newController(RandomGenerator random) {
    return (sample, limit) -> {
      if (sample.drops() > 0) {
        return LimitBounds.clamp(Math.floor(limit * backoffRatio), minLimit, maxLimit);
      }
      if (sample.limitUsed(limit)) {
        return LimitBounds.clamp((double) limit + increment, minLimit, maxLimit);
      }
      return LimitBounds.clamp(limit, minLimit, maxLimit);
    };
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AimdLimit other
        && initialLimit == other.initialLimit
        && minLimit == other.minLimit
        && maxLimit == other.maxLimit
        && Double.compare(backoffRatio, other.backoffRatio) == 0
        && increment == other.increment;
  }

  @Override
  public int hashCode() {
    return Objects.hash(initialLimit, minLimit, maxLimit, backoffRatio, increment);
  }

  @Override
  public String toString() {
    return "AimdLimit{initialLimit=" + initialLimit + ", minLimit=" + minLimit + ", maxLimit=" + maxLimit
        + ", backoffRatio=" + backoffRatio + ", increment=" + increment + '}';
  }

  /** Builds an {@link AimdLimit}; each option is validated when set, the bounds together in {@link #build()}. */
  public static final class Builder {
    private int initialLimit = LimitBounds.DEFAULT_INITIAL;
    private int minLimit = LimitBounds.DEFAULT_MIN;
    private int maxLimit = LimitBounds.DEFAULT_MAX;
    private double backoffRatio = 0.9;
    private int increment = 1;

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
     * Sets how much the limit grows per window that used it. Default 1.
     *
     * @param increment in [1, 1000000]
     * @return this builder
     */
    public Builder increment(int increment) {
      this.increment = LimitBounds.limit("increment", increment);
      return this;
    }

    /**
     * Builds the algorithm.
     *
     * @return an immutable algorithm
     * @throws IllegalStateException if the bounds contradict each other
     */
    public AimdLimit build() {
      LimitBounds.check(initialLimit, minLimit, maxLimit);
      return new AimdLimit(this);
    }
  }
}
