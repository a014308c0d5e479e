package dev.bulwark.retry;

import dev.bulwark.internal.Check;
import java.time.Duration;
import java.util.Objects;

/**
 * The immutable configuration of a {@link RetryBudget}: which mode, and its parameters.
 *
 * <p>Two modes cap retries as a fraction of traffic, so that an outage cannot multiply the load on a
 * dependency:
 * <ul>
 *   <li>{@link #ratio(double, double, Duration) ratio}: over a sliding {@code window}, retries may not exceed
 *       {@code ratio * requests + minRetriesPerSecond * window} (the scheme of Finagle's and Envoy's retry
 *       budgets). The minimum keeps a trickle of retries for services with little traffic.</li>
 *   <li>{@link #tokenBucket(double, double) tokenBucket}: a bucket of {@code maxTokens} starts full; each
 *       failed attempt takes one token, each successful one returns {@code tokenRatio}; retries are allowed
 *       only while more than half the tokens are left (the scheme of gRPC's retry throttling).</li>
 * </ul>
 * {@link #unlimited()} turns the budget off.
 *
 * <pre>{@code
 * RetryConfig config = RetryConfig.builder()
 *     .budget(RetryBudgetConfig.ratio(0.1, 10, Duration.ofSeconds(10)))  // the default
 *     .build();
 * }</pre>
 */
public final class RetryBudgetConfig {

