package dev.bulwark;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A policy refused to run a call: the base type of every rejection (open breaker, full bulkhead, exhausted
 * rate limit, shed load).
 *
 * <p>Rejections are expected under load, so they are cheap: no stack trace by default, and the message is
 * only built when asked for. Each names the policy and, where the policy knows it, how long until a call
 * could be admitted, which an HTTP layer can send as {@code Retry-After} and a retry can use as its delay.
 *
 * <pre>{@code
 * try {
 *   return breaker.call(() -> client.fetch(id));
 * } catch (CallNotPermittedException e) {
 *   e.retryAfter().ifPresent(d -> response.setHeader("Retry-After", String.valueOf(d.toSeconds() + 1)));
 *   throw e;
 * }
 * }</pre>
 */
public class CallNotPermittedException extends BulwarkException {
  private static final long serialVersionUID = 1L;

  /** The value of {@link #retryAfterNanos()} when the policy cannot tell. */
  public static final long UNKNOWN = -1;

  private final String policyName;
  private final PolicyKind policyKind;
  private final long retryAfterNanos;

  /**
   * Creates a rejection without a stack trace.
   *
   * @param policyKind the kind of the rejecting policy
   * @param policyName the name of the rejecting policy
   * @param retryAfterNanos nanoseconds until a call may be admitted, or {@link #UNKNOWN}
   */
  public CallNotPermittedException(PolicyKind policyKind, String policyName, long retryAfterNanos) {
    this(policyKind, policyName, retryAfterNanos, false);
  }

  /**
   * Creates a rejection, with a stack trace if asked for.
   *
   * @param policyKind the kind of the rejecting policy
   * @param policyName the name of the rejecting policy
   * @param retryAfterNanos nanoseconds until a call may be admitted, or {@link #UNKNOWN}
   * @param writableStackTrace whether to fill in the stack trace (costly; off by default)
   */
  protected CallNotPermittedException(
      PolicyKind policyKind, String policyName, long retryAfterNanos, boolean writableStackTrace) {
    super(null, null, true, writableStackTrace);
    this.policyKind = Objects.requireNonNull(policyKind, "policyKind");
    this.policyName = Objects.requireNonNull(policyName, "policyName");
    this.retryAfterNanos = retryAfterNanos < 0 ? UNKNOWN : retryAfterNanos;
  }

  /**
   * Returns the name of the policy that rejected the call.
   *
   * @return the policy name
   */
  public String policyName() {
    return policyName;
  }

  /**
   * Returns the kind of the policy that rejected the call.
   *
   * @return the policy kind
   */
  public PolicyKind policyKind() {
    return policyKind;
  }

  /**
   * Returns nanoseconds until a call may be admitted, or {@link #UNKNOWN}.
   *
   * @return the hint in nanoseconds, or {@code -1}
   */
  public long retryAfterNanos() {
    return retryAfterNanos;
  }

  /**
   * Returns how long until a call may be admitted, when the policy knows.
   *
   * @return the hint, or empty
   */
  public Optional<Duration> retryAfter() {
    return retryAfterNanos == UNKNOWN ? Optional.empty() : Optional.of(Duration.ofNanos(retryAfterNanos));
  }

  /**
   * Describes why the call was rejected; subclasses add their state. The default names the policy.
   *
   * @return the reason, without the retry hint
   */
  protected String reason() {
    return "rejected the call";
  }

  @Override
  public String getMessage() {
    String kind = policyKind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    String message = kind + " '" + policyName + "' " + reason();
    if (retryAfterNanos != UNKNOWN) {
      message += "; a call may be admitted in " + Duration.ofNanos(retryAfterNanos).toMillis() + " ms";
    }
    return message;
  }
}
