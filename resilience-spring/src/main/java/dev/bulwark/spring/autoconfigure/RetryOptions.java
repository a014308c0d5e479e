package dev.bulwark.spring.autoconfigure;

import dev.bulwark.retry.Jitter;
import dev.bulwark.retry.RetryBudgetConfig;
import dev.bulwark.retry.RetryOnRejection;
import java.time.Duration;
import java.util.List;

/**
 * The options of a retry template or instance, under {@code bulwark.retry.templates.<name>} or
 * {@code bulwark.retry.instances.<name>}. Each maps to the {@code RetryConfig} option of the same name; unset
 * options inherit.
 */
public class RetryOptions extends PolicyOptions {
  /** Attempts, the first call included; default 3. */
  private Integer maxAttempts;

  /** Total time the attempts and waits of one call may take; unbounded by default. */
  private Duration maxDuration;

  /** The backoff: NONE, FIXED (delay) or EXPONENTIAL (delay * multiplier^(n-1), capped at max-delay); default exponential from 100 ms doubling to 10 s with full jitter. */
  private BackoffType backoff;

  /** The fixed delay, or the first delay of an exponential backoff; default 100ms. */
  private Duration delay;

  /** Growth factor of an exponential backoff, at least 1; default 2. */
  private Double multiplier;

  /** The largest delay of an exponential backoff; default 10s. */
  private Duration maxDelay;

  /** Randomization of each delay: NONE, FULL, EQUAL or DECORRELATED; default FULL for an exponential backoff, NONE for a fixed one. */
  private Jitter jitter;

  /** Exceptions that are retried; when set, others are not. Default: every exception. */
  private List<Class<? extends Throwable>> retryExceptions;

  /** Exceptions that are never retried, even if listed in retry-exceptions. */
  private List<Class<? extends Throwable>> ignoreExceptions;

  /** Exceptions that stop retrying at once. */
  private List<Class<? extends Throwable>> abortExceptions;

  /** How rejections by inner policies (an open breaker, a full bulkhead) are retried: NEVER, IF_HINT_FITS (default: after its retry-after hint, if it fits) or ALWAYS */
  private RetryOnRejection onRejection;

  /** Longest retry-after hint the retry waits for; default 10s. */
  private Duration maxRetryAfter;

  /** The retry budget shared by the instance's calls: RATIO (default: 10 % of requests plus 10 retries a second over 10 s), TOKEN_BUCKET or UNLIMITED. */
  private RetryBudgetConfig.Mode budget;

  /** RATIO budget: retries as a fraction of requests. */
  private Double budgetRatio;

  /** RATIO budget: retries always allowed per second. */
  private Double budgetMinRetriesPerSecond;

  /** RATIO budget: the sliding window. */
  private Duration budgetWindow;

  /** TOKEN_BUCKET budget: the bucket size. */
  private Double budgetMaxTokens;

  /** TOKEN_BUCKET budget: the tokens a success returns, in [0.001, 1]. */
  private Double budgetTokenRatio;

  /**
   * Returns the option: Attempts, the first call included; default 3.
   *
   * @return the value, or null to inherit
   */
  public Integer getMaxAttempts() {
    return maxAttempts;
  }

  /**
   * Sets the option.
   *
   * @param maxAttempts the value
   */
  public void setMaxAttempts(Integer maxAttempts) {
    this.maxAttempts = maxAttempts;
  }

  /**
   * Returns the option: Total time the attempts and waits of one call may take; unbounded by default.
   *
   * @return the value, or null to inherit
   */
  public Duration getMaxDuration() {
    return maxDuration;
  }

  /**
   * Sets the option.
   *
   * @param maxDuration the value
   */
  public void setMaxDuration(Duration maxDuration) {
    this.maxDuration = maxDuration;
  }

  /**
   * Returns the option: The backoff: NONE, FIXED (delay) or EXPONENTIAL (delay * multiplier^(n-1), capped at max-delay); default exponential from 100 ms doubling to 10 s with full jitter.
   *
   * @return the value, or null to inherit
   */
  public BackoffType getBackoff() {
    return backoff;
  }

  /**
   * Sets the option.
   *
   * @param backoff the value
   */
  public void setBackoff(BackoffType backoff) {
    this.backoff = backoff;
  }

  /**
   * Returns the option: The fixed delay, or the first delay of an exponential backoff; default 100ms.
   *
   * @return the value, or null to inherit
   */
  public Duration getDelay() {
    return delay;
  }

  /**
   * Sets the option.
   *
   * @param delay the value
   */
  public void setDelay(Duration delay) {
    this.delay = delay;
  }

  /**
   * Returns the option: Growth factor of an exponential backoff, at least 1; default 2.
   *
   * @return the value, or null to inherit
   */
  public Double getMultiplier() {
    return multiplier;
  }

  /**
   * Sets the option.
   *
   * @param multiplier the value
   */
  public void setMultiplier(Double multiplier) {
    this.multiplier = multiplier;
  }

  /**
   * Returns the option: The largest delay of an exponential backoff; default 10s.
   *
   * @return the value, or null to inherit
   */
  public Duration getMaxDelay() {
    return maxDelay;
  }

  /**
   * Sets the option.
   *
   * @param maxDelay the value
   */
  public void setMaxDelay(Duration maxDelay) {
    this.maxDelay = maxDelay;
  }

  /**
   * Returns the option: Randomization of each delay: NONE, FULL, EQUAL or DECORRELATED; default FULL for an exponential backoff, NONE for a fixed one.
   *
   * @return the value, or null to inherit
   */
  public Jitter getJitter() {
    return jitter;
  }

