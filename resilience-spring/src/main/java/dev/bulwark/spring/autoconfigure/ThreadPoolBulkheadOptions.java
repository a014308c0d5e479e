package dev.bulwark.spring.autoconfigure;

import java.time.Duration;

/**
 * The options of a thread-pool bulkhead template or instance, under
 * {@code bulwark.thread-pool-bulkhead.templates.<name>} or {@code bulwark.thread-pool-bulkhead.instances.<name>};
 * unset options inherit.
 */
public class ThreadPoolBulkheadOptions extends PolicyOptions {
  /** Threads kept even when idle; default max-thread-pool-size (a fixed pool). */
  private Integer coreThreadPoolSize;

  /** Most threads; default the number of processors. */
  private Integer maxThreadPoolSize;

  /** Calls that may wait for a thread; default 100, 0 hands calls directly to a thread. */
  private Integer queueCapacity;

  /** How long an idle thread above the core size lives; default 60s. */
  private Duration keepAlive;

  /** Whether calls run on virtual threads (Java 21+), bounded by max-thread-pool-size; default false. */
  private Boolean virtualThreads;

  /**
   * Returns the option: Threads kept even when idle; default max-thread-pool-size (a fixed pool).
   *
   * @return the value, or null to inherit
   */
  public Integer getCoreThreadPoolSize() {
    return coreThreadPoolSize;
  }

  /**
   * Sets the option.
   *
   * @param coreThreadPoolSize the value
   */
  public void setCoreThreadPoolSize(Integer coreThreadPoolSize) {
    this.coreThreadPoolSize = coreThreadPoolSize;
  }

  /**
   * Returns the option: Most threads; default the number of processors.
   *
   * @return the value, or null to inherit
   */
  public Integer getMaxThreadPoolSize() {
    return maxThreadPoolSize;
  }

  /**
   * Sets the option.
   *
   * @param maxThreadPoolSize the value
   */
  public void setMaxThreadPoolSize(Integer maxThreadPoolSize) {
    this.maxThreadPoolSize = maxThreadPoolSize;
  }

  /**
   * Returns the option: Calls that may wait for a thread; default 100, 0 hands calls directly to a thread.
   *
   * @return the value, or null to inherit
   */
  public Integer getQueueCapacity() {
    return queueCapacity;
  }

  /**
   * Sets the option.
   *
   * @param queueCapacity the value
   */
  public void setQueueCapacity(Integer queueCapacity) {
    this.queueCapacity = queueCapacity;
  }

  /**
   * Returns the option: How long an idle thread above the core size lives; default 60s.
   *
   * @return the value, or null to inherit
   */
  public Duration getKeepAlive() {
    return keepAlive;
  }

  /**
   * Sets the option.
   *
   * @param keepAlive the value
   */
  public void setKeepAlive(Duration keepAlive) {
    this.keepAlive = keepAlive;
  }

  /**
   * Returns the option: Whether calls run on virtual threads (Java 21+), bounded by max-thread-pool-size; default false.
   *
   * @return the value, or null to inherit
   */
  public Boolean getVirtualThreads() {
    return virtualThreads;
  }

  /**
   * Sets the option.
   *
   * @param virtualThreads the value
   */
  public void setVirtualThreads(Boolean virtualThreads) {
    this.virtualThreads = virtualThreads;
  }
}
