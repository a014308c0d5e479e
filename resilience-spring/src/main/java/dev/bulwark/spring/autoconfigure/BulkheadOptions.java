package dev.bulwark.spring.autoconfigure;

import java.time.Duration;

/**
 * The options of a semaphore bulkhead template or instance, under {@code bulwark.bulkhead.templates.<name>} or
 * {@code bulwark.bulkhead.instances.<name>}; unset options inherit.
 */
public class BulkheadOptions extends PolicyOptions {
  /** Calls admitted at once; default 25. Changed at run time in place. */
  private Integer maxConcurrentCalls;

  /** Longest a call waits for room; default 0 (reject at once). */
  private Duration maxWait;

  /** Calls that may wait at once (when max-wait is set); beyond, calls are rejected at once. */
  private Integer maxWaitingCalls;

  /**
   * Returns the option: Calls admitted at once; default 25. Changed at run time in place.
   *
   * @return the value, or null to inherit
   */
  public Integer getMaxConcurrentCalls() {
    return maxConcurrentCalls;
  }

  /**
   * Sets the option.
   *
   * @param maxConcurrentCalls the value
   */
  public void setMaxConcurrentCalls(Integer maxConcurrentCalls) {
    this.maxConcurrentCalls = maxConcurrentCalls;
  }

  /**
   * Returns the option: Longest a call waits for room; default 0 (reject at once).
   *
   * @return the value, or null to inherit
   */
  public Duration getMaxWait() {
    return maxWait;
  }

  /**
   * Sets the option.
   *
   * @param maxWait the value
   */
  public void setMaxWait(Duration maxWait) {
    this.maxWait = maxWait;
  }

  /**
   * Returns the option: Calls that may wait at once (when max-wait is set); beyond, calls are rejected at once.
   *
   * @return the value, or null to inherit
   */
  public Integer getMaxWaitingCalls() {
    return maxWaitingCalls;
  }

  /**
   * Sets the option.
   *
   * @param maxWaitingCalls the value
   */
  public void setMaxWaitingCalls(Integer maxWaitingCalls) {
    this.maxWaitingCalls = maxWaitingCalls;
  }
}
