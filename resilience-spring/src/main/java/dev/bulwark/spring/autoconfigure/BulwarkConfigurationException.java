package dev.bulwark.spring.autoconfigure;

/**
 * Bulwark's properties or annotations cannot be honoured: startup fails with this exception, whose message
 * names the property path or the method and what is wrong.
 *
 * <pre>{@code
 * bulwark.retry.instances.pricing: maxAttempts must be at least 1, was 0
 * }</pre>
 */
public class BulwarkConfigurationException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what is wrong and where
   */
  public BulwarkConfigurationException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message what is wrong and where
   * @param cause the core's validation error
   */
  public BulwarkConfigurationException(String message, Throwable cause) {
    super(message, cause);
  }
}
