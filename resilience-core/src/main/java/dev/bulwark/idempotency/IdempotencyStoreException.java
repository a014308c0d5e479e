package dev.bulwark.idempotency;

import dev.bulwark.BulwarkException;

/**
 * A store could not answer: connection lost, timeout, capacity reached. Store implementations may throw it
 * (or any other unchecked exception); the executor turns every store failure into fail-closed
 * ({@link IdempotencyStoreUnavailableException}) or fail-open behaviour, as configured.
 *
 * <pre>{@code
 * try (Connection connection = dataSource.getConnection()) {
 *   return claim(connection, keyHash, fingerprint, ownerToken, lease, ttl);
 * } catch (SQLException e) {
 *   throw new IdempotencyStoreException("claim failed: " + e.getMessage(), e);
 * }
 * }</pre>
 */
public class IdempotencyStoreException extends BulwarkException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed
   * @param cause the underlying failure, or {@code null}
   */
  public IdempotencyStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
