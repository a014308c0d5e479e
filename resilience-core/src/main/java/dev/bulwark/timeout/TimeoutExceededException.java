package dev.bulwark.timeout;

import dev.bulwark.BulwarkException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;

/**
 * A {@link Timeout} stopped waiting for a call: its time ran out, or the current {@link dev.bulwark.Deadline}
 * came first. Names the policy and the durations.
 *
 * <p>Timeouts are expected under load, so this exception is cheap: no stack trace, and the message is only
 * built when asked for. It is not a rejection: the call was started.
 *
 * <pre>{@code
 * try {
 *   return timeout.call(() -> client.fetch(id));
 * } catch (TimeoutExceededException e) {
 *   log.warn("{} timed out after {}", e.policyName(), e.expiredAfter());
 *   throw e;
 * }
 * }</pre>
 */
public class TimeoutExceededException extends BulwarkException {
  private static final long serialVersionUID = 1L;

  private final String policyName;
  private final long timeoutNanos;
  private final long expiredAfterNanos;
  private final boolean deadlineReached;

  /**
   * Creates the exception, without a stack trace.
   *
   * @param policyName the name of the timeout policy
   * @param timeoutNanos the configured timeout
   * @param expiredAfterNanos how long the policy waited: the timeout, or less when the deadline came first
   * @param deadlineReached whether the deadline, not the timeout, ended the wait
   */
  public TimeoutExceededException(
      String policyName, long timeoutNanos, long expiredAfterNanos, boolean deadlineReached) {
    super(null, null, true, false);
    this.policyName = Objects.requireNonNull(policyName, "policyName");
    this.timeoutNanos = timeoutNanos;
    this.expiredAfterNanos = Math.max(0, expiredAfterNanos);
    this.deadlineReached = deadlineReached;
  }

  /**
   * Returns the name of the timeout policy.
   *
   * @return the policy name
   */
  public String policyName() {
    return policyName;
  }

  /**
   * Returns the configured timeout.
   *
   * @return the timeout
   */
  public Duration timeout() {
    return Duration.ofNanos(timeoutNanos);
  }

  /**
   * Returns how long the policy waited before giving up: the timeout, or less when the deadline came first
   * (zero when the deadline had already passed and the call was not started).
   *
   * @return the wait
   */
  public Duration expiredAfter() {
    return Duration.ofNanos(expiredAfterNanos);
  }

  /**
   * Tells whether the current deadline, rather than the timeout, ended the wait.
   *
   * @return {@code true} if the deadline came first
   */
  public boolean deadlineReached() {
    return deadlineReached;
  }

  @Override
  public String getMessage() {
    if (!deadlineReached) {
      return "timeout '" + policyName + "' expired after " + millis(timeoutNanos);
    }
    if (expiredAfterNanos == 0) {
      return "timeout '" + policyName + "' (" + millis(timeoutNanos)
          + ") did not start the call: the deadline had passed";
    }
    return "timeout '" + policyName + "' (" + millis(timeoutNanos) + ") stopped the call at the deadline, after "
        + millis(expiredAfterNanos);
  }

  static String millis(long nanos) {
    return BigDecimal.valueOf(nanos, 6).stripTrailingZeros().toPlainString() + " ms";
  }
}
