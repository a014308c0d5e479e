package dev.bulwark.idempotency;

import java.time.Duration;

/**
 * What happened to one call of an {@link Idempotency} policy. Events are immutable values, created only when
 * a listener for their type is registered, and delivered after the store operation they describe. They name
 * the key by its hash, never the raw key, which may carry personal data.
 *
 * <pre>{@code
 * Idempotency payments = Idempotency.builder("payments")
 *     .listener(IdempotencyEvent.FencedOut.class, e -> log.warn("{} fenced out at {}", e.keyHash(), e.operation()))
 *     .listener(IdempotencyEvent.StoreFailed.class, e -> log.error("store failed: {}", e.operation(), e.error()))
 *     .build();
 * }</pre>
 */
public sealed interface IdempotencyEvent {

  /**
   * Returns the name of the policy.
   *
   * @return the policy name
   */
  String name();

  /**
   * Returns the hash of the key, as the store knows it.
   *
   * @return 64 lower-case hex characters
   */
  String keyHash();

  /**
   * The call claimed the key and runs the work now.
   *
   * @param name the policy name
   * @param keyHash the key hash
   * @param fencingToken the claim's fencing token
   * @param takeover whether the claim took over a lapsed lease of another execution
   */
  record Executing(String name, String keyHash, long fencingToken, boolean takeover) implements IdempotencyEvent {}

  /**
   * The call found a completed record and replayed it without running the work.
   *
   * @param name the policy name
   * @param keyHash the key hash
   * @param outcome what the record holds
   */
  record Replayed(String name, String keyHash, StoredOutcome outcome) implements IdempotencyEvent {}

  /**
   * The call was rejected: another execution holds a live lease.
   *
   * @param name the policy name
   * @param keyHash the key hash
   * @param retryAfter the other execution's remaining lease
   */
  record RejectedInProgress(String name, String keyHash, Duration retryAfter) implements IdempotencyEvent {}

  /**
   * The call was rejected: the key's record belongs to a request with another fingerprint.
   *
   * @param name the policy name
   * @param keyHash the key hash
   */
  record KeyReused(String name, String keyHash) implements IdempotencyEvent {}

  /**
   * The work finished and its outcome was recorded for the key.
   *
   * @param name the policy name
   * @param keyHash the key hash
   * @param outcome what was recorded
   */
  record Recorded(String name, String keyHash, StoredOutcome outcome) implements IdempotencyEvent {}

  /**
   * The work failed with a retryable failure and the key was released.
   *
   * @param name the policy name
   * @param keyHash the key hash
   * @param failure the work's failure
   */
  record Released(String name, String keyHash, Throwable failure) implements IdempotencyEvent {}

  /**
   * A write of this execution was refused: it no longer owns the key.
   *
   * @param name the policy name
   * @param keyHash the key hash
   * @param fencingToken the fencing token this execution held
   * @param operation the refused write: {@code complete}, {@code release} or {@code renew}
   */
  record FencedOut(String name, String keyHash, long fencingToken, String operation) implements IdempotencyEvent {}

  /**
   * A store operation failed.
   *
   * @param name the policy name
   * @param keyHash the key hash
   * @param operation the operation: {@code claim}, {@code complete}, {@code release} or {@code renew}
   * @param error the store's failure
   * @param failedOpen whether the work ran anyway without a record (a failed claim with fail-open)
   */
  record StoreFailed(String name, String keyHash, String operation, Throwable error, boolean failedOpen)
      implements IdempotencyEvent {}
}
