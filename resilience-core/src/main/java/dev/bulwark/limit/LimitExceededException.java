package dev.bulwark.limit;

import dev.bulwark.CallNotPermittedException;
import dev.bulwark.PolicyKind;
import java.time.Duration;

/**
 * A {@link ConcurrencyLimiter} or {@link LoadShedder} refused a call: too many calls were in flight for its
 * priority, or it waited in the shedder's queue until its time ran out. Cheap (no stack trace, message built on
 * demand); names the policy and the priority, and carries the last window's median round-trip time as a hint
 * of when a call could be admitted.
 *
 * <pre>{@code
 * try {
 *   return shedder.call(Priority.LOW, () -> analytics.track(event));
 * } catch (LimitExceededException e) {
 *   metrics.count("shed", e.priority().name());
 *   return null;
 * }
 * }</pre>
 */
public class LimitExceededException extends CallNotPermittedException {
  private static final long serialVersionUID = 1L;

  private final transient Priority priority;
  private final int limit;
  private final int admissionLimit;
  private final int inflight;
  private final long waitedNanos;

  /**
   * Creates a rejection without a stack trace.
   *
   * @param name the name of the limiter or shedder
   * @param priority the call's priority, or {@code null} for a plain limiter
   * @param limit the limit at the time
   * @param admissionLimit how many calls in flight the call's priority may join
   * @param inflight the calls in flight at the time
   * @param waitedNanos how long the call waited in a queue first, 0 if it did not
   * @param retryAfterNanos nanoseconds until a call may be admitted, or {@link #UNKNOWN}
   */
  public LimitExceededException(String name, Priority priority, int limit, int admissionLimit, int inflight,
      long waitedNanos, long retryAfterNanos) {
    super(PolicyKind.LOAD_SHEDDER, name, retryAfterNanos);
    this.priority = priority;
    this.limit = limit;
    this.admissionLimit = admissionLimit;
    this.inflight = inflight;
    this.waitedNanos = waitedNanos;
  }

  /**
   * Returns the call's priority.
   *
   * @return the priority, or {@code null} for a plain {@link ConcurrencyLimiter}
   */
  public Priority priority() {
    return priority;
  }

  /**
   * Returns the limit when the call was refused.
   *
   * @return the limit
   */
  public int limit() {
    return limit;
  }

  /**
   * Returns how many calls in flight the call's priority may join: the whole limit for a critical call, less
   * for lower priorities.
   *
   * @return the admission limit
   */
  public int admissionLimit() {
    return admissionLimit;
  }

  /**
   * Returns the number of calls in flight when the call was refused.
   *
   * @return the in-flight count
   */
  public int inflight() {
    return inflight;
  }

  /**
   * Returns how long the call waited in the shedder's queue before it was refused.
   *
   * @return nanoseconds, 0 if it was refused at once
   */
  public long waitedNanos() {
    return waitedNanos;
  }

  @Override
  protected String reason() {
    StringBuilder s = new StringBuilder();
    if (priority == null) {
      s.append("is at its concurrency limit of ").append(limit).append(" (").append(inflight)
          .append(" calls in flight)");
    } else {
      s.append("shed a ").append(priority).append(" call: ").append(inflight).append(" calls in flight, and a ")
          .append(priority.name()).append(" call may only join ").append(admissionLimit).append(" of the limit of ")
          .append(limit);
    }
    if (waitedNanos > 0) {
      s.append(", after waiting ").append(Duration.ofNanos(waitedNanos).toMillis()).append(" ms in the queue");
    }
    return s.toString();
  }
}
