package dev.bulwark.ratelimit;

import dev.bulwark.CallNotPermittedException;
import dev.bulwark.PolicyKind;
import java.time.Duration;
import java.util.Objects;

/**
 * A rate limiter refused permits: granting them would exceed the configured rate, and the caller could not
 * wait long enough. {@link #retryAfterNanos()} says when the permits would be available, ready for an HTTP
 * {@code Retry-After} header or a retry's delay; it is {@link #UNKNOWN} when waiting cannot help (more
 * permits asked for than the burst capacity) or the caller was interrupted.
 *
 * <pre>{@code
 * try {
 *   return limiter.call(() -> api.search(query));
 * } catch (RateLimitedException e) {
 *   response.setStatus(429);
 *   e.retryAfter().ifPresent(d -> response.setHeader("Retry-After", String.valueOf(d.toSeconds() + 1)));
 *   return null;
 * }
 * }</pre>
 */
public class RateLimitedException extends CallNotPermittedException {
  private static final long serialVersionUID = 1L;

  /** Why the permits were refused. */
  public enum Rejection {
    /** The permits would be available only after the longest wait allowed ({@code maxWait}). */
    RATE_EXCEEDED,
    /** The permits would be available only after the operation's {@link dev.bulwark.Deadline}. */
    DEADLINE_EXCEEDED,
    /** More permits were asked for than the burst capacity: the bucket never holds that many. */
    EXCEEDS_BURST,
    /** The caller was interrupted while waiting; the interrupt flag is set again. */
    INTERRUPTED
  }

  private final Rejection rejection;
  private final int permits;
  private final int limitForPeriod;
  private final long periodNanos;
  private final int burstCapacity;

  /**
   * Creates the rejection.
   *
   * @param limiterName the rate limiter's name
   * @param rejection why the permits were refused
   * @param permits how many permits were asked for
   * @param retryAfterNanos nanoseconds until they would be available, or {@link #UNKNOWN}
   * @param config the configuration in force
   */
  protected RateLimitedException(String limiterName, Rejection rejection, int permits, long retryAfterNanos,
      RateLimiterConfig config) {
    super(PolicyKind.RATE_LIMITER, limiterName, retryAfterNanos);
    this.rejection = Objects.requireNonNull(rejection, "rejection");
    this.permits = permits;
    this.limitForPeriod = config.limitForPeriod();
    this.periodNanos = config.periodNanos();
    this.burstCapacity = config.burstCapacity();
  }

  /**
   * Returns why the permits were refused.
   *
   * @return the rejection
   */
  public Rejection rejection() {
    return rejection;
  }

  /**
   * Returns how many permits were asked for.
   *
   * @return the permits
   */
  public int permits() {
    return permits;
  }

  @Override
  protected String reason() {
    String rate = limitForPeriod + " per " + Duration.ofNanos(periodNanos) + " (burst " + burstCapacity + ")";
    String asked = permits == 1 ? "1 permit" : permits + " permits";
    switch (rejection) {
      case RATE_EXCEEDED:
        return "refused " + asked + ": the rate of " + rate + " is used up and the wait would exceed maxWait";
      case DEADLINE_EXCEEDED:
        return "refused " + asked + ": the rate of " + rate
            + " is used up and the operation's deadline passes before the permits would be available";
      case EXCEEDS_BURST:
        return "refused " + asked + ": more than the burst capacity of " + burstCapacity
            + " are never admitted at once";
      case INTERRUPTED:
        return "refused " + asked + ": the caller was interrupted while waiting (the interrupt flag is set again)";
      default:
        throw new AssertionError(rejection);
    }
  }
}
