package dev.bulwark.timeout;

import dev.bulwark.internal.Check;
import java.time.Duration;
import java.util.Objects;

/**
 * The immutable configuration of a {@link Timeout}.
 *
 * <pre>{@code
 * TimeoutConfig config = TimeoutConfig.builder().timeout(Duration.ofMillis(250)).build();
 * Timeout timeout = Timeout.of("inventory", config);
 * }</pre>
 */
public final class TimeoutConfig {

  /** The default timeout, 1 second. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);

  private static final TimeoutConfig DEFAULTS = builder().build();

  private final Duration timeout;
  private final boolean cancelRunningWork;

  private TimeoutConfig(Builder b) {
    this.timeout = b.timeout;
    this.cancelRunningWork = b.cancelRunningWork;
  }

  /**
   * Returns the default configuration: 1 second, running work cancelled.
   *
   * @return the defaults
   */
  public static TimeoutConfig defaults() {
    return DEFAULTS;
  }

  /**
   * Starts a configuration from the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns how long one call may take (default 1 s); the current deadline may cut it shorter.
   *
   * @return the timeout
   */
  public Duration timeout() {
    return timeout;
  }

  /**
   * Returns whether work still running at expiry is cancelled: the synchronous call's thread is interrupted,
   * the asynchronous call's stage is cancelled with {@code cancel(true)} (default {@code true}).
   *
   * @return whether running work is cancelled
   */
  public boolean cancelRunningWork() {
    return cancelRunningWork;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TimeoutConfig other
        && timeout.equals(other.timeout)
        && cancelRunningWork == other.cancelRunningWork;
  }

  @Override
  public int hashCode() {
    return Objects.hash(timeout, cancelRunningWork);
  }

  @Override
  public String toString() {
    return "TimeoutConfig{timeout=" + timeout + ", cancelRunningWork=" + cancelRunningWork + '}';
  }

  /**
   * Builds a {@link TimeoutConfig}.
   *
   * <pre>{@code
   * TimeoutConfig config = TimeoutConfig.builder().timeout(Duration.ofSeconds(2)).cancelRunningWork(false).build();
   * }</pre>
   */
  public static final class Builder {
    private Duration timeout = DEFAULT_TIMEOUT;
    private boolean cancelRunningWork = true;

    private Builder() {}

    /**
     * Sets how long one call may take. Default 1 s.
     *
     * @param timeout positive
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      Check.positiveNanos("timeout", timeout);
      this.timeout = timeout;
      return this;
    }

    /**
     * Sets whether work still running at expiry is cancelled (interrupted). Default {@code true}.
     *
     * @param cancelRunningWork whether to cancel
     * @return this builder
     */
    public Builder cancelRunningWork(boolean cancelRunningWork) {
      this.cancelRunningWork = cancelRunningWork;
      return this;
    }

    /**
     * Builds the configuration.
     *
     * @return an immutable configuration
     */
    public TimeoutConfig build() {
      return new TimeoutConfig(this);
    }
  }
}
