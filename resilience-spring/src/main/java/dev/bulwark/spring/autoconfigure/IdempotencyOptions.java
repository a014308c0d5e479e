package dev.bulwark.spring.autoconfigure;

import java.time.Duration;

/**
 * The options of an idempotency template or instance, under {@code bulwark.idempotency.templates.<name>} or
 * {@code bulwark.idempotency.instances.<name>}; unset options inherit. The store is the application's
 * {@code IdempotencyStore} bean, or an in-memory store.
 */
public class IdempotencyOptions extends PolicyOptions {
  /** How long an execution owns its key before another may take over; default 30s. */
  private Duration lease;

  /** How long a completed key's outcome is replayed; default 24h. */
  private Duration ttl;

  /** How long a repeat waits for an execution in progress before it is refused; default 0. */
  private Duration waitForCompletion;

  /** How often a waiting repeat polls the store; default 50ms. */
  private Duration pollInterval;

  /** How often a running execution renews its lease; default a third of the lease. */
  private Duration heartbeatInterval;

  /** Whether work runs without a record when the store is down; default false. */
  private Boolean failOpen;

  /** Longest key accepted, in characters; default 255. */
  private Integer maxKeyLength;

  /** Largest encoded result stored, in bytes; default 64 KiB. */
  private Integer maxResultBytes;

  /**
   * Returns the option: How long an execution owns its key before another may take over; default 30s.
   *
   * @return the value, or null to inherit
   */
  public Duration getLease() {
    return lease;
  }

  /**
   * Sets the option.
   *
   * @param lease the value
   */
  public void setLease(Duration lease) {
    this.lease = lease;
  }

  /**
   * Returns the option: How long a completed key's outcome is replayed; default 24h.
   *
   * @return the value, or null to inherit
   */
  public Duration getTtl() {
    return ttl;
  }

  /**
   * Sets the option.
   *
   * @param ttl the value
   */
  public void setTtl(Duration ttl) {
    this.ttl = ttl;
  }

  /**
   * Returns the option: How long a repeat waits for an execution in progress before it is refused; default 0.
   *
   * @return the value, or null to inherit
   */
  public Duration getWaitForCompletion() {
    return waitForCompletion;
  }

  /**
   * Sets the option.
   *
   * @param waitForCompletion the value
   */
  public void setWaitForCompletion(Duration waitForCompletion) {
    this.waitForCompletion = waitForCompletion;
  }

  /**
   * Returns the option: How often a waiting repeat polls the store; default 50ms.
   *
   * @return the value, or null to inherit
   */
  public Duration getPollInterval() {
    return pollInterval;
  }

  /**
   * Sets the option.
   *
   * @param pollInterval the value
   */
  public void setPollInterval(Duration pollInterval) {
    this.pollInterval = pollInterval;
  }

  /**
   * Returns the option: How often a running execution renews its lease; default a third of the lease.
   *
   * @return the value, or null to inherit
   */
  public Duration getHeartbeatInterval() {
    return heartbeatInterval;
  }

  /**
   * Sets the option.
   *
   * @param heartbeatInterval the value
   */
  public void setHeartbeatInterval(Duration heartbeatInterval) {
    this.heartbeatInterval = heartbeatInterval;
  }

  /**
   * Returns the option: Whether work runs without a record when the store is down; default false.
   *
   * @return the value, or null to inherit
   */
  public Boolean getFailOpen() {
    return failOpen;
  }

  /**
   * Sets the option.
   *
   * @param failOpen the value
   */
  public void setFailOpen(Boolean failOpen) {
    this.failOpen = failOpen;
  }

  /**
   * Returns the option: Longest key accepted, in characters; default 255.
   *
   * @return the value, or null to inherit
   */
  public Integer getMaxKeyLength() {
    return maxKeyLength;
  }

  /**
   * Sets the option.
   *
   * @param maxKeyLength the value
   */
  public void setMaxKeyLength(Integer maxKeyLength) {
    this.maxKeyLength = maxKeyLength;
  }

  /**
   * Returns the option: Largest encoded result stored, in bytes; default 64 KiB.
   *
   * @return the value, or null to inherit
   */
  public Integer getMaxResultBytes() {
    return maxResultBytes;
  }

  /**
   * Sets the option.
   *
   * @param maxResultBytes the value
   */
  public void setMaxResultBytes(Integer maxResultBytes) {
    this.maxResultBytes = maxResultBytes;
  }
}
