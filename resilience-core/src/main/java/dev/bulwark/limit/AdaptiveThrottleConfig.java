package dev.bulwark.limit;

import dev.bulwark.OutcomeClassifier;
import dev.bulwark.internal.Check;
import java.time.Duration;
import java.util.Objects;

/**
 * The immutable configuration of an {@link AdaptiveThrottle}: the multiplier {@code k}, the sliding window and
 * which outcomes count as accepted by the backend.
 *
 * <p>The throttle rejects a call locally with probability
 * <pre>
 *   p = min(maxRejectionProbability, max(0, (requests - k * accepts) / (requests + 1)))
 * </pre>
 * over the last {@code window}, where {@code requests} counts every call the application attempted (sent or
 * rejected locally) and {@code accepts} those the backend accepted. A backend that accepts everything sees no
 * throttling; one that accepts a few calls receives about {@code k} times what it accepts. Lower {@code k} is
 * more aggressive (less wasted work on the backend, slower to notice recovery); Google's SRE book suggests 2.
 *
 * <p>Accepted means the classifier called the outcome a success; failures are refusals; ignored outcomes
 * count for nothing. The default classifier counts every exception as a refusal. For HTTP, record 429 and
 * 503 results as failures and ignore client errors.
 *
 * <pre>{@code
 * AdaptiveThrottleConfig config = AdaptiveThrottleConfig.builder()
 *     .k(1.5)
 *     .window(Duration.ofMinutes(1))
 *     .classifier(OutcomeClassifier.builder()
 *         .recordResult(r -> ((Response) r).status() == 429 || ((Response) r).status() == 503)
 *         .build())
 *     .build();
 * }</pre>
 */
public final class AdaptiveThrottleConfig {
  private static final AdaptiveThrottleConfig DEFAULTS = builder().build();

  private final double k;
  private final Duration window;
  private final int buckets;
  private final double maxRejectionProbability;
  private final OutcomeClassifier classifier;

  private AdaptiveThrottleConfig(Builder b) {
    this.k = b.k;
    this.window = b.window;
    this.buckets = b.buckets;
    this.maxRejectionProbability = b.maxRejectionProbability;
    this.classifier = b.classifier;
  }

  /**
   * Returns the defaults: k 2, a two-minute window in 20 buckets, no cap below 1, the default classifier.
   *
   * @return the default configuration
   */
  public static AdaptiveThrottleConfig defaults() {
    return DEFAULTS;
  }

  /**
   * Starts a configuration with the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns K, the multiple of accepted calls the client may send. Default 2.
   *
   * @return at least 1
   */
  public double k() {
    return k;
  }

  /**
   * Returns the length of the sliding window of counts. Default 2 minutes.
   *
   * @return the window
   */
  public Duration window() {
    return window;
  }

  /**
   * Returns how many buckets the window slides by. Default 20.
   *
   * @return in [1, 1000]
   */
  public int buckets() {
    return buckets;
  }

  /**
   * Returns the cap on the rejection probability; below 1 it keeps probing a backend that refuses
   * everything. Default 1 (no cap).
   *
   * @return in (0, 1]
   */
  public double maxRejectionProbability() {
    return maxRejectionProbability;
  }

  /**
   * Returns the classifier: successes are accepts, failures refusals, ignored outcomes nothing. Default
   * {@link OutcomeClassifier#defaults()}.
   *
   * @return the classifier
   */
  public OutcomeClassifier classifier() {
    return classifier;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AdaptiveThrottleConfig other
        && Double.compare(k, other.k) == 0
        && window.equals(other.window)
        && buckets == other.buckets
        && Double.compare(maxRejectionProbability, other.maxRejectionProbability) == 0
        && classifier.equals(other.classifier);
  }

  @Override
  public int hashCode() {
    return Objects.hash(k, window, buckets, maxRejectionProbability, classifier);
  }

  @Override
  public String toString() {
    return "AdaptiveThrottleConfig{k=" + k + ", window=" + window + ", buckets=" + buckets
        + ", maxRejectionProbability=" + maxRejectionProbability + ", classifier=" + classifier + '}';
  }

  /** Builds an {@link AdaptiveThrottleConfig}; each option is validated when set, cross-field in {@link #build()}. */
  public static final class Builder {
    private double k = 2;
    private Duration window = Duration.ofMinutes(2);
    private int buckets = 20;
    private double maxRejectionProbability = 1;
    private OutcomeClassifier classifier = OutcomeClassifier.defaults();

    private Builder() {}

    /**
     * Sets K: the client may send about {@code k} times what the backend accepts. Default 2.
     *
     * @param k in [1, 1000]
     * @return this builder
     */
    public Builder k(double k) {
      this.k = Check.inRange("k", k, 1.0, 1000.0);
      return this;
    }

    /**
     * Sets the length of the sliding window. Default 2 minutes.
     *
     * @param window in [1 ms, 1 day]
     * @return this builder
     */
    public Builder window(Duration window) {
      long nanos = Check.positiveNanos("window", window);
      if (nanos < 1_000_000L || nanos > Duration.ofDays(1).toNanos()) {
        throw new IllegalArgumentException("window must be in [PT0.001S, PT24H], was " + window);
      }
      this.window = window;
      return this;
    }

    /**
     * Sets how many buckets the window slides by; more buckets forget old counts more smoothly. Default 20.
     *
     * @param buckets in [1, 1000]
     * @return this builder
     */
    public Builder buckets(int buckets) {
      this.buckets = Check.inRange("buckets", buckets, 1, 1000);
      return this;
    }

    /**
     * Caps the rejection probability. Default 1 (no cap).
     *
     * @param maxRejectionProbability in (0, 1]
     * @return this builder
     */
    public Builder maxRejectionProbability(double maxRejectionProbability) {
      if (!(maxRejectionProbability > 0 && maxRejectionProbability <= 1)) {
        throw new IllegalArgumentException(
            "maxRejectionProbability must be in (0, 1], was " + maxRejectionProbability);
      }
      this.maxRejectionProbability = maxRejectionProbability;
      return this;
    }

    /**
     * Sets the classifier deciding which outcomes are accepts.
     *
     * @param classifier the classifier
     * @return this builder
     */
    public Builder classifier(OutcomeClassifier classifier) {
      this.classifier = Objects.requireNonNull(classifier, "classifier");
      return this;
    }

    /**
     * Builds the configuration.
     *
     * @return an immutable configuration
     * @throws IllegalStateException if a bucket would be shorter than 1 ms
     */
    public AdaptiveThrottleConfig build() {
      if (window.toNanos() / buckets < 1_000_000L) {
        throw new IllegalStateException("buckets must leave at least 1 ms per bucket of the window (" + window
            + "), was " + buckets);
      }
      return new AdaptiveThrottleConfig(this);
    }
  }
}