  /** The default ratio: retries may add at most 10% to the requests. */
  public static final double DEFAULT_RATIO = 0.1;
  /** The default minimum rate of retries always allowed, per second. */
  public static final double DEFAULT_MIN_RETRIES_PER_SECOND = 10;
  /** The default sliding window of the ratio mode. */
  public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);

  private static final RetryBudgetConfig DEFAULTS =
      ratio(DEFAULT_RATIO, DEFAULT_MIN_RETRIES_PER_SECOND, DEFAULT_WINDOW);
  private static final RetryBudgetConfig UNLIMITED = new RetryBudgetConfig(Mode.UNLIMITED, 0, 0, null, 0, 0);

  /**
   * The kinds of budget.
   *
   * <pre>{@code
   * if (retry.budget().config().mode() == RetryBudgetConfig.Mode.UNLIMITED) {
   *   log.warn("retry {} has no budget", retry.name());
   * }
   * }</pre>
   */
  public enum Mode {
    /** Retries as a fraction of requests over a sliding window, plus a minimum rate. */
    RATIO,
    /** gRPC-style token bucket: failures take tokens, successes return a fraction. */
    TOKEN_BUCKET,
    /** No budget: every retry the policy allows is made. */
    UNLIMITED
  }

  private final Mode mode;
  private final double ratio;
  private final double minRetriesPerSecond;
  private final Duration window;
  private final double maxTokens;
  private final double tokenRatio;

  private RetryBudgetConfig(
      Mode mode, double ratio, double minRetriesPerSecond, Duration window, double maxTokens, double tokenRatio) {
    this.mode = mode;
    this.ratio = ratio;
    this.minRetriesPerSecond = minRetriesPerSecond;
    this.window = window;
    this.maxTokens = maxTokens;
    this.tokenRatio = tokenRatio;
  }

  /**
   * Returns the default budget: {@code ratio(0.1, 10, 10 s)}.
   *
   * @return the default configuration
   */
  public static RetryBudgetConfig defaults() {
    return DEFAULTS;
  }

  /**
   * Returns a ratio budget with the default minimum rate (10 retries per second) and window (10 s).
   *
   * @param ratio retries allowed per request, in {@code [0, 1]}
   * @return the configuration
   */
  public static RetryBudgetConfig ratio(double ratio) {
    return ratio(ratio, DEFAULT_MIN_RETRIES_PER_SECOND, DEFAULT_WINDOW);
  }

  /**
   * Returns a ratio budget: over any {@code window}, retries stay below
   * {@code ratio * requests + minRetriesPerSecond * window.toSeconds()}.
   *
   * @param ratio retries allowed per request, in {@code [0, 1]}
   * @param minRetriesPerSecond retries always allowed per second of the window, zero or more
   * @param window the sliding window, positive
   * @return the configuration
   * @throws IllegalArgumentException if an argument breaks its rule
   */
  public static RetryBudgetConfig ratio(double ratio, double minRetriesPerSecond, Duration window) {
    Check.inRange("ratio", ratio, 0.0, 1.0);
    Check.atLeast("minRetriesPerSecond", minRetriesPerSecond, 0.0);
    if (Double.isInfinite(minRetriesPerSecond)) {
      throw new IllegalArgumentException("minRetriesPerSecond must be finite, was " + minRetriesPerSecond);
    }
    Check.positiveNanos("window", window);
    return new RetryBudgetConfig(Mode.RATIO, ratio, minRetriesPerSecond, window, 0, 0);
  }

  /**
   * Returns a token-bucket budget as in gRPC's retry throttling: the bucket starts with {@code maxTokens};
   * each failed attempt takes one token, each successful attempt returns {@code tokenRatio} (never above
   * {@code maxTokens}); a retry is allowed while more than {@code maxTokens / 2} tokens are left. Tokens are
   * counted in thousandths.
   *
   * @param maxTokens the capacity, in {@code [1, 1_000_000]}
   * @param tokenRatio the tokens a success returns, in {@code (0, 1]}, at least 0.001
   * @return the configuration
   * @throws IllegalArgumentException if an argument breaks its rule
   */
  public static RetryBudgetConfig tokenBucket(double maxTokens, double tokenRatio) {
    Check.inRange("maxTokens", maxTokens, 1.0, 1_000_000.0);
    if (!(tokenRatio >= 0.001 && tokenRatio <= 1.0)) {
      throw new IllegalArgumentException("tokenRatio must be in [0.001, 1.0], was " + tokenRatio);
    }
    return new RetryBudgetConfig(Mode.TOKEN_BUCKET, 0, 0, null, maxTokens, tokenRatio);
  }

  /**
   * Returns the configuration of no budget at all. Only for dependencies whose callers can never multiply
   * their load, such as a single batch job.
   *
   * @return the unlimited configuration
   */
  public static RetryBudgetConfig unlimited() {
    return UNLIMITED;
  }

  /**
   * Returns the mode.
   *
   * @return the mode
   */
  public Mode mode() {
    return mode;
  }

  /**
   * Returns the retries allowed per request in the ratio mode (default 0.1); 0 in the other modes.
   *
   * @return the ratio
   */
  public double ratio() {
    return ratio;
  }

  /**
   * Returns the retries per second always allowed in the ratio mode (default 10); 0 in the other modes.
   *
   * @return the minimum rate
   */
  public double minRetriesPerSecond() {
    return minRetriesPerSecond;
  }

  /**
   * Returns the sliding window of the ratio mode (default 10 s); {@code null} in the other modes.
   *
   * @return the window
   */
  public Duration window() {
    return window;
  }

  /**
   * Returns the capacity of the token bucket; 0 in the other modes.
   *
   * @return the maximum number of tokens
   */
  public double maxTokens() {
    return maxTokens;
  }

  /**
   * Returns the tokens a success returns in the token-bucket mode; 0 in the other modes.
   *
   * @return the token ratio
   */
  public double tokenRatio() {
    return tokenRatio;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RetryBudgetConfig other
        && mode == other.mode
        && Double.compare(ratio, other.ratio) == 0
        && Double.compare(minRetriesPerSecond, other.minRetriesPerSecond) == 0
        && Objects.equals(window, other.window)
        && Double.compare(maxTokens, other.maxTokens) == 0
        && Double.compare(tokenRatio, other.tokenRatio) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(mode, ratio, minRetriesPerSecond, window, maxTokens, tokenRatio);
  }

  @Override
  public String toString() {
    switch (mode) {
      case RATIO:
        return "RetryBudgetConfig{ratio=" + ratio + ", minRetriesPerSecond=" + minRetriesPerSecond
            + ", window=" + window + '}';
      case TOKEN_BUCKET:
        return "RetryBudgetConfig{tokenBucket, maxTokens=" + maxTokens + ", tokenRatio=" + tokenRatio + '}';
      default:
        return "RetryBudgetConfig{unlimited}";
    }
  }
}
