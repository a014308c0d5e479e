package dev.bulwark.retry;

import java.time.Duration;

/**
 * What a {@link Retry} did, delivered to the listeners given to {@link Retry.Builder}. Events are immutable
 * and are only created when someone listens to their type. A call that succeeds at the first attempt emits
 * no event.
 *
 * <pre>{@code
 * Retry retry = Retry.builder("inventory")
 *     .listener(RetryEvent.Retrying.class,
 *         e -> log.info("{}: attempt {} failed, retrying in {}", e.name(), e.attempt(), e.delay()))
 *     .build();
 * }</pre>
 */
public sealed interface RetryEvent permits RetryEvent.Retrying, RetryEvent.Succeeded, RetryEvent.Failed {

  /**
   * Returns the name of the retry.
   *
   * @return the policy name
   */
  String name();

  /**
   * An attempt failed and the retry is about to wait before the next one.
   *
   * <pre>{@code
   * retryBuilder.listener(RetryEvent.Retrying.class, e -> retries.increment());
   * }</pre>
   *
   * @param name the name of the retry
   * @param attempt the attempt that failed, 1 for the first call
   * @param delay the wait before the next attempt
   * @param hinted whether the delay came from a hint carried by the failure rather than the backoff
   * @param failure what the attempt threw, or {@code null} if its result is retried
   */
  record Retrying(String name, int attempt, Duration delay, boolean hinted, Throwable failure)
      implements RetryEvent {}

  /**
   * A call succeeded after at least one retry.
   *
   * <pre>{@code
   * retryBuilder.listener(RetryEvent.Succeeded.class, e -> log.info("{} recovered after {} attempts",
   *     e.name(), e.attempts()));
   * }</pre>
   *
   * @param name the name of the retry
   * @param attempts the attempts made, at least 2
   */
  record Succeeded(String name, int attempts) implements RetryEvent {}

  /**
   * A call ended with a failure, or with a result the retry would have retried, and why retrying stopped.
   *
   * <pre>{@code
   * retryBuilder.listener(RetryEvent.Failed.class, e -> log.warn("{} gave up after {} attempts: {}",
   *     e.name(), e.attempts(), e.reason()));
   * }</pre>
   *
   * @param name the name of the retry
   * @param attempts the attempts made, at least 1
   * @param reason why no further attempt was made
   * @param failure the last failure, or {@code null} if the call ended with a result
   */
  record Failed(String name, int attempts, StopReason reason, Throwable failure) implements RetryEvent {}
}
