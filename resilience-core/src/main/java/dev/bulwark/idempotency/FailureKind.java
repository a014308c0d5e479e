package dev.bulwark.idempotency;

/**
 * What a failure of the work means for its key, as decided by a {@link FailureClassifier}.
 *
 * <pre>{@code
 * FailureClassifier classifier = FailureClassifier.builder()
 *     .classify(FailureKind.RETRYABLE, ConnectException.class)    // nothing was sent: run again
 *     .classify(FailureKind.TERMINAL, CardDeclinedException.class) // a real answer: replay it
 *     .build();                                                   // anything else: UNKNOWN
 * }</pre>
 */
public enum FailureKind {
  /**
   * The work certainly had no effect (refused before it started, connection never made): the key is
   * released, so the next attempt runs the work again.
   */
  RETRYABLE,
  /**
   * The work finished with a definite failure (declined, invalid): the failure is stored and replayed to
   * repeats like a result.
   */
  TERMINAL,
  /**
   * The work may or may not have had its effect (a timeout after the request was sent): the key is kept and
   * flagged; repeats get {@link IdempotencyOutcomeUnknownException} until the record expires or is
   * forgotten. Never silently released.
   */
  UNKNOWN
}
