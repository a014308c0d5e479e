package dev.bulwark.idempotency;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The default {@link ResultCodec}: one tag byte, then the value. Version 1 layout:
 * <pre>
 *   0 null        (no more bytes)
 *   1 String      UTF-8 bytes
 *   2 byte[]      the bytes
 *   3 Boolean     1 byte, 0 or 1
 *   4 Integer     4 bytes, big-endian
 *   5 Long        8 bytes, big-endian
 *   6 Double      8 bytes, IEEE 754 bits, big-endian
 *   7 BigInteger  two's-complement bytes, big-endian
 *   8 BigDecimal  4-byte scale, then the unscaled value as for BigInteger
 * </pre>
 */
final class DefaultResultCodec implements ResultCodec {
  static final DefaultResultCodec INSTANCE = new DefaultResultCodec();
  static final String ID = "bulwark";

  private static final byte NULL = 0;
  private static final byte STRING = 1;
  private static final byte BYTES = 2;
  private static final byte BOOLEAN = 3;
  private static final byte INT = 4;
  private static final byte LONG = 5;
  private static final byte DOUBLE = 6;
  private static final byte BIG_INTEGER = 7;
  private static final byte BIG_DECIMAL = 8;

  private DefaultResultCodec() {}

  @Override
  public String id() {
    return ID;
  }

  @Override
  public int version() {
    return 1;
  }

  @Override
  public byte[] encode(Object value) {
    if (value == null) {
      return new byte[] {NULL};
    }
    if (value instanceof String) {
      return tagged(STRING, ((String) value).getBytes(StandardCharsets.UTF_8));
    }
    if (value instanceof byte[]) {
      return tagged(BYTES, (byte[]) value);
    }
    if (value instanceof Boolean) {
      return new byte[] {BOOLEAN, (byte) ((Boolean) value ? 1 : 0)};
    }
    if (value instanceof Integer) {
      return ByteBuffer.allocate(5).put(INT).putInt((Integer) value).array();
    }
    if (value instanceof Long) {
      return ByteBuffer.allocate(9).put(LONG).putLong((Long) value).array();
    }
    if (value instanceof Double) {
      return ByteBuffer.allocate(9).put(DOUBLE).putLong(Double.doubleToRawLongBits((Double) value)).array();
    }
    if (value instanceof BigInteger) {
      return tagged(BIG_INTEGER, ((BigInteger) value).toByteArray());
    }
    if (value instanceof BigDecimal) {
      BigDecimal decimal = (BigDecimal) value;
      byte[] unscaled = decimal.unscaledValue().toByteArray();
      return ByteBuffer.allocate(5 + unscaled.length).put(BIG_DECIMAL).putInt(decimal.scale()).put(unscaled).array();
    }
    throw new IdempotencyCodecException("the default result codec stores null, String, byte[], Boolean, Integer, "
        + "Long, Double, BigInteger and BigDecimal, not " + value.getClass().getName()
        + "; configure a ResultCodec for it (IdempotencyConfig.Builder.codec)", null);
  }

  private static byte[] tagged(byte tag, byte[] body) {
    byte[] bytes = new byte[body.length + 1];
    bytes[0] = tag;
    System.arraycopy(body, 0, bytes, 1, body.length);
    return bytes;
  }

  @Override
  public Object decode(byte[] payload, int version) {
    return decode(payload, 0, payload.length, version);
  }

  /** Decodes {@code length} bytes from {@code offset}: the replay path reads the envelope in place. */
  Object decode(byte[] bytes, int offset, int length, int version) {
    if (version != 1) {
      throw new IdempotencyCodecException(
          "the default result codec reads format version 1, the result was written with version " + version, null);
    }
    if (length == 0) {
      throw new IdempotencyCodecException("corrupt result: no type tag", null);
    }
    int start = offset + 1;
    int size = length - 1;
    try {
      ByteBuffer body = ByteBuffer.wrap(bytes, start, size);
      switch (bytes[offset]) {
        case NULL:
          return exactly(null, body, 0);
        case STRING:
          return new String(bytes, start, size, StandardCharsets.UTF_8);
        case BYTES:
          return Arrays.copyOfRange(bytes, start, start + size);
        case BOOLEAN:
          return exactly(body.get() != 0, body, 0);
        case INT:
          return exactly(body.getInt(), body, 0);
        case LONG:
          return exactly(body.getLong(), body, 0);
        case DOUBLE:
          return exactly(Double.longBitsToDouble(body.getLong()), body, 0);
        case BIG_INTEGER:
          return new BigInteger(bytes, start, size);
        case BIG_DECIMAL:
          int scale = body.getInt();
          return new BigDecimal(new BigInteger(bytes, start + 4, size - 4), scale);
        default:
          throw new IdempotencyCodecException("corrupt result: unknown type tag " + bytes[offset], null);
      }
    } catch (RuntimeException e) {
      if (e instanceof IdempotencyCodecException) {
        throw e;
      }
      throw new IdempotencyCodecException("corrupt result of " + length + " bytes", e);
    }
  }

  private static Object exactly(Object value, ByteBuffer body, int remaining) {
    if (body.remaining() != remaining) {
      throw new IdempotencyCodecException("corrupt result: " + body.remaining() + " trailing bytes", null);
    }
    return value;
  }

  @Override
  public String toString() {
    return "ResultCodec[bulwark v1]";
  }
}
