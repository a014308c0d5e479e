package dev.bulwark.spring.autoconfigure;

import java.time.Duration;

/**
 * The options of a load shedder template or instance, under {@code bulwark.loadshedder.templates.<name>} or
 * {@code bulwark.loadshedder.instances.<name>}; unset options inherit.
 */
public class LoadShedderOptions extends PolicyOptions {
  /** The limit algorithm: GRADIENT (default), AIMD, VEGAS or FIXED; its other parameters keep the core's defaults. */
  private AlgorithmType algorithm;

  /** The algorithm's starting limit. */
  private Integer initialLimit;

  /** The algorithm's lowest limit. */
  private Integer minLimit;

  /** The algorithm's highest limit. */
  private Integer maxLimit;

  /** The limit of the FIXED algorithm. */
  private Integer limit;

  /** The sampling window of the limiter. */
  private Duration window;

  /** Samples a window needs before the algorithm moves the limit. */
  private Integer minWindowSamples;

  /** Share of the limit that best-effort calls (priority 0) may use; default 0.5. */
  private Double bestEffortShare;

  /** Priority (0..100) of calls that name none; default 50 (NORMAL). A method's @LoadShed(priority) takes precedence. */
  private Integer defaultPriority;

  /** Calls that may wait for room; default 0 (no queue). */
  private Integer maxQueueSize;

  /** Longest a queued call waits while the queue is healthy; default 100ms. */
  private Duration queueTimeout;

  /** Longest a queued call waits while the queue is congested; default 5ms. */
  private Duration congestedQueueTimeout;

  /** Whether a congested queue serves the newest call first; default true. */
  private Boolean lifoWhenCongested;

  /**
   * Returns the option: The limit algorithm: GRADIENT (default), AIMD, VEGAS or FIXED; its other parameters keep the core's defaults.
   *
   * @return the value, or null to inherit
   */
  public AlgorithmType getAlgorithm() {
    return algorithm;
  }

  /**
   * Sets the option.
   *
   * @param algorithm the value
   */
  public void setAlgorithm(AlgorithmType algorithm) {
    this.algorithm = algorithm;
  }

  /**
   * Returns the option: The algorithm's starting limit.
   *
   * @return the value, or null to inherit
   */
  public Integer getInitialLimit() {
    return initialLimit;
  }

  /**
   * Sets the option.
   *
   * @param initialLimit the value
   */
  public void setInitialLimit(Integer initialLimit) {
    this.initialLimit = initialLimit;
  }

  /**
   * Returns the option: The algorithm's lowest limit.
   *
   * @return the value, or null to inherit
   */
  public Integer getMinLimit() {
    return minLimit;
  }

  /**
   * Sets the option.
   *
   * @param minLimit the value
   */
  public void setMinLimit(Integer minLimit) {
    this.minLimit = minLimit;
  }

  /**
   * Returns the option: The algorithm's highest limit.
   *
   * @return the value, or null to inherit
   */
  public Integer getMaxLimit() {
    return maxLimit;
  }

  /**
   * Sets the option.
   *
   * @param maxLimit the value
   */
  public void setMaxLimit(Integer maxLimit) {
    this.maxLimit = maxLimit;
  }

  /**
   * Returns the option: The limit of the FIXED algorithm.
   *
   * @return the value, or null to inherit
   */
  public Integer getLimit() {
    return limit;
  }

  /**
   * Sets the option.
   *
   * @param limit the value
   */
  public void setLimit(Integer limit) {
    this.limit = limit;
  }

  /**
   * Returns the option: The sampling window of the limiter.
   *
   * @return the value, or null to inherit
   */
  public Duration getWindow() {
    return window;
  }

  /**
   * Sets the option.
   *
   * @param window the value
   */
  public void setWindow(Duration window) {
    this.window = window;
  }

  /**
   * Returns the option: Samples a window needs before the algorithm moves the limit.
   *
   * @return the value, or null to inherit
   */
  public Integer getMinWindowSamples() {
    return minWindowSamples;
  }

  /**
   * Sets the option.
   *
   * @param minWindowSamples the value
   */
  public void setMinWindowSamples(Integer minWindowSamples) {
    this.minWindowSamples = minWindowSamples;
  }

  /**
   * Returns the option: Share of the limit that best-effort calls (priority 0) may use; default 0.5.
   *
   * @return the value, or null to inherit
   */
  public Double getBestEffortShare() {
    return bestEffortShare;
  }

  /**
   * Sets the option.
   *
   * @param bestEffortShare the value
   */
  public void setBestEffortShare(Double bestEffortShare) {
    this.bestEffortShare = bestEffortShare;
  }

  /**
   * Returns the option: Priority (0..100) of calls that name none; default 50 (NORMAL). A method's @LoadShed(priority) takes precedence.
   *
   * @return the value, or null to inherit
   */
  public Integer getDefaultPriority() {
    return defaultPriority;
  }

  /**
   * Sets the option.
   *
   * @param defaultPriority the value
   */
  public void setDefaultPriority(Integer defaultPriority) {
    this.defaultPriority = defaultPriority;
  }

  /**
   * Returns the option: Calls that may wait for room; default 0 (no queue).
   *
   * @return the value, or null to inherit
   */
  public Integer getMaxQueueSize() {
    return maxQueueSize;
  }

  /**
   * Sets the option.
   *
   * @param maxQueueSize the value
   */
  public void setMaxQueueSize(Integer maxQueueSize) {
    this.maxQueueSize = maxQueueSize;
  }

  /**
   * Returns the option: Longest a queued call waits while the queue is healthy; default 100ms.
   *
   * @return the value, or null to inherit
   */
  public Duration getQueueTimeout() {
    return queueTimeout;
  }

  /**
   * Sets the option.
   *
   * @param queueTimeout the value
   */
  public void setQueueTimeout(Duration queueTimeout) {
    this.queueTimeout = queueTimeout;
  }

  /**
   * Returns the option: Longest a queued call waits while the queue is congested; default 5ms.
   *
   * @return the value, or null to inherit
   */
  public Duration getCongestedQueueTimeout() {
    return congestedQueueTimeout;
  }

  /**
   * Sets the option.
   *
   * @param congestedQueueTimeout the value
   */
  public void setCongestedQueueTimeout(Duration congestedQueueTimeout) {
    this.congestedQueueTimeout = congestedQueueTimeout;
  }

  /**
   * Returns the option: Whether a congested queue serves the newest call first; default true.
   *
   * @return the value, or null to inherit
   */
  public Boolean getLifoWhenCongested() {
    return lifoWhenCongested;
  }

  /**
   * Sets the option.
   *
   * @param lifoWhenCongested the value
   */
  public void setLifoWhenCongested(Boolean lifoWhenCongested) {
    this.lifoWhenCongested = lifoWhenCongested;
  }


  /** The limit algorithms a property can name. */
  public enum AlgorithmType {
    /** Gradient of round-trip times. */
    GRADIENT,
    /** Additive increase, multiplicative decrease. */
    AIMD,
    /** TCP Vegas-style queue estimate. */
    VEGAS,
    /** A fixed limit. */
    FIXED
  }
}
