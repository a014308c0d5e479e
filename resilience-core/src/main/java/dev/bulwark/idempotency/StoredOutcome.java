package dev.bulwark.idempotency;

/**
 * What a completed record holds, as written by {@link Idempotency} and reported in
 * {@link IdempotencyEvent.Recorded} events. Its code is byte 2 of the stored result (see
 * {@code docs/idempotency.md}), so an operator can find flagged keys in a SQL store.
 *
 * <pre>{@code
 * Idempotency payments = Idempotency.builder("payments")
 *     .listener(IdempotencyEvent.Recorded.class, e -> {
 *       if (e.outcome() == StoredOutcome.OUTCOME_UNKNOWN) {
 *         alerts.raise("payment needs reconciliation, key hash " + e.keyHash());
 *       }
 *     })
 *     .build();
 * }</pre>
 */
public enum StoredOutcome {
  /** The work's result, encoded by the codec; replayed as it was. */
  RESULT(0),
  /** A terminal failure, encoded by the codec; replayed by throwing it. */
  FAILURE(1),
  /** A failure of unknown effect; repeats get {@link IdempotencyOutcomeUnknownException}. */
  OUTCOME_UNKNOWN(2),
  /** The work succeeded but its result could not be stored; repeats get
   * {@link IdempotencyResultNotStoredException}. */
  RESULT_NOT_STORED(3);

  private static final StoredOutcome[] BY_CODE = values();

  private final int code;

  StoredOutcome(int code) {
    this.code = code;
  }

  /**
   * Returns the code stored in byte 2 of the record's result.
   *
   * @return 0 to 3
   */
  public int code() {
    return code;
  }

  static StoredOutcome ofCode(int code) {
    return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
  }
}
