package dev.bulwark.spring.autoconfigure;

import java.time.Duration;

/**
 * The options of a rate limiter template or instance, under {@code bulwark.ratelimiter.templates.<name>} or
 * {@code bulwark.ratelimiter.instances.<name>}; unset options inherit. Changed at run time in place.
 */
public class RateLimiterOptions extends PolicyOptions {
  /** Calls admitted per period, on average; default 50. */
  private Integer limitForPeriod;

  /** The period; default 1s. */
  private Duration period;

  /** Calls that may be admitted at once after a quiet spell (the bucket); default limit-for-period. */
  private Integer burstCapacity;

  /** Longest a call waits for a permit; default 0 (reject at once). */
  private Duration maxWait;

  /**
   * Returns the option: Calls admitted per period, on average; default 50.
   *
   * @return the value, or null to inherit
   */
  public Integer getLimitForPeriod() {
    return limitForPeriod;
  }

  /**
   * Sets the option.
   *
   * @param limitForPeriod the value
   */
  public void setLimitForPeriod(Integer limitForPeriod) {
    this.limitForPeriod = limitForPeriod;
  }

  /**
   * Returns the option: The period; default 1s.
   *
   * @return the value, or null to inherit
   */
  public Duration getPeriod() {
    return period;
  }

  /**
   * Sets the option.
   *
   * @param period the value
   */
  public void setPeriod(Duration period) {
    this.period = period;
  }

  /**
   * Returns the option: Calls that may be admitted at once after a quiet spell (the bucket); default limit-for-period.
   *
   * @return the value, or null to inherit
   */
  public Integer getBurstCapacity() {
    return burstCapacity;
  }

  /**
   * Sets the option.
   *
   * @param burstCapacity the value
   */
  public void setBurstCapacity(Integer burstCapacity) {
    this.burstCapacity = burstCapacity;
  }

  /**
   * Returns the option: Longest a call waits for a permit; default 0 (reject at once).
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
}
