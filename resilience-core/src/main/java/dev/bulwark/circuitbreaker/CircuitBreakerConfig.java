package dev.bulwark.circuitbreaker;

import dev.bulwark.OutcomeClassifier;
import dev.bulwark.internal.Check;
import java.time.Duration;
import java.util.Objects;

/**
 * The immutable configuration of a {@link CircuitBreaker}: when it opens, for how long, and how it probes
 * the dependency before closing again.
 *
 * <p>Every option is validated when it is set (the message names the option, the rule and the value), an
 * option set twice is refused, and combinations are checked by {@link Builder#build()}. The defaults, each
 * documented on its getter, are meant for production: they open on a clear majority of failures over a
 * statistically meaningful number of calls and probe a recovering dependency gently. Configurations are
 * plain values with {@code equals}, {@code hashCode} and {@code toString}.
 *
 * <pre>{@code
 * CircuitBreakerConfig config = CircuitBreakerConfig.builder()
 *     .failureRateThreshold(25)                          // open at 25 % failures ...
 *     .slidingWindowType(SlidingWindowType.TIME_BASED)   // ... over the last 30 seconds
 *     .slidingWindowSize(30)
 *     .minimumNumberOfCalls(40)
 *     .classifier(OutcomeClassifier.builder()
 *         .recordExceptions(IOException.class, TimeoutException.class)
 *         .slowCallDuration(Duration.ofMillis(800))      // about the dependency's p99.9
 *         .build())
 *     .slowCallRateThreshold(50)
 *     .openDuration(Duration.ofSeconds(10))
 *     .openDurationMultiplier(2)                         // 10 s, 20 s, 40 s ... while probes keep failing
 *     .maxOpenDuration(Duration.ofMinutes(2))
 *     .build();
 * CircuitBreaker breaker = CircuitBreaker.of("inventory", config);
 * }</pre>
 */
public final class CircuitBreakerConfig {

  /** How a {@link CircuitBreaker} decides, while closed, that the dependency is failing. */
  public enum SlidingWindowType {
    /**
     * The last {@link CircuitBreakerConfig#slidingWindowSize()} calls: failure and slow-call rates over a fixed number of calls,
     * whatever their age. Good when traffic is steady.
     */
    COUNT_BASED,
    /**
     * The calls of the last {@link CircuitBreakerConfig#slidingWindowSize()} seconds, in one-second buckets: rates over a fixed
     * span of time, whatever the traffic. Good when traffic varies a lot.
     */
    TIME_BASED,
    /**
     * A run of {@link CircuitBreakerConfig#consecutiveFailureThreshold()} failures in a row, with no rate at all: for
     * low-traffic dependencies, where a window would take too long to fill. Slow calls do not count here
     * (they still count for the half-open probes).
     */
    CONSECUTIVE_FAILURES
  }

  /** The largest count-based window, in calls. */
  public static final int MAX_COUNT_WINDOW = 1_000_000;
  /** The largest time-based window, in seconds (one hour). */
  public static final int MAX_TIME_WINDOW_SECONDS = 3600;
  /** The most probes a half-open breaker may let through (the probes are counted in 10-bit fields). */
  public static final int MAX_PERMITTED_CALLS_IN_HALF_OPEN = 1023;

  static final double DEFAULT_FAILURE_RATE_THRESHOLD = 50;
  static final double DEFAULT_SLOW_CALL_RATE_THRESHOLD = 100;
  static final int DEFAULT_WINDOW_SIZE = 100;
  static final int DEFAULT_MINIMUM_NUMBER_OF_CALLS = 50;
  static final int DEFAULT_CONSECUTIVE_FAILURE_THRESHOLD = 5;
  static final int DEFAULT_PERMITTED_CALLS_IN_HALF_OPEN = 10;
  static final Duration DEFAULT_OPEN_DURATION = Duration.ofSeconds(30);
  static final Duration DEFAULT_MAX_OPEN_DURATION = Duration.ofMinutes(5);
  static final double DEFAULT_OPEN_DURATION_JITTER = 0.1;
  static final Duration DEFAULT_MAX_HALF_OPEN_DURATION = Duration.ofSeconds(60);

  /** Durations are kept below this so that {@code now + duration} never overflows (about 146 years). */
  static final long MAX_NANOS = 1L << 62;

  private static final CircuitBreakerConfig DEFAULTS = builder().build();

