package dev.bulwark.retry;

/**
 * Whether a {@link Retry} retries a call that an inner policy rejected (an open circuit breaker, a full
 * bulkhead, an exhausted rate limiter: a {@link dev.bulwark.CallNotPermittedException}).
 *
 * <p>Retrying a rejection at the retry's own pace hammers the policy that is protecting the dependency, so
 * by default a rejection is only retried when it says when a call may be admitted and that moment comes in
 * time: within {@link RetryConfig#maxRetryAfter()}, the retry's {@link RetryConfig#maxDuration()} and the
 * current {@link dev.bulwark.Deadline}. The wait is then the hint, not the backoff.
 *
 * <pre>{@code
 * RetryConfig config = RetryConfig.builder().onRejection(RetryOnRejection.NEVER).build();
 * }</pre>
 */
public enum RetryOnRejection {
  /** Never retry a rejection. */
  NEVER,
  /** Retry a rejection only after its {@code retryAfter} hint, and only if the hint fits in time (default). */
  IF_HINT_FITS,
  /** Retry every rejection: after its hint when it has one, otherwise after the computed backoff. */
  ALWAYS
}
