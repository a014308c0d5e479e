package dev.bulwark.limit;

import dev.bulwark.CallNotPermittedException;
import dev.bulwark.OutcomeClassifier;
import dev.bulwark.internal.Check;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * The immutable configuration of a {@link ConcurrencyLimiter}: which {@link LimitAlgorithm} sets the limit, how
 * long a sampling window lasts, how many calls a window needs, and which outcomes count as dropped.
 *
 * <p>Dropped calls are what the {@link OutcomeClassifier} calls failures, plus successes slower than its
 * {@code slowCallDuration}. The default classifier drops calls that failed with a
 * {@link TimeoutException}, an {@link InterruptedIOException} (which includes
 * {@code SocketTimeoutException}) or a {@link CallNotPermittedException} from a policy inside this one (a full
 * bulkhead is an overload signal); any other exception means the dependency answered, and its round-trip time
 * counts as a sample. Ignored outcomes release the slot and count for nothing.
 *
 * <pre>{@code
 * ConcurrencyLimiterConfig config = ConcurrencyLimiterConfig.builder()
 *     .algorithm(LimitAlgorithm.vegas().maxLimit(200).build())
 *     .window(Duration.ofMillis(250))
 *     .classifier(OutcomeClassifier.builder()
 *         .recordExceptions(TimeoutException.class)
 *         .recordResult(r -> ((Response) r).status() == 503)   // overload signal: dropped
 *         .slowCallDuration(Duration.ofSeconds(2))            // as good as a timeout
 *         .build())
 *     .build();
 * }</pre>
 */
public final class ConcurrencyLimiterConfig {
  private static final OutcomeClassifier DEFAULT_CLASSIFIER = OutcomeClassifier.builder()
      .recordExceptions(TimeoutException.class, InterruptedIOException.class, CallNotPermittedException.class)
      .build();
  private static final ConcurrencyLimiterConfig DEFAULTS = builder().build();

  private final LimitAlgorithm algorithm;
  private final Duration window;
  private final int minWindowSamples;
  private final OutcomeClassifier classifier;

  private ConcurrencyLimiterConfig(Builder b) {
    this.algorithm = b.algorithm;
    this.window = b.window;
    this.minWindowSamples = b.minWindowSamples;
    this.classifier = b.classifier;
  }

  /**
   * Returns the defaults: the gradient algorithm with its defaults, 500 ms windows of at least 10 calls, and
   * the default classifier described above.
   *
   * @return the default configuration
   */
  public static ConcurrencyLimiterConfig defaults() {
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
   * Starts a builder holding this configuration's values.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.algorithm = algorithm;
    b.window = window;
    b.minWindowSamples = minWindowSamples;
    b.classifier = classifier;
    return b;
  }

  /**
   * Returns the algorithm that sets the limit. Default: {@code LimitAlgorithm.gradient().build()}.
   *
   * @return the algorithm
   */
  public LimitAlgorithm algorithm() {
    return algorithm;
  }

  /**
   * Returns the length of a sampling window: the limit changes at most once per window. Default 500 ms.
   *
   * @return the window
   */
  public Duration window() {
    return window;
  }

  /**
   * Returns the number of completed calls a window needs before the algorithm judges it; a window with fewer
   * is extended. Default 10.
   *
   * @return at least 1
   */
  public int minWindowSamples() {
    return minWindowSamples;
  }

  /**
   * Returns the classifier deciding which outcomes are dropped, ignored or successful. Default described in
   * the class comment.
   *
   * @return the classifier
   */
  public OutcomeClassifier classifier() {
    return classifier;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ConcurrencyLimiterConfig other
        && algorithm.equals(other.algorithm)
        && window.equals(other.window)
        && minWindowSamples == other.minWindowSamples
        && classifier.equals(other.classifier);
  }

  @Override
  public int hashCode() {
    return Objects.hash(algorithm, window, minWindowSamples, classifier);
  }

  @Override
  public String toString() {
    return "ConcurrencyLimiterConfig{algorithm=" + algorithm + ", window=" + window + ", minWindowSamples="
        + minWindowSamples + ", classifier=" + classifier + '}';
  }

  /** Builds a {@link ConcurrencyLimiterConfig}; each option is validated when set. */
  public static final class Builder {
    private LimitAlgorithm algorithm = LimitAlgorithm.gradient().build();
    private Duration window = Duration.ofMillis(500);
    private int minWindowSamples = 10;
    private OutcomeClassifier classifier = DEFAULT_CLASSIFIER;

    private Builder() {}

    /**
     * Sets the algorithm. Default: the gradient algorithm with its defaults.
     *
     * @param algorithm the algorithm
     * @return this builder
     */
    public Builder algorithm(LimitAlgorithm algorithm) {
      LimitAlgorithm a = Objects.requireNonNull(algorithm, "algorithm");
      int min = a.minLimit();
      int max = a.maxLimit();
      int initial = a.initialLimit();
      if (min < 1 || max > LimitAlgorithm.MAX_LIMIT || min > max || initial < min || initial > max) {
        throw new IllegalArgumentException("algorithm must have 1 <= minLimit <= initialLimit <= maxLimit <= "
            + LimitAlgorithm.MAX_LIMIT + ", was " + a + " (min " + min + ", initial " + initial + ", max "
            + max + ")");
      }
      this.algorithm = a;
      return this;
    }

    /**
     * Sets the length of a sampling window. Longer windows hold more calls and give steadier estimates;
     * shorter ones react faster. Aim for many round trips per window. Default 500 ms.
     *
     * @param window in [1 ms, 1 hour]
     * @return this builder
     */
    public Builder window(Duration window) {
      long nanos = Check.positiveNanos("window", window);
      if (nanos < 1_000_000L || nanos > 3_600_000_000_000L) {
        throw new IllegalArgumentException("window must be in [PT0.001S, PT1H], was " + window);
      }
      this.window = window;
      return this;
    }

    /**
     * Sets how many completed calls a window needs before it is judged. Default 10.
     *
     * @param minWindowSamples in [1, 1000000]
     * @return this builder
     */
    public Builder minWindowSamples(int minWindowSamples) {
      this.minWindowSamples = Check.inRange("minWindowSamples", minWindowSamples, 1, 1_000_000);
      return this;
    }

    /**
     * Sets the classifier: failures count as dropped, ignored outcomes as nothing, and successes slower than
     * its {@code slowCallDuration} as dropped.
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
     */
    public ConcurrencyLimiterConfig build() {
      return new ConcurrencyLimiterConfig(this);
    }
  }
}
