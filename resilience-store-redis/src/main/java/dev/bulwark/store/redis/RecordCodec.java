package dev.bulwark.store.redis;

import dev.bulwark.idempotency.IdempotencyRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * The layout of a record's Redis string, shared with the Lua scripts (1-based positions there):
 *
 * <pre>
 * offset  length  field
 *      0       1  state: 'P' in progress, 'C' completed
 *      1      64  fingerprint (hex)
 *     65      32  owner token (hex)
 *     97      20  fencing token, decimal, zero-padded
 *    117      15  lease threshold in ms, decimal, zero-padded: the lease is live while PTTL > threshold
 *    132     ...  result bytes (completed records only)
 * </pre>
 *
 * Only durations appear in a record; the key's expiry carries the only deadline, on the server's clock.
 */
final class RecordCodec {
  static final int HEADER = 132;

  private RecordCodec() {}

  /** Decodes a record read together with its key's remaining time to live in milliseconds. */
  static IdempotencyRecord decode(long pttlMillis, byte[] value) {
    if (value == null || value.length < HEADER || (value[0] != 'P' && value[0] != 'C')) {
      throw new IllegalStateException("not a Bulwark idempotency record: "
          + (value == null ? "null" : value.length + " bytes"));
    }
    String fingerprint = new String(value, 1, 64, StandardCharsets.US_ASCII);
    String owner = new String(value, 65, 32, StandardCharsets.US_ASCII);
    long fencing = Long.parseLong(new String(value, 97, 20, StandardCharsets.US_ASCII));
    Duration ttl = Duration.ofMillis(Math.max(1, pttlMillis));
    if (value[0] == 'C') {
      return IdempotencyRecord.completed(fingerprint, owner, fencing, Arrays.copyOfRange(value, HEADER,
          value.length), ttl);
    }
    long threshold = Long.parseLong(new String(value, 117, 15, StandardCharsets.US_ASCII));
    Duration lease = Duration.ofMillis(Math.max(0, pttlMillis - threshold));
    return IdempotencyRecord.inProgress(fingerprint, owner, fencing, lease, ttl);
  }

  /** A fencing token as the scripts compare it: 20 digits, zero-padded. */
  static byte[] fencing(long fencingToken) {
    return String.format("%020d", fencingToken).getBytes(StandardCharsets.US_ASCII);
  }
}
