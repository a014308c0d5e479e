package dev.bulwark.spring.autoconfigure;

import java.time.Duration;

/**
 * The options of a timeout template or instance, under {@code bulwark.timeout.templates.<name>} or
 * {@code bulwark.timeout.instances.<name>}; unset options inherit.
 */
public class TimeoutOptions extends PolicyOptions {
  /** How long one attempt may take; default 1s. */
  private Duration timeout;

  /** Whether a timed-out attempt is interrupted (sync) or its stage cancelled (async); default true. */
  private Boolean cancelRunningWork;

  /**
   * Returns the option: How long one attempt may take; default 1s.
   *
   * @return the value, or null to inherit
   */
  public Duration getTimeout() {
    return timeout;
  }

  /**
   * Sets the option.
   *
   * @param timeout the value
   */
  public void setTimeout(Duration timeout) {
    this.timeout = timeout;
  }

  /**
   * Returns the option: Whether a timed-out attempt is interrupted (sync) or its stage cancelled (async); default true.
   *
   * @return the value, or null to inherit
   */
  public Boolean getCancelRunningWork() {
    return cancelRunningWork;
  }

  /**
   * Sets the option.
   *
   * @param cancelRunningWork the value
   */
  public void setCancelRunningWork(Boolean cancelRunningWork) {
    this.cancelRunningWork = cancelRunningWork;
  }
}
