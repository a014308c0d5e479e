package dev.bulwark.idempotency;

import dev.bulwark.BulwarkException;

/**
 * The replay of a stored terminal failure, as the default {@link ResultCodec} decodes it: the first
 * execution failed with an exception classified {@link FailureKind#TERMINAL}, and this carries its type and
 * message. A codec that can rebuild the original exception type overrides
 * {@link ResultCodec#decodeFailure(byte[], int)} instead.
 *
 * <pre>{@code
 * try {
 *   return payments.execute(key, fingerprint, () -> charge(request));
 * } catch (CardDeclinedException e) {
 *   return declined(e.getMessage());                       // the first execution
 * } catch (IdempotencyReplayedFailureException e) {
 *   if (e.originalType().equals(CardDeclinedException.class.getName())) {
 *     return declined(e.originalMessage());                 // a repeat
 *   }
 *   throw e;
 * }
 * }</pre>
 */
public final class IdempotencyReplayedFailureException extends BulwarkException {
  private static final long serialVersionUID = 1L;

  private final String originalType;
  private final String originalMessage;

  /**
   * Creates the replay of a failure.
   *
   * @param originalType the class name of the original exception
   * @param originalMessage its message, or {@code null}
   */
  public IdempotencyReplayedFailureException(String originalType, String originalMessage) {
    super("replay of the first execution's failure: " + originalType
        + (originalMessage == null ? "" : ": " + originalMessage), null);
    this.originalType = originalType;
    this.originalMessage = originalMessage;
  }

  /**
   * Returns the class name of the original exception.
   *
   * @return the fully qualified class name
   */
  public String originalType() {
    return originalType;
  }

  /**
   * Returns the message of the original exception.
   *
   * @return the message, or {@code null}
   */
  public String originalMessage() {
    return originalMessage;
  }
}