  private final double failureRateThreshold;
  private final double slowCallRateThreshold;
  private final SlidingWindowType slidingWindowType;
  private final int slidingWindowSize;
  private final int minimumNumberOfCalls;
  private final int consecutiveFailureThreshold;
  private final int permittedCallsInHalfOpen;
  private final long openDurationNanos;
  private final double openDurationMultiplier;
  private final long maxOpenDurationNanos;
  private final double openDurationJitter;
  private final long maxHalfOpenDurationNanos;
  private final OutcomeClassifier classifier;

  private CircuitBreakerConfig(Builder b, int minimumNumberOfCalls, long maxOpenDurationNanos) {
    this.failureRateThreshold = or(b.failureRateThreshold, DEFAULT_FAILURE_RATE_THRESHOLD);
    this.slowCallRateThreshold = or(b.slowCallRateThreshold, DEFAULT_SLOW_CALL_RATE_THRESHOLD);
    this.slidingWindowType = b.slidingWindowType != null ? b.slidingWindowType : SlidingWindowType.COUNT_BASED;
    this.slidingWindowSize = or(b.slidingWindowSize, DEFAULT_WINDOW_SIZE);
    this.minimumNumberOfCalls = minimumNumberOfCalls;
    this.consecutiveFailureThreshold = or(b.consecutiveFailureThreshold, DEFAULT_CONSECUTIVE_FAILURE_THRESHOLD);
    this.permittedCallsInHalfOpen = or(b.permittedCallsInHalfOpen, DEFAULT_PERMITTED_CALLS_IN_HALF_OPEN);
    this.openDurationNanos = clamp(b.openDurationNanos != null ? b.openDurationNanos
        : DEFAULT_OPEN_DURATION.toNanos());
    this.openDurationMultiplier = or(b.openDurationMultiplier, 1.0);
    this.maxOpenDurationNanos = clamp(maxOpenDurationNanos);
    this.openDurationJitter = or(b.openDurationJitter, DEFAULT_OPEN_DURATION_JITTER);
    this.maxHalfOpenDurationNanos = clamp(b.maxHalfOpenDurationNanos != null ? b.maxHalfOpenDurationNanos
        : DEFAULT_MAX_HALF_OPEN_DURATION.toNanos());
    this.classifier = b.classifier != null ? b.classifier : OutcomeClassifier.defaults();
  }

  private static double or(Double value, double fallback) {
    return value != null ? value : fallback;
  }

  private static int or(Integer value, int fallback) {
    return value != null ? value : fallback;
  }

  private static long clamp(long nanos) {
    return Math.min(nanos, MAX_NANOS);
  }

  /**
   * Returns the default configuration, as used by {@link CircuitBreaker#ofDefaults(String)} and as the
   * default template of a registry: {@code Registry.builder(CircuitBreakerConfig.defaults(), CircuitBreaker::of)}.
   *
   * @return the defaults
   */
  public static CircuitBreakerConfig defaults() {
    return DEFAULTS;
  }

  /**
   * Starts a configuration; options left unset keep their defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the failure rate, in percent, at or above which the breaker opens (and at or above which
   * half-open probes send it back to open). Default: {@code 50}.
   *
   * <p>Set it well above the dependency's normal error rate (see {@code docs/circuit-breaker.md}).
   *
   * @return a percentage in (0, 100]
   */
  public double failureRateThreshold() {
    return failureRateThreshold;
  }

  /**
   * Returns the slow-call rate, in percent, at or above which the breaker opens. A call is slow when it takes
   * at least the {@linkplain #classifier() classifier's} {@link OutcomeClassifier#slowCallDurationNanos()
   * slow-call duration}, which by default is never, so slow calls open nothing until that duration is set.
   * Default: {@code 100} (open only when every call is slow).
   *
   * @return a percentage in (0, 100]
   */
  public double slowCallRateThreshold() {
    return slowCallRateThreshold;
  }

  /**
   * Returns how the closed breaker measures the dependency. Default: {@link SlidingWindowType#COUNT_BASED}.
   *
   * @return the window type
   */
  public SlidingWindowType slidingWindowType() {
    return slidingWindowType;
  }

