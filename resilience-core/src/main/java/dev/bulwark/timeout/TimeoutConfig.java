package dev.bulwark.timeout;

import dev.bulwark.ContextPropagator;
import dev.bulwark.internal.Check;
import dev.bulwark.internal.Contexts;
import java.time.Duration;
import java.util.List;
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
  private final List<ContextPropagator> contextPropagators;

  private TimeoutConfig(Builder b) {
    this.timeout = b.timeout;
    this.cancelRunningWork = b.cancelRunningWork;
    this.contextPropagators = b.contextPropagators;
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

  /**
   * Returns the propagators that carry the caller's context to the thread a synchronous call runs on, and to
   * the scheduler thread where an expired asynchronous call completes, in installation order (default: none).
   *
   * @return an immutable list, empty by default
   */
  public List<ContextPropagator> contextPropagators() {
    return contextPropagators;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TimeoutConfig other
        && timeout.equals(other.timeout)
        && cancelRunningWork == other.cancelRunningWork
        && contextPropagators.equals(other.contextPropagators);
  }

  @Override
  public int hashCode() {
    return Objects.hash(timeout, cancelRunningWork, contextPropagators);
  }

  @Override
  public String toString() {
    return "TimeoutConfig{timeout=" + timeout + ", cancelRunningWork=" + cancelRunningWork
        + ", contextPropagators=" + contextPropagators.size() + '}';
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
    private List<ContextPropagator> contextPropagators = List.of();
    private boolean contextPropagatorsSet;

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
     * Sets the propagators that carry the caller's thread-bound context (a logging MDC, a security context)
     * to where the timeout continues a call on another thread: captured on the caller's thread when the call
     * starts; installed around a synchronous call on the thread it runs on (a virtual thread on JDK 21+), and
     * around the completion of an expired asynchronous call on the scheduler thread (so a fallback on it sees
     * the context); closed, in reverse order, afterwards. Default: none, and then nothing is captured: the
     * synchronous call runs without the caller's thread-locals.
     *
     * <pre>{@code
     * ContextPropagator user = ContextPropagator.ofThreadLocal(CurrentUser.HOLDER);
     * TimeoutConfig config = TimeoutConfig.builder().timeout(Duration.ofMillis(300)).contextPropagators(user).build();
     * }</pre>
     *
     * @param propagators the propagators, installed in this order and closed in reverse; none clears them
     * @return this builder
     * @throws IllegalStateException if the propagators were already set
     */
    public Builder contextPropagators(ContextPropagator... propagators) {
      this.contextPropagators = Contexts.setOnce(contextPropagatorsSet, contextPropagators, propagators);
      contextPropagatorsSet = true;
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
