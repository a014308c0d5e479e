package dev.bulwark;

/**
 * The base type of every exception Bulwark throws at run time (configuration errors are plain
 * {@link IllegalArgumentException}s and {@link IllegalStateException}s).
 *
 * <pre>{@code
 * try {
 *   pipeline.get(() -> client.call());
 * } catch (BulwarkException e) {
 *   // rejected, timed out or otherwise stopped by a policy: not the dependency's own error
 * }
 * }</pre>
 */
public class BulwarkException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message and a cause.
   *
   * @param message the message
   * @param cause the cause, or {@code null}
   */
  public BulwarkException(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * Creates an exception with full control over suppression and the stack trace.
   *
   * @param message the message
   * @param cause the cause, or {@code null}
   * @param enableSuppression whether suppressed exceptions may be added
   * @param writableStackTrace whether the stack trace is filled in
   */
  protected BulwarkException(
      String message, Throwable cause, boolean enableSuppression, boolean writableStackTrace) {
    super(message, cause, enableSuppression, writableStackTrace);
  }
}