  /**
   * Returns the size of the sliding window: a number of calls for {@link SlidingWindowType#COUNT_BASED}, a
   * number of seconds for {@link SlidingWindowType#TIME_BASED}; unused by
   * {@link SlidingWindowType#CONSECUTIVE_FAILURES}. Default: {@code 100}.
   *
   * @return the window size, at least 1
   */
  public int slidingWindowSize() {
    return slidingWindowSize;
  }

  /**
   * Returns how many calls the window must hold before any rate is computed; below it the breaker never
   * opens and the rates read {@code -1}. Default: {@code 50}, or the window size if a count-based window is
   * smaller. Fifty calls keep the chance of a false trip negligible for a dependency that normally fails up
   * to 20 % of the time (under 1 in 10,000 at the default 50 % threshold) while a dependency that is down
   * trips after 50 calls rather than 100.
   *
   * @return the minimum number of calls, at least 1
   */
  public int minimumNumberOfCalls() {
    return minimumNumberOfCalls;
  }

  /**
   * Returns how many failures in a row open a breaker whose window type is
   * {@link SlidingWindowType#CONSECUTIVE_FAILURES}; any success resets the run. Default: {@code 5}.
   *
   * @return the threshold, at least 1
   */
  public int consecutiveFailureThreshold() {
    return consecutiveFailureThreshold;
  }

  /**
   * Returns how many probe calls a half-open breaker lets through; their outcome decides whether it closes
   * (rates below both thresholds) or opens again. Never more probes than this are in flight or completed
   * in one half-open episode. Default: {@code 10}.
   *
   * @return the number of probes, in [1, {@value CircuitBreakerConfig#MAX_PERMITTED_CALLS_IN_HALF_OPEN}]
   */
  public int permittedCallsInHalfOpen() {
    return permittedCallsInHalfOpen;
  }

  /**
   * Returns how long the breaker stays open after its first trip before it lets probes through. Default:
   * 30 seconds: long enough for a restarting instance or a failover, short enough that a brief blip does not
   * become a long outage.
   *
   * @return the base open duration
   */
  public Duration openDuration() {
    return Duration.ofNanos(openDurationNanos);
  }

  /**
   * Returns the factor by which the open duration grows with each consecutive trip, that is each time the
   * half-open probes fail again: the n-th consecutive trip opens for
   * {@code min(maxOpenDuration, openDuration * multiplier^(n-1))}. Default: {@code 1} (a fixed open duration).
   *
   * @return the multiplier, in [1, 100]
   */
  public double openDurationMultiplier() {
    return openDurationMultiplier;
  }

  /**
   * Returns the cap on the growing open duration. Default: 5 minutes, or the open duration if that is longer.
   *
   * @return the maximum open duration, at least {@link #openDuration()}
   */
  public Duration maxOpenDuration() {
    return Duration.ofNanos(maxOpenDurationNanos);
  }

  /**
   * Returns the random fraction by which each open duration is shortened, so that a fleet of clients that
   * tripped together does not probe a recovering dependency at the same instant: the breaker stays open
   * for {@code d * (1 - jitter * u)} with {@code u} uniform in [0, 1). The nominal duration is thus an upper
   * bound, which keeps the retry-after hints honest. Default: {@code 0.1} (between 27 and 30 seconds for
   * the default open duration).
   *
   * @return the jitter, in [0, 1)
   */
  public double openDurationJitter() {
    return openDurationJitter;
  }

  /**
   * Returns the longest a half-open episode may wait for its probes. When it runs out, probes still in
   * flight count as failures (a call that hangs that long is no sign of health) and the breaker decides with
   * the probes it has: it no longer waits for hung calls, and with little traffic it still recovers.
   * Default: 60 seconds, longer than any sane call timeout.
   *
   * @return the maximum half-open duration
   */
  public Duration maxHalfOpenDuration() {
    return Duration.ofNanos(maxHalfOpenDurationNanos);
  }

  /**
   * Returns the classifier that decides which outcomes are failures, which are ignored and which calls are
   * slow. Default: {@link OutcomeClassifier#defaults()} (every exception is a failure, no call is slow).
   *
   * @return the classifier
   */
  public OutcomeClassifier classifier() {
    return classifier;
  }

  long openDurationNanos() {
    return openDurationNanos;
  }

  long maxOpenDurationNanos() {
    return maxOpenDurationNanos;
  }

