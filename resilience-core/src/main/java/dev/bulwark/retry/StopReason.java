package dev.bulwark.retry;

/**
 * Why a {@link Retry} stopped and gave the caller a failure (or a result it would have retried).
 *
 * <pre>{@code
 * Retry retry = Retry.builder("inventory")
 *     .listener(RetryEvent.Failed.class, e -> {
 *       if (e.reason() == StopReason.BUDGET_EXHAUSTED) log.warn("retry budget of {} exhausted", e.name());
 *     })
 *     .build();
 * }</pre>
 */
public enum StopReason {
  /** The failure is not retryable (by the classifier, or an {@link Error}). */
  NOT_RETRYABLE,
  /** An abort rule matched the failure or the result. */
  ABORTED,
  /** An inner policy rejected the call, and its hint did not allow a retry (see {@link RetryOnRejection}). */
  REJECTED,
  /** All {@link RetryConfig#maxAttempts()} attempts were made. */
  MAX_ATTEMPTS,
  /** The next wait would not end inside {@link RetryConfig#maxDuration()}. */
  MAX_DURATION,
  /** The next wait would not end before the current {@link dev.bulwark.Deadline}. */
  DEADLINE,
  /** The hint carried by the failure is longer than {@link RetryConfig#maxRetryAfter()}. */
  HINT_TOO_LONG,
  /** The {@link RetryBudget} refused the retry. */
  BUDGET_EXHAUSTED,
  /** The thread was interrupted; its interrupt flag is kept. */
  INTERRUPTED
}
