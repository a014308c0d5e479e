package dev.bulwark.idempotency;

import java.io.ObjectInputFilter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Turns the work's results (and terminal failures) into bytes for the store and back for replays: the
 * serializer SPI of {@link Idempotency}.
 *
 * <p>A codec names itself ({@link #id()}) and the format version it writes ({@link #version()}); both are
 * stored with every result, and {@link #decode(byte[], int)} receives the version a result was written
 * with, so a codec can change its format and still read what it wrote before. A result written by another
 * codec id is not decoded: the replay fails with {@link IdempotencyCodecException}.
 *
 * <p>Codecs that ship with the core:
 * <ul>
 *   <li>{@link #defaults()}: {@code null}, {@link String}, {@code byte[]}, {@link Boolean}, {@link Integer},
 *       {@link Long}, {@link Double}, {@link java.math.BigInteger} and {@link java.math.BigDecimal}, in a
 *       compact tagged format; any other type fails to encode, and the key's record says the result was not
 *       stored;</li>
 *   <li>{@link #javaSerialization(ObjectInputFilter)}: any {@link java.io.Serializable}, read back only
 *       through the allow-list filter you give, since deserializing bytes from a shared store without one
 *       is a remote-code-execution risk.</li>
 * </ul>
 * For JSON or protobuf, implement the four methods over your mapper.
 *
 * <pre>{@code
 * final class ReceiptCodec implements ResultCodec {
 *   public String id() { return "receipt-json"; }
 *   public int version() { return 2; }
 *   public byte[] encode(Object value) { return mapper.writeValueAsBytes(value); }
 *   public Object decode(byte[] payload, int version) {
 *     return version == 1 ? ReceiptV1.read(payload) : mapper.readValue(payload, Receipt.class);
 *   }
 * }
 * Idempotency payments = Idempotency.of("payments",
 *     IdempotencyConfig.builder().codec(new ReceiptCodec()).build());
 * }</pre>
 */
public interface ResultCodec {

  /**
   * Names this codec; stored with each result. At most 255 ASCII characters, stable across releases.
   *
   * @return the codec's id
   */
  String id();

  /**
   * Returns the version of the format {@link #encode(Object)} writes now; stored with each result.
   *
   * @return the format version, at least 1
   */
  int version();

  /**
   * Encodes a result.
   *
   * @param value the work's result, possibly {@code null}
   * @return the bytes
   * @throws IdempotencyCodecException (or any runtime exception) if the value cannot be encoded
   */
  byte[] encode(Object value);

  /**
   * Decodes a result written by this codec.
   *
   * @param payload the bytes {@link #encode(Object)} wrote
   * @param version the {@link #version()} they were written with
   * @return the result
   * @throws IdempotencyCodecException (or any runtime exception) if they cannot be decoded
   */
  Object decode(byte[] payload, int version);

  /**
   * Encodes a terminal failure. The default keeps its class name and message.
   *
   * @param failure the work's failure
   * @return the bytes
   */
  default byte[] encodeFailure(Throwable failure) {
    byte[] type = failure.getClass().getName().getBytes(StandardCharsets.UTF_8);
    String message = failure.getMessage();
    byte[] text = message == null ? null : message.getBytes(StandardCharsets.UTF_8);
    ByteBuffer buffer = ByteBuffer.allocate(8 + type.length + (text == null ? 0 : text.length));
    buffer.putInt(type.length).put(type).putInt(text == null ? -1 : text.length);
    if (text != null) {
      buffer.put(text);
    }
    return buffer.array();
  }

  /**
   * Decodes a terminal failure, to be thrown to the repeat. The default returns an
   * {@link IdempotencyReplayedFailureException} with the original class name and message; override both
   * failure methods to rebuild your own exception types.
   *
   * @param payload the bytes {@link #encodeFailure(Throwable)} wrote
   * @param version the {@link #version()} they were written with
   * @return the failure to throw
   */
  default Throwable decodeFailure(byte[] payload, int version) {
    try {
      ByteBuffer buffer = ByteBuffer.wrap(payload);
      byte[] type = new byte[buffer.getInt()];
      buffer.get(type);
      int textLength = buffer.getInt();
      String message = null;
      if (textLength >= 0) {
        byte[] text = new byte[textLength];
        buffer.get(text);
        message = new String(text, StandardCharsets.UTF_8);
      }
      return new IdempotencyReplayedFailureException(new String(type, StandardCharsets.UTF_8), message);
    } catch (RuntimeException e) {
      throw new IdempotencyCodecException("corrupt stored failure of " + payload.length + " bytes", e);
    }
  }

  /**
   * Returns the default codec for common value types, in a compact tagged format (id {@code "bulwark"},
   * version 1).
   *
   * @return the shared default codec
   */
  static ResultCodec defaults() {
    return DefaultResultCodec.INSTANCE;
  }

  /**
   * Returns a codec for any {@link java.io.Serializable} result that deserializes only what {@code filter}
   * allows (id {@code "java-serialization"}, version 1). Give a strict allow-list, such as
   * {@code ObjectInputFilter.Config.createFilter("com.example.Receipt;java.lang.*;java.math.*;!*")}.
   *
   * @param filter the filter applied when a stored result is read
   * @return the codec
   */
  static ResultCodec javaSerialization(ObjectInputFilter filter) {
    return new JavaSerializationCodec(Objects.requireNonNull(filter, "filter"));
  }
}