  long maxHalfOpenDurationNanos() {
    return maxHalfOpenDurationNanos;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CircuitBreakerConfig other
        && Double.compare(failureRateThreshold, other.failureRateThreshold) == 0
        && Double.compare(slowCallRateThreshold, other.slowCallRateThreshold) == 0
        && slidingWindowType == other.slidingWindowType
        && slidingWindowSize == other.slidingWindowSize
        && minimumNumberOfCalls == other.minimumNumberOfCalls
        && consecutiveFailureThreshold == other.consecutiveFailureThreshold
        && permittedCallsInHalfOpen == other.permittedCallsInHalfOpen
        && openDurationNanos == other.openDurationNanos
        && Double.compare(openDurationMultiplier, other.openDurationMultiplier) == 0
        && maxOpenDurationNanos == other.maxOpenDurationNanos
        && Double.compare(openDurationJitter, other.openDurationJitter) == 0
        && maxHalfOpenDurationNanos == other.maxHalfOpenDurationNanos
        && classifier.equals(other.classifier);
  }

  @Override
  public int hashCode() {
    return Objects.hash(failureRateThreshold, slowCallRateThreshold, slidingWindowType, slidingWindowSize,
        minimumNumberOfCalls, consecutiveFailureThreshold, permittedCallsInHalfOpen, openDurationNanos,
        openDurationMultiplier, maxOpenDurationNanos, openDurationJitter, maxHalfOpenDurationNanos,
        classifier);
  }

  @Override
  public String toString() {
    return "CircuitBreakerConfig{failureRateThreshold=" + failureRateThreshold
        + ", slowCallRateThreshold=" + slowCallRateThreshold
        + ", slidingWindowType=" + slidingWindowType
        + ", slidingWindowSize=" + slidingWindowSize
        + ", minimumNumberOfCalls=" + minimumNumberOfCalls
        + ", consecutiveFailureThreshold=" + consecutiveFailureThreshold
        + ", permittedCallsInHalfOpen=" + permittedCallsInHalfOpen
        + ", openDuration=" + openDuration()
        + ", openDurationMultiplier=" + openDurationMultiplier
        + ", maxOpenDuration=" + maxOpenDuration()
        + ", openDurationJitter=" + openDurationJitter
        + ", maxHalfOpenDuration=" + maxHalfOpenDuration()
        + ", classifier=" + classifier
        + '}';
  }

  /**
   * Builds a {@link CircuitBreakerConfig}. Each option may be set once; unset options keep their defaults.
   *
   * <pre>{@code
   * CircuitBreakerConfig lowTraffic = CircuitBreakerConfig.builder()
   *     .slidingWindowType(SlidingWindowType.CONSECUTIVE_FAILURES)
   *     .consecutiveFailureThreshold(3)
   *     .permittedCallsInHalfOpen(1)
   *     .build();
   * }</pre>
   */
  public static final class Builder {
    private Double failureRateThreshold;
    private Double slowCallRateThreshold;
    private SlidingWindowType slidingWindowType;
    private Integer slidingWindowSize;
    private Integer minimumNumberOfCalls;
    private Integer consecutiveFailureThreshold;
    private Integer permittedCallsInHalfOpen;
    private Long openDurationNanos;
    private Double openDurationMultiplier;
    private Long maxOpenDurationNanos;
    private Double openDurationJitter;
    private Long maxHalfOpenDurationNanos;
    private OutcomeClassifier classifier;

    private Builder() {}

    private static void once(String option, Object previous) {
      if (previous != null) {
        throw new IllegalStateException(option + " was already set to " + previous);
      }
    }

    /**
     * Sets the failure rate, in percent, at or above which the breaker opens.
     *
     * @param percent in (0, 100]
     * @return this builder
     * @see CircuitBreakerConfig#failureRateThreshold()
     */
    public Builder failureRateThreshold(double percent) {
      once("failureRateThreshold", failureRateThreshold);
      failureRateThreshold = Check.percentage("failureRateThreshold", percent);
      return this;
    }

    /**
     * Sets the slow-call rate, in percent, at or above which the breaker opens.
     *
     * @param percent in (0, 100]
     * @return this builder
     * @see CircuitBreakerConfig#slowCallRateThreshold()
     */
    public Builder slowCallRateThreshold(double percent) {
      once("slowCallRateThreshold", slowCallRateThreshold);
      slowCallRateThreshold = Check.percentage("slowCallRateThreshold", percent);
      return this;
    }

