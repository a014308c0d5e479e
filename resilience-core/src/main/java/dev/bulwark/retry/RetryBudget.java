package dev.bulwark.retry;

import dev.bulwark.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Caps retries as a fraction of the traffic to one dependency, so an outage cannot multiply the load on it.
 *
 * <p>Without a budget, 10,000 failing requests retried 3 times send 30,000 extra requests exactly when the
 * dependency has the least capacity, and every layer of retrying services multiplies that again. A budget is
 * shared by all the calls to one dependency (each {@link Retry} built from a config has its own; pass one
 * instance to several retries with {@link Retry.Builder#budget(RetryBudget)} to share it). When the budget
 * is exhausted the call fails with its original error and {@link Retry.Metrics#callsStoppedByBudget()} says
 * why. See {@link RetryBudgetConfig} for the two modes.
 *
 * <p>The methods are also usable directly, by integrations that retry on their own (an HTTP client hook):
 * record each request and each attempt's outcome, and ask before every retry.
 *
 * <pre>{@code
 * RetryBudget budget = RetryBudget.ratio(0.1);
 * Retry search = Retry.builder("search").budget(budget).build();
 * Retry suggest = Retry.builder("suggest").budget(budget).build();   // same backend, same budget
 * double left = budget.metrics().balance();
 * }</pre>
 */
public interface RetryBudget {

  /**
   * Creates a budget on the system clock.
   *
   * @param config the configuration
   * @return a new budget
   */
  static RetryBudget of(RetryBudgetConfig config) {
    return of(config, Clock.system());
  }

  /**
   * Creates a budget whose sliding window (ratio mode) runs on {@code clock}.
   *
   * @param config the configuration
   * @param clock the clock
   * @return a new budget
   */
  static RetryBudget of(RetryBudgetConfig config, Clock clock) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(clock, "clock");
    switch (config.mode()) {
      case RATIO:
        return new RatioRetryBudget(config, clock);
      case TOKEN_BUCKET:
        return new TokenBucketRetryBudget(config);
      default:
        return UnlimitedRetryBudget.INSTANCE;
    }
  }

  /**
   * Creates a ratio budget on the system clock: {@code RetryBudget.of(RetryBudgetConfig.ratio(ratio))}.
   *
   * @param ratio retries allowed per request, in {@code [0, 1]}
   * @return a new budget
   */
  static RetryBudget ratio(double ratio) {
    return of(RetryBudgetConfig.ratio(ratio));
  }

  /**
   * Creates a ratio budget on the system clock; see {@link RetryBudgetConfig#ratio(double, double, Duration)}.
   *
   * @param ratio retries allowed per request, in {@code [0, 1]}
   * @param minRetriesPerSecond retries always allowed per second of the window, zero or more
   * @param window the sliding window, positive
   * @return a new budget
   */
  static RetryBudget ratio(double ratio, double minRetriesPerSecond, Duration window) {
    return of(RetryBudgetConfig.ratio(ratio, minRetriesPerSecond, window));
  }

  /**
   * Creates a gRPC-style token-bucket budget; see {@link RetryBudgetConfig#tokenBucket(double, double)}.
   *
   * @param maxTokens the capacity, in {@code [1, 1_000_000]}
   * @param tokenRatio the tokens a success returns, in {@code [0.001, 1]}
   * @return a new budget
   */
  static RetryBudget tokenBucket(double maxTokens, double tokenRatio) {
    return of(RetryBudgetConfig.tokenBucket(maxTokens, tokenRatio));
  }

  /**
   * Records a request: a call's first attempt. Retries are not requests. A {@link Retry} calls this for a
   * budget given to its builder; the budget it creates for itself from its configuration reads the retry's
   * own counters instead, which saves an atomic increment per call.
   */
  void recordRequest();

  /**
   * Records an attempt that succeeded.
   */
  void recordSuccess();

  /**
   * Records an attempt that failed with a retryable failure (rejections by other policies are not recorded:
   * they say nothing about the dependency).
   */
  void recordFailure();

  /**
   * Asks to make one retry now; when it answers {@code true} the retry is counted as spent.
   *
   * @return whether the budget allows the retry
   */
  boolean tryAcquireRetry();

  /**
   * Returns the configuration.
   *
   * @return the configuration
   */
  RetryBudgetConfig config();

  /**
   * Returns a read-only view of the budget's state.
   *
   * @return the metrics view
   */
  Metrics metrics();

  /**
   * What a budget has allowed and how much is left.
   *
   * <pre>{@code
   * RetryBudget.Metrics m = budget.metrics();
   * gauge("retry.budget.balance", m::balance);
   * }</pre>
   */
  interface Metrics {
    /**
     * Returns the budget level now. Ratio mode: the retries still allowed in the current window
     * ({@code ratio * requests + minimum - retries}, fractional). Token bucket: the tokens in the bucket.
     * Unlimited: {@link Double#POSITIVE_INFINITY}.
     *
     * @return the level
     */
    double balance();

    /**
     * Returns how many retries in a row the budget would allow now, if nothing else happened.
     *
     * @return the retries available, {@link Long#MAX_VALUE} when unlimited
     */
    long availableRetries();

    /**
     * Returns the requests recorded since the budget was created.
     *
     * @return the request count
     */
    long requests();

    /**
     * Returns the retries allowed since the budget was created.
     *
     * @return the count of retries allowed
     */
    long retriesPermitted();

    /**
     * Returns the retries refused since the budget was created.
     *
     * @return the count of retries refused
     */
    long retriesRejected();
  }
}
