package dev.bulwark.idempotency;

import dev.bulwark.BulwarkException;

/**
 * A {@link ResultCodec} could not encode a value or decode a stored one: a type it does not support, a
 * format version it does not know, a record written by another codec, or corrupt bytes.
 *
 * <pre>{@code
 * public byte[] encode(Object value) {
 *   if (!(value instanceof Receipt receipt)) {
 *     throw new IdempotencyCodecException("receipt codec cannot encode " + value.getClass().getName(), null);
 *   }
 *   return json.writeValueAsBytes(receipt);
 * }
 * }</pre>
 */
public class IdempotencyCodecException extends BulwarkException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what could not be encoded or decoded
   * @param cause the underlying failure, or {@code null}
   */
  public IdempotencyCodecException(String message, Throwable cause) {
    super(message, cause);
  }
}