    /**
     * Sets how the closed breaker measures the dependency.
     *
     * @param type the window type
     * @return this builder
     * @see CircuitBreakerConfig#slidingWindowType()
     */
    public Builder slidingWindowType(SlidingWindowType type) {
      Objects.requireNonNull(type, "slidingWindowType");
      once("slidingWindowType", slidingWindowType);
      slidingWindowType = type;
      return this;
    }

    /**
     * Sets the window size: calls for a count-based window (at most {@value CircuitBreakerConfig#MAX_COUNT_WINDOW}), seconds for
     * a time-based one (at most {@value CircuitBreakerConfig#MAX_TIME_WINDOW_SECONDS}).
     *
     * @param size at least 1
     * @return this builder
     * @see CircuitBreakerConfig#slidingWindowSize()
     */
    public Builder slidingWindowSize(int size) {
      once("slidingWindowSize", slidingWindowSize);
      slidingWindowSize = Check.inRange("slidingWindowSize", size, 1, MAX_COUNT_WINDOW);
      return this;
    }

    /**
     * Sets how many calls the window must hold before any rate is computed.
     *
     * @param calls at least 1
     * @return this builder
     * @see CircuitBreakerConfig#minimumNumberOfCalls()
     */
    public Builder minimumNumberOfCalls(int calls) {
      once("minimumNumberOfCalls", minimumNumberOfCalls);
      minimumNumberOfCalls = Check.positive("minimumNumberOfCalls", calls);
      return this;
    }

    /**
     * Sets how many failures in a row open a {@link SlidingWindowType#CONSECUTIVE_FAILURES} breaker.
     *
     * @param failures in [1, {@value CircuitBreakerConfig#MAX_COUNT_WINDOW}]
     * @return this builder
     * @see CircuitBreakerConfig#consecutiveFailureThreshold()
     */
    public Builder consecutiveFailureThreshold(int failures) {
      once("consecutiveFailureThreshold", consecutiveFailureThreshold);
      consecutiveFailureThreshold = Check.inRange("consecutiveFailureThreshold", failures, 1, MAX_COUNT_WINDOW);
      return this;
    }

    /**
     * Sets how many probe calls a half-open breaker lets through.
     *
     * @param calls in [1, {@value CircuitBreakerConfig#MAX_PERMITTED_CALLS_IN_HALF_OPEN}]
     * @return this builder
     * @see CircuitBreakerConfig#permittedCallsInHalfOpen()
     */
    public Builder permittedCallsInHalfOpen(int calls) {
      once("permittedCallsInHalfOpen", permittedCallsInHalfOpen);
      permittedCallsInHalfOpen =
          Check.inRange("permittedCallsInHalfOpen", calls, 1, MAX_PERMITTED_CALLS_IN_HALF_OPEN);
      return this;
    }

    /**
     * Sets how long the breaker stays open after its first trip.
     *
     * @param duration a positive duration
     * @return this builder
     * @see CircuitBreakerConfig#openDuration()
     */
    public Builder openDuration(Duration duration) {
      once("openDuration", openDurationNanos == null ? null : Duration.ofNanos(openDurationNanos));
      openDurationNanos = Check.positiveNanos("openDuration", duration);
      return this;
    }

    /**
     * Sets the factor by which the open duration grows with each consecutive trip.
     *
     * @param multiplier in [1, 100]; 1 keeps the open duration fixed
     * @return this builder
     * @see CircuitBreakerConfig#openDurationMultiplier()
     */
    public Builder openDurationMultiplier(double multiplier) {
      once("openDurationMultiplier", openDurationMultiplier);
      openDurationMultiplier = Check.inRange("openDurationMultiplier", multiplier, 1.0, 100.0);
      return this;
    }

    /**
     * Sets the cap on the growing open duration.
     *
     * @param duration a positive duration, at least the open duration
     * @return this builder
     * @see CircuitBreakerConfig#maxOpenDuration()
     */
    public Builder maxOpenDuration(Duration duration) {
      once("maxOpenDuration", maxOpenDurationNanos == null ? null : Duration.ofNanos(maxOpenDurationNanos));
      maxOpenDurationNanos = Check.positiveNanos("maxOpenDuration", duration);
      return this;
    }

