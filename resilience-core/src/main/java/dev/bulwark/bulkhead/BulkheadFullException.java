package dev.bulwark.bulkhead;

import dev.bulwark.CallNotPermittedException;
import dev.bulwark.PolicyKind;
import java.time.Duration;
import java.util.Objects;

/**
 * A bulkhead had no room for the call: every slot (or thread) was busy and the call could not wait, or waited
 * in vain. The message names the bulkhead, says why and gives the limits in force, for example
 * {@code bulkhead 'payments' is full: 20 of 20 calls in flight and 40 callers already waiting}.
 *
 * <p>Like every {@link CallNotPermittedException}, it has no stack trace and builds its message only when
 * asked. {@link #rejection()} tells the cases apart without parsing the message.
 *
 * <pre>{@code
 * try {
 *   return inventory.call(() -> client.stock(sku));
 * } catch (BulkheadFullException e) {
 *   if (e.rejection() == BulkheadFullException.Rejection.INTERRUPTED) {
 *     throw e;                                  // the interrupt flag is set again: stop working
 *   }
 *   return Stock.unknown(sku);                  // shed the call, keep the caller healthy
 * }
 * }</pre>
 */
public class BulkheadFullException extends CallNotPermittedException {
  private static final long serialVersionUID = 1L;

  /** Why a bulkhead rejected a call. */
  public enum Rejection {
    /**
     * Every slot was busy and the caller could not wait: {@code maxWait} is zero, or it asked through
     * {@link dev.bulwark.PermitPolicy#tryAcquirePermit()}, which never waits.
     */
    FULL,
    /** Every slot was busy and as many callers as allowed were already waiting. */
    TOO_MANY_WAITING,
    /** The caller waited the whole {@code maxWait} without getting a slot. */
    WAIT_TIMED_OUT,
    /** The operation's {@link dev.bulwark.Deadline} left no time to wait, or passed while waiting. */
    DEADLINE_EXCEEDED,
    /** The caller's thread was interrupted while it waited; the interrupt flag is set again. */
    INTERRUPTED,
    /** A thread-pool bulkhead had every thread busy and its queue full. */
    POOL_FULL
  }

  private final Rejection rejection;
  private final int limit;
  private final int queueBound;
  private final long waitedNanos;

  /**
   * Creates the rejection.
   *
   * @param bulkheadName the bulkhead's name
   * @param rejection why the call was rejected
   * @param limit the concurrency limit (or thread count) in force
   * @param queueBound how many callers may wait (or the queue capacity)
   * @param waitedNanos how long the caller waited before being rejected
   */
  protected BulkheadFullException(
      String bulkheadName, Rejection rejection, int limit, int queueBound, long waitedNanos) {
    super(PolicyKind.BULKHEAD, bulkheadName, UNKNOWN);
    this.rejection = Objects.requireNonNull(rejection, "rejection");
    this.limit = limit;
    this.queueBound = queueBound;
    this.waitedNanos = waitedNanos;
  }

  /**
   * Returns why the call was rejected.
   *
   * @return the rejection
   */
  public Rejection rejection() {
    return rejection;
  }

  /**
   * Returns the concurrency limit in force when the call was rejected (the maximum thread count for a
   * thread-pool bulkhead).
   *
   * @return the limit
   */
  public int limit() {
    return limit;
  }

  /**
   * Returns how many callers may wait at once (the queue capacity for a thread-pool bulkhead).
   *
   * @return the bound on waiting callers
   */
  public int queueBound() {
    return queueBound;
  }

  /**
   * Returns how long the caller waited before it was rejected; zero if it did not wait.
   *
   * @return the wait in nanoseconds
   */
  public long waitedNanos() {
    return waitedNanos;
  }

  @Override
  protected String reason() {
    switch (rejection) {
      case FULL:
        return "is full: all " + limit + " slots are in use and the call could not wait (maxWait is zero)";
      case TOO_MANY_WAITING:
        return "is full: all " + limit + " slots are in use and " + queueBound
            + " callers (maxWaitingCalls) are already waiting";
      case WAIT_TIMED_OUT:
        return "stayed full: no slot of " + limit + " came free within maxWait ("
            + Duration.ofNanos(waitedNanos).toMillis() + " ms waited)";
      case DEADLINE_EXCEEDED:
        return "is full and the operation's deadline left no time to wait for one of its " + limit
            + " slots (" + Duration.ofNanos(waitedNanos).toMillis() + " ms waited)";
      case INTERRUPTED:
        return "rejected the call: the caller was interrupted while waiting for one of " + limit
            + " slots (the interrupt flag is set again)";
      case POOL_FULL:
        return "is full: all " + limit + " threads are busy and the queue of " + queueBound
            + " tasks is full";
      default:
        throw new AssertionError(rejection);
    }
  }
}