  /**
   * Sets the option.
   *
   * @param jitter the value
   */
  public void setJitter(Jitter jitter) {
    this.jitter = jitter;
  }

  /**
   * Returns the option: Exceptions that are retried; when set, others are not. Default: every exception.
   *
   * @return the value, or null to inherit
   */
  public List<Class<? extends Throwable>> getRetryExceptions() {
    return retryExceptions;
  }

  /**
   * Sets the option.
   *
   * @param retryExceptions the value
   */
  public void setRetryExceptions(List<Class<? extends Throwable>> retryExceptions) {
    this.retryExceptions = retryExceptions;
  }

  /**
   * Returns the option: Exceptions that are never retried, even if listed in retry-exceptions.
   *
   * @return the value, or null to inherit
   */
  public List<Class<? extends Throwable>> getIgnoreExceptions() {
    return ignoreExceptions;
  }

  /**
   * Sets the option.
   *
   * @param ignoreExceptions the value
   */
  public void setIgnoreExceptions(List<Class<? extends Throwable>> ignoreExceptions) {
    this.ignoreExceptions = ignoreExceptions;
  }

  /**
   * Returns the option: Exceptions that stop retrying at once.
   *
   * @return the value, or null to inherit
   */
  public List<Class<? extends Throwable>> getAbortExceptions() {
    return abortExceptions;
  }

  /**
   * Sets the option.
   *
   * @param abortExceptions the value
   */
  public void setAbortExceptions(List<Class<? extends Throwable>> abortExceptions) {
    this.abortExceptions = abortExceptions;
  }

  /**
   * Returns the option: How rejections by inner policies (an open breaker, a full bulkhead) are retried: NEVER, IF_HINT_FITS (default: after its retry-after hint, if it fits) or ALWAYS
   *
   * @return the value, or null to inherit
   */
  public RetryOnRejection getOnRejection() {
    return onRejection;
  }

  /**
   * Sets the option.
   *
   * @param onRejection the value
   */
  public void setOnRejection(RetryOnRejection onRejection) {
    this.onRejection = onRejection;
  }

  /**
   * Returns the option: Longest retry-after hint the retry waits for; default 10s.
   *
   * @return the value, or null to inherit
   */
  public Duration getMaxRetryAfter() {
    return maxRetryAfter;
  }

  /**
   * Sets the option.
   *
   * @param maxRetryAfter the value
   */
  public void setMaxRetryAfter(Duration maxRetryAfter) {
    this.maxRetryAfter = maxRetryAfter;
  }

  /**
   * Returns the option: The retry budget shared by the instance's calls: RATIO (default: 10 % of requests plus 10 retries a second over 10 s), TOKEN_BUCKET or UNLIMITED.
   *
   * @return the value, or null to inherit
   */
  public RetryBudgetConfig.Mode getBudget() {
    return budget;
  }

  /**
   * Sets the option.
   *
   * @param budget the value
   */
  public void setBudget(RetryBudgetConfig.Mode budget) {
    this.budget = budget;
  }

  /**
   * Returns the option: RATIO budget: retries as a fraction of requests.
   *
   * @return the value, or null to inherit
   */
  public Double getBudgetRatio() {
    return budgetRatio;
  }

  /**
   * Sets the option.
   *
   * @param budgetRatio the value
   */
  public void setBudgetRatio(Double budgetRatio) {
    this.budgetRatio = budgetRatio;
  }

  /**
   * Returns the option: RATIO budget: retries always allowed per second.
   *
   * @return the value, or null to inherit
   */
  public Double getBudgetMinRetriesPerSecond() {
    return budgetMinRetriesPerSecond;
  }

  /**
   * Sets the option.
   *
   * @param budgetMinRetriesPerSecond the value
   */
  public void setBudgetMinRetriesPerSecond(Double budgetMinRetriesPerSecond) {
    this.budgetMinRetriesPerSecond = budgetMinRetriesPerSecond;
  }

  /**
   * Returns the option: RATIO budget: the sliding window.
   *
   * @return the value, or null to inherit
   */
  public Duration getBudgetWindow() {
    return budgetWindow;
  }

  /**
   * Sets the option.
   *
   * @param budgetWindow the value
   */
  public void setBudgetWindow(Duration budgetWindow) {
    this.budgetWindow = budgetWindow;
  }

  /**
   * Returns the option: TOKEN_BUCKET budget: the bucket size.
   *
   * @return the value, or null to inherit
   */
  public Double getBudgetMaxTokens() {
    return budgetMaxTokens;
  }

  /**
   * Sets the option.
   *
   * @param budgetMaxTokens the value
   */
  public void setBudgetMaxTokens(Double budgetMaxTokens) {
    this.budgetMaxTokens = budgetMaxTokens;
  }

  /**
   * Returns the option: TOKEN_BUCKET budget: the tokens a success returns, in [0.001, 1].
   *
   * @return the value, or null to inherit
   */
  public Double getBudgetTokenRatio() {
    return budgetTokenRatio;
  }

  /**
   * Sets the option.
   *
   * @param budgetTokenRatio the value
   */
  public void setBudgetTokenRatio(Double budgetTokenRatio) {
    this.budgetTokenRatio = budgetTokenRatio;
  }


  /** The kinds of backoff a property can name. */
  public enum BackoffType {
    /** Retry at once. */
    NONE,
    /** Always wait {@code delay}. */
    FIXED,
    /** Wait {@code delay * multiplier^(n-1)}, at most {@code max-delay}. */
    EXPONENTIAL
  }
}
