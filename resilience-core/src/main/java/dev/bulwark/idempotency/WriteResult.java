package dev.bulwark.idempotency;

/**
 * The answer of a conditional write ({@link IdempotencyStore#complete}, {@link IdempotencyStore#release},
 * {@link IdempotencyStore#renew}): it took effect, or the caller no longer owns the record.
 *
 * <pre>{@code
 * if (store.renew(keyHash, owner, fencingToken, lease) == WriteResult.FENCED) {
 *   // another execution took the key over (or it expired or was deleted): stop writing under it
 * }
 * }</pre>
 */
public enum WriteResult {
  /** The write took effect: the caller owned the live in-progress record. */
  APPLIED,
  /**
   * Nothing changed: the record is absent, expired, completed, or owned by another owner token or fencing
   * token. The caller was fenced out and must not assume its outcome is recorded.
   */
  FENCED
}
