package dev.bulwark.spring.autoconfigure;

import dev.bulwark.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.List;

/**
 * The options of a circuit breaker template or instance, under {@code bulwark.circuitbreaker.templates.<name>}
 * or {@code bulwark.circuitbreaker.instances.<name>}. Each maps to the {@code CircuitBreakerConfig} option of the
 * same name, whose javadoc gives its default and rule; unset options inherit.
 */
public class CircuitBreakerOptions extends PolicyOptions {
  /** Failure rate, in percent, at or above which the breaker opens: (0, 100], default 50. */
  private Double failureRateThreshold;

  /** Slow-call rate, in percent, at or above which the breaker opens: (0, 100], default 100. */
  private Double slowCallRateThreshold;

  /** How the closed breaker measures the dependency: COUNT_BASED (default), TIME_BASED or CONSECUTIVE_FAILURES. */
  private CircuitBreakerConfig.SlidingWindowType slidingWindowType;

  /** Size of the sliding window: calls (count-based) or seconds (time-based); default 100. */
  private Integer slidingWindowSize;

  /** Calls the window must hold before a rate can open the breaker; default 50. */
  private Integer minimumNumberOfCalls;

  /** Failures in a row that open a CONSECUTIVE_FAILURES breaker; default 5. */
  private Integer consecutiveFailureThreshold;

  /** Probe calls admitted in one half-open episode; default 10. */
  private Integer permittedCallsInHalfOpen;

  /** How long the breaker stays open before it lets probes through; default 30s. */
  private Duration openDuration;

  /** Growth factor of the open duration after each failed probe episode; 1 (default) keeps it fixed. */
  private Double openDurationMultiplier;

  /** Cap on the growing open duration; default 5 minutes. */
  private Duration maxOpenDuration;

  /** Random spread of the open duration, as a fraction in [0, 1); default 0.1. */
  private Double openDurationJitter;

  /** Longest a half-open episode waits for its probes before reopening; default 60 seconds. */
  private Duration maxHalfOpenDuration;

  /** Exceptions that count as failures; when set, other exceptions count as successes. */
  private List<Class<? extends Throwable>> recordExceptions;

  /** Exceptions that count neither as failures nor as successes (ignore beats record). */
  private List<Class<? extends Throwable>> ignoreExceptions;

  /** Calls at least this long are slow; unset, no call is slow. */
  private Duration slowCallDuration;

  /**
   * Returns the option: Failure rate, in percent, at or above which the breaker opens: (0, 100], default 50.
   *
   * @return the value, or null to inherit
   */
  public Double getFailureRateThreshold() {
    return failureRateThreshold;
  }

  /**
   * Sets the option.
   *
   * @param failureRateThreshold the value
   */
  public void setFailureRateThreshold(Double failureRateThreshold) {
    this.failureRateThreshold = failureRateThreshold;
  }

  /**
   * Returns the option: Slow-call rate, in percent, at or above which the breaker opens: (0, 100], default 100.
   *
   * @return the value, or null to inherit
   */
  public Double getSlowCallRateThreshold() {
    return slowCallRateThreshold;
  }

  /**
   * Sets the option.
   *
   * @param slowCallRateThreshold the value
   */
  public void setSlowCallRateThreshold(Double slowCallRateThreshold) {
    this.slowCallRateThreshold = slowCallRateThreshold;
  }

  /**
   * Returns the option: How the closed breaker measures the dependency: COUNT_BASED (default), TIME_BASED or CONSECUTIVE_FAILURES.
   *
   * @return the value, or null to inherit
   */
  public CircuitBreakerConfig.SlidingWindowType getSlidingWindowType() {
    return slidingWindowType;
  }

  /**
   * Sets the option.
   *
   * @param slidingWindowType the value
   */
  public void setSlidingWindowType(CircuitBreakerConfig.SlidingWindowType slidingWindowType) {
    this.slidingWindowType = slidingWindowType;
  }

  /**
   * Returns the option: Size of the sliding window: calls (count-based) or seconds (time-based); default 100.
   *
   * @return the value, or null to inherit
   */
  public Integer getSlidingWindowSize() {
    return slidingWindowSize;
  }

  /**
   * Sets the option.
   *
   * @param slidingWindowSize the value
   */
  public void setSlidingWindowSize(Integer slidingWindowSize) {
    this.slidingWindowSize = slidingWindowSize;
  }

  /**
   * Returns the option: Calls the window must hold before a rate can open the breaker; default 50.
   *
   * @return the value, or null to inherit
   */
  public Integer getMinimumNumberOfCalls() {
    return minimumNumberOfCalls;
  }

