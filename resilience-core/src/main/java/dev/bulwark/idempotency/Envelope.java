package dev.bulwark.idempotency;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The stored form of an outcome: a small versioned header, then the payload. Format 1:
 * <pre>
 *   byte 0        magic 0xB1
 *   byte 1        envelope format, 1
 *   byte 2        {@link StoredOutcome#code()}
 *   byte 3        n, the length of the codec id
 *   bytes 4..4+n  the codec id, ASCII
 *   4 bytes       the codec's format version, big-endian
 *   the rest      the payload: the codec's bytes for RESULT and FAILURE, UTF-8 text for the other two
 * </pre>
 */
final class Envelope {
  static final int MAGIC = 0xB1;
  static final int FORMAT = 1;

  final StoredOutcome outcome;
  final int codecVersion;
  final byte[] bytes;
  final int payloadOffset;
  private final int codecIdLength;

  private Envelope(StoredOutcome outcome, int codecIdLength, int codecVersion, byte[] bytes, int payloadOffset) {
    this.outcome = outcome;
    this.codecIdLength = codecIdLength;
    this.codecVersion = codecVersion;
    this.bytes = bytes;
    this.payloadOffset = payloadOffset;
  }

  /** The codec id, decoded: for messages, the replay path compares bytes with {@link #codecIs}. */
  String codecId() {
    return new String(bytes, 4, codecIdLength, StandardCharsets.US_ASCII);
  }

  /** Whether the stored codec id is {@code id} (ASCII bytes), without decoding it. */
  boolean codecIs(byte[] id) {
    return Arrays.equals(bytes, 4, 4 + codecIdLength, id, 0, id.length);
  }

  int payloadLength() {
    return bytes.length - payloadOffset;
  }

  static byte[] encode(StoredOutcome outcome, String codecId, int codecVersion, byte[] payload) {
    int n = codecId.length();
    byte[] bytes = new byte[8 + n + payload.length];
    bytes[0] = (byte) MAGIC;
    bytes[1] = FORMAT;
    bytes[2] = (byte) outcome.code();
    bytes[3] = (byte) n;
    for (int i = 0; i < n; i++) {
      bytes[4 + i] = (byte) codecId.charAt(i);
    }
    bytes[4 + n] = (byte) (codecVersion >>> 24);
    bytes[5 + n] = (byte) (codecVersion >>> 16);
    bytes[6 + n] = (byte) (codecVersion >>> 8);
    bytes[7 + n] = (byte) codecVersion;
    System.arraycopy(payload, 0, bytes, 8 + n, payload.length);
    return bytes;
  }

  static byte[] text(StoredOutcome outcome, String text) {
    return encode(outcome, "", 0, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Parses stored bytes; throws {@link IdempotencyCodecException} if they are not an envelope. */
  static Envelope parse(byte[] bytes) {
    if (bytes.length < 8 || (bytes[0] & 0xFF) != MAGIC) {
      throw new IdempotencyCodecException("the stored result is not a Bulwark idempotency record ("
          + bytes.length + " bytes)", null);
    }
    if (bytes[1] != FORMAT) {
      throw new IdempotencyCodecException("the stored result has envelope format " + bytes[1]
          + "; this version of Bulwark reads format " + FORMAT, null);
    }
    StoredOutcome outcome = StoredOutcome.ofCode(bytes[2]);
    int n = bytes[3] & 0xFF;
    if (outcome == null || bytes.length < 8 + n) {
      throw new IdempotencyCodecException("corrupt stored result header", null);
    }
    int version = ((bytes[4 + n] & 0xFF) << 24) | ((bytes[5 + n] & 0xFF) << 16)
        | ((bytes[6 + n] & 0xFF) << 8) | (bytes[7 + n] & 0xFF);
    return new Envelope(outcome, n, version, bytes, 8 + n);
  }

  byte[] payload() {
    return Arrays.copyOfRange(bytes, payloadOffset, bytes.length);
  }

  String payloadText() {
    return new String(bytes, payloadOffset, bytes.length - payloadOffset, StandardCharsets.UTF_8);
  }
}