    /**
     * Sets the random fraction by which each open duration is shortened.
     *
     * @param jitter in [0, 1); 0 turns jitter off
     * @return this builder
     * @see CircuitBreakerConfig#openDurationJitter()
     */
    public Builder openDurationJitter(double jitter) {
      once("openDurationJitter", openDurationJitter);
      if (!(jitter >= 0 && jitter < 1)) {
        throw new IllegalArgumentException("openDurationJitter must be in [0, 1), was " + jitter);
      }
      openDurationJitter = jitter;
      return this;
    }

    /**
     * Sets the longest a half-open episode may wait for its probes.
     *
     * @param duration a positive duration
     * @return this builder
     * @see CircuitBreakerConfig#maxHalfOpenDuration()
     */
    public Builder maxHalfOpenDuration(Duration duration) {
      once("maxHalfOpenDuration",
          maxHalfOpenDurationNanos == null ? null : Duration.ofNanos(maxHalfOpenDurationNanos));
      maxHalfOpenDurationNanos = Check.positiveNanos("maxHalfOpenDuration", duration);
      return this;
    }

    /**
     * Sets the classifier of outcomes and slow calls.
     *
     * @param classifier the classifier
     * @return this builder
     * @see CircuitBreakerConfig#classifier()
     */
    public Builder classifier(OutcomeClassifier classifier) {
      Objects.requireNonNull(classifier, "classifier");
      once("classifier", this.classifier);
      this.classifier = classifier;
      return this;
    }

    /**
     * Checks the combination of options and builds the configuration.
     *
     * @return an immutable configuration
     * @throws IllegalArgumentException if the window size does not fit the window type
     * @throws IllegalStateException if options contradict each other
     */
    public CircuitBreakerConfig build() {
      SlidingWindowType type = slidingWindowType != null ? slidingWindowType : SlidingWindowType.COUNT_BASED;
      int size = slidingWindowSize != null ? slidingWindowSize : DEFAULT_WINDOW_SIZE;
      if (type == SlidingWindowType.TIME_BASED && size > MAX_TIME_WINDOW_SECONDS) {
        throw new IllegalArgumentException("slidingWindowSize must be in [1, " + MAX_TIME_WINDOW_SECONDS
            + "] seconds for a TIME_BASED window, was " + size);
      }
      if (type == SlidingWindowType.CONSECUTIVE_FAILURES) {
        if (slidingWindowSize != null) {
          throw new IllegalStateException("slidingWindowSize (" + slidingWindowSize
              + ") does not apply to a CONSECUTIVE_FAILURES breaker; set consecutiveFailureThreshold");
        }
        if (minimumNumberOfCalls != null) {
          throw new IllegalStateException("minimumNumberOfCalls (" + minimumNumberOfCalls
              + ") does not apply to a CONSECUTIVE_FAILURES breaker; set consecutiveFailureThreshold");
        }
      } else if (consecutiveFailureThreshold != null) {
        throw new IllegalStateException("consecutiveFailureThreshold (" + consecutiveFailureThreshold
            + ") applies only to slidingWindowType CONSECUTIVE_FAILURES, was " + type);
      }
      int minimum;
      if (minimumNumberOfCalls == null) {
        minimum = type == SlidingWindowType.COUNT_BASED
            ? Math.min(DEFAULT_MINIMUM_NUMBER_OF_CALLS, size) : DEFAULT_MINIMUM_NUMBER_OF_CALLS;
      } else {
        minimum = minimumNumberOfCalls;
        if (type == SlidingWindowType.COUNT_BASED && minimum > size) {
          throw new IllegalStateException("minimumNumberOfCalls (" + minimum
              + ") must not exceed slidingWindowSize (" + size + ") of a COUNT_BASED window, or it never opens");
        }
      }
      long open = openDurationNanos != null ? openDurationNanos : DEFAULT_OPEN_DURATION.toNanos();
      long maxOpen;
      if (maxOpenDurationNanos == null) {
        maxOpen = Math.max(open, DEFAULT_MAX_OPEN_DURATION.toNanos());
      } else {
        maxOpen = maxOpenDurationNanos;
        if (maxOpen < open) {
          throw new IllegalStateException("maxOpenDuration (" + Duration.ofNanos(maxOpen)
              + ") must be at least openDuration (" + Duration.ofNanos(open) + ")");
        }
      }
      return new CircuitBreakerConfig(this, minimum, maxOpen);
    }
  }
}
