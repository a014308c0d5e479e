package dev.bulwark.bulkhead;

import dev.bulwark.ContextPropagator;
import dev.bulwark.internal.Check;
import dev.bulwark.internal.Contexts;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The immutable configuration of a semaphore {@link Bulkhead}.
 *
 * <p>Every option is validated when it is set; combinations are checked by {@link Builder#build()}. Setting
 * an option twice on one builder is refused, so a typo cannot silently override an earlier line.
 *
 * <pre>{@code
 * BulkheadConfig config = BulkheadConfig.builder()
 *     .maxConcurrentCalls(20)                  // at most 20 calls to the dependency at once
 *     .maxWait(Duration.ofMillis(50))          // a caller may queue up to 50 ms for a slot
 *     .maxWaitingCalls(40)                     // and at most 40 callers queue at a time
 *     .build();
 * Bulkhead payments = Bulkhead.of("payments", config);
 * }</pre>
 */
public final class BulkheadConfig {

  /** The largest accepted {@link #maxConcurrentCalls()}: the limit and the count share one 64-bit word. */
  public static final int MAX_CONCURRENT_CALLS_LIMIT = Integer.MAX_VALUE;

  /** The default of {@link #maxConcurrentCalls()}. */
  public static final int DEFAULT_MAX_CONCURRENT_CALLS = 25;

  private static final BulkheadConfig DEFAULTS = builder().build();

  private final int maxConcurrentCalls;
  private final long maxWaitNanos;
  private final int maxWaitingCalls;
  private final List<ContextPropagator> contextPropagators;

  private BulkheadConfig(int maxConcurrentCalls, long maxWaitNanos, int maxWaitingCalls,
      List<ContextPropagator> contextPropagators) {
    this.maxConcurrentCalls = maxConcurrentCalls;
    this.maxWaitNanos = maxWaitNanos;
    this.maxWaitingCalls = maxWaitingCalls;
    this.contextPropagators = contextPropagators;
  }

  /**
   * Returns the defaults: 25 concurrent calls, no waiting (a full bulkhead rejects at once).
   *
   * @return the default configuration
   */
  public static BulkheadConfig defaults() {
    return DEFAULTS;
  }

  /**
   * Starts a configuration with every option at its default.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns how many calls may run at once. Default {@value #DEFAULT_MAX_CONCURRENT_CALLS}. It can be changed
   * at run time with {@link Bulkhead#changeMaxConcurrentCalls(int)}; this configuration keeps the value the
   * bulkhead was built with.
   *
   * @return the limit, at least 1
   */
  public int maxConcurrentCalls() {
    return maxConcurrentCalls;
  }

  /**
   * Returns how long a caller may wait for a slot when the bulkhead is full. Default zero: a full bulkhead
   * rejects at once, which keeps threads from piling up behind a slow dependency. A {@link dev.bulwark.Deadline}
   * shortens the wait further.
   *
   * @return the longest wait, zero or positive
   */
  public Duration maxWait() {
    return Duration.ofNanos(maxWaitNanos);
  }

  /**
   * Returns {@link #maxWait()} in nanoseconds, saturated at {@link Long#MAX_VALUE}.
   *
   * @return the longest wait in nanoseconds
   */
  public long maxWaitNanos() {
    return maxWaitNanos;
  }

  /**
   * Returns how many callers may wait at once; a caller that would exceed it is rejected at once. Default:
   * zero when {@link #maxWait()} is zero, otherwise {@link #maxConcurrentCalls()} (a queue as long as the
   * pool, so the last in line waits about one call's duration).
   *
   * @return the bound on waiting callers
   */
  public int maxWaitingCalls() {
    return maxWaitingCalls;
  }

  /**
   * Returns the propagators that carry a queued asynchronous caller's context to the thread that grants it a
   * slot, in installation order (default: none).
   *
   * @return an immutable list, empty by default
   */
  public List<ContextPropagator> contextPropagators() {
    return contextPropagators;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof BulkheadConfig)) {
      return false;
    }
    BulkheadConfig that = (BulkheadConfig) o;
    return maxConcurrentCalls == that.maxConcurrentCalls
        && maxWaitNanos == that.maxWaitNanos
        && maxWaitingCalls == that.maxWaitingCalls
        && contextPropagators.equals(that.contextPropagators);
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxConcurrentCalls, maxWaitNanos, maxWaitingCalls, contextPropagators);
  }

  @Override
  public String toString() {
    return "BulkheadConfig[maxConcurrentCalls=" + maxConcurrentCalls + ", maxWait=" + maxWait()
        + ", maxWaitingCalls=" + maxWaitingCalls + ", contextPropagators=" + contextPropagators.size() + "]";
  }

  /** Builds a {@link BulkheadConfig}; each option may be set once. */
  public static final class Builder {
    private int maxConcurrentCalls = DEFAULT_MAX_CONCURRENT_CALLS;
    private long maxWaitNanos;
    private int maxWaitingCalls;
    private boolean maxConcurrentCallsSet;
    private boolean maxWaitSet;
    private boolean maxWaitingCallsSet;
    private List<ContextPropagator> contextPropagators = List.of();
    private boolean contextPropagatorsSet;

    private Builder() {}

    /**
     * Sets how many calls may run at once.
     *
     * @param maxConcurrentCalls the limit, in [1, {@value Integer#MAX_VALUE}]
     * @return this builder
     */
    public Builder maxConcurrentCalls(int maxConcurrentCalls) {
      if (maxConcurrentCallsSet) {
        throw new IllegalStateException(
            "maxConcurrentCalls was already set to " + this.maxConcurrentCalls);
      }
      this.maxConcurrentCalls = Check.inRange(
          "maxConcurrentCalls", maxConcurrentCalls, 1, MAX_CONCURRENT_CALLS_LIMIT);
      maxConcurrentCallsSet = true;
      return this;
    }

    /**
     * Sets how long a caller may wait for a slot; zero rejects at once.
     *
     * @param maxWait the longest wait, zero or positive
     * @return this builder
     */
    public Builder maxWait(Duration maxWait) {
      if (maxWaitSet) {
        throw new IllegalStateException("maxWait was already set to " + Duration.ofNanos(maxWaitNanos));
      }
      this.maxWaitNanos = Check.notNegativeNanos("maxWait", maxWait);
      maxWaitSet = true;
      return this;
    }

    /**
     * Sets how many callers may wait at once.
     *
     * @param maxWaitingCalls the bound, zero or positive; must be positive when {@code maxWait} is
     * @return this builder
     */
    public Builder maxWaitingCalls(int maxWaitingCalls) {
      if (maxWaitingCallsSet) {
        throw new IllegalStateException("maxWaitingCalls was already set to " + this.maxWaitingCalls);
      }
      this.maxWaitingCalls = Check.notNegative("maxWaitingCalls", maxWaitingCalls);
      maxWaitingCallsSet = true;
      return this;
    }

    /**
     * Sets the propagators that carry the caller's thread-bound context (a logging MDC, a security context)
     * to a queued asynchronous call: captured on the caller's thread when {@link Bulkhead#callAsync} queues
     * the call; installed on the thread that grants it a slot (the one that released a slot, or the one that
     * raised the limit) around the call's start, and on the scheduler thread around the rejection of a call
     * whose wait timed out (so a fallback sees the context); closed, in reverse order, afterwards. Calls
     * admitted at once, and all synchronous calls, stay on the caller's thread and never touch them.
     * Default: none; then a queued asynchronous call starts with whatever context the granting thread
     * carries, which may be another request's.
     *
     * <pre>{@code
     * ContextPropagator user = ContextPropagator.ofThreadLocal(CurrentUser.HOLDER);
     * BulkheadConfig config = BulkheadConfig.builder()
     *     .maxConcurrentCalls(20).maxWait(Duration.ofMillis(50)).contextPropagators(user).build();
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
     * Checks the combination of options and builds the configuration.
     *
     * @return the configuration
     * @throws IllegalStateException if {@code maxWaitingCalls} contradicts {@code maxWait}
     */
    public BulkheadConfig build() {
      int waiting = maxWaitingCalls;
      if (maxWaitNanos == 0) {
        if (maxWaitingCallsSet && maxWaitingCalls > 0) {
          throw new IllegalStateException("maxWaitingCalls is " + maxWaitingCalls
              + " but maxWait is zero, so no call ever waits; set maxWait > 0 or leave maxWaitingCalls unset");
        }
        waiting = 0;
      } else if (!maxWaitingCallsSet) {
        waiting = maxConcurrentCalls;
      } else if (maxWaitingCalls == 0) {
        throw new IllegalStateException("maxWaitingCalls is 0 but maxWait is " + Duration.ofNanos(maxWaitNanos)
            + ", so no call could wait; set maxWaitingCalls >= 1 or maxWait to zero");
      }
      return new BulkheadConfig(maxConcurrentCalls, maxWaitNanos, waiting, contextPropagators);
    }
  }
}