  /**
   * Sets the option.
   *
   * @param minimumNumberOfCalls the value
   */
  public void setMinimumNumberOfCalls(Integer minimumNumberOfCalls) {
    this.minimumNumberOfCalls = minimumNumberOfCalls;
  }

  /**
   * Returns the option: Failures in a row that open a CONSECUTIVE_FAILURES breaker; default 5.
   *
   * @return the value, or null to inherit
   */
  public Integer getConsecutiveFailureThreshold() {
    return consecutiveFailureThreshold;
  }

  /**
   * Sets the option.
   *
   * @param consecutiveFailureThreshold the value
   */
  public void setConsecutiveFailureThreshold(Integer consecutiveFailureThreshold) {
    this.consecutiveFailureThreshold = consecutiveFailureThreshold;
  }

  /**
   * Returns the option: Probe calls admitted in one half-open episode; default 10.
   *
   * @return the value, or null to inherit
   */
  public Integer getPermittedCallsInHalfOpen() {
    return permittedCallsInHalfOpen;
  }

  /**
   * Sets the option.
   *
   * @param permittedCallsInHalfOpen the value
   */
  public void setPermittedCallsInHalfOpen(Integer permittedCallsInHalfOpen) {
    this.permittedCallsInHalfOpen = permittedCallsInHalfOpen;
  }

  /**
   * Returns the option: How long the breaker stays open before it lets probes through; default 30s.
   *
   * @return the value, or null to inherit
   */
  public Duration getOpenDuration() {
    return openDuration;
  }

  /**
   * Sets the option.
   *
   * @param openDuration the value
   */
  public void setOpenDuration(Duration openDuration) {
    this.openDuration = openDuration;
  }

  /**
   * Returns the option: Growth factor of the open duration after each failed probe episode; 1 (default) keeps it fixed.
   *
   * @return the value, or null to inherit
   */
  public Double getOpenDurationMultiplier() {
    return openDurationMultiplier;
  }

  /**
   * Sets the option.
   *
   * @param openDurationMultiplier the value
   */
  public void setOpenDurationMultiplier(Double openDurationMultiplier) {
    this.openDurationMultiplier = openDurationMultiplier;
  }

  /**
   * Returns the option: Cap on the growing open duration; default 5 minutes.
   *
   * @return the value, or null to inherit
   */
  public Duration getMaxOpenDuration() {
    return maxOpenDuration;
  }

  /**
   * Sets the option.
   *
   * @param maxOpenDuration the value
   */
  public void setMaxOpenDuration(Duration maxOpenDuration) {
    this.maxOpenDuration = maxOpenDuration;
  }

  /**
   * Returns the option: Random spread of the open duration, as a fraction in [0, 1); default 0.1.
   *
   * @return the value, or null to inherit
   */
  public Double getOpenDurationJitter() {
    return openDurationJitter;
  }

  /**
   * Sets the option.
   *
   * @param openDurationJitter the value
   */
  public void setOpenDurationJitter(Double openDurationJitter) {
    this.openDurationJitter = openDurationJitter;
  }

  /**
   * Returns the option: Longest a half-open episode waits for its probes before reopening; default 60 seconds.
   *
   * @return the value, or null to inherit
   */
  public Duration getMaxHalfOpenDuration() {
    return maxHalfOpenDuration;
  }

  /**
   * Sets the option.
   *
   * @param maxHalfOpenDuration the value
   */
  public void setMaxHalfOpenDuration(Duration maxHalfOpenDuration) {
    this.maxHalfOpenDuration = maxHalfOpenDuration;
  }

  /**
   * Returns the option: Exceptions that count as failures; when set, other exceptions count as successes.
   *
   * @return the value, or null to inherit
   */
  public List<Class<? extends Throwable>> getRecordExceptions() {
    return recordExceptions;
  }

  /**
   * Sets the option.
   *
   * @param recordExceptions the value
   */
  public void setRecordExceptions(List<Class<? extends Throwable>> recordExceptions) {
    this.recordExceptions = recordExceptions;
  }

  /**
   * Returns the option: Exceptions that count neither as failures nor as successes (ignore beats record).
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
   * Returns the option: Calls at least this long are slow; unset, no call is slow.
   *
   * @return the value, or null to inherit
   */
  public Duration getSlowCallDuration() {
    return slowCallDuration;
  }

  /**
   * Sets the option.
   *
   * @param slowCallDuration the value
   */
  public void setSlowCallDuration(Duration slowCallDuration) {
    this.slowCallDuration = slowCallDuration;
  }
}
