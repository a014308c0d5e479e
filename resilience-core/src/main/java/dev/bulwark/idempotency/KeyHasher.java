package dev.bulwark.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * SHA-256 hashing of keys and fingerprints, and owner tokens: the only form in which they reach a store.
 *
 * <p>A key hash covers the policy name too ({@code SHA-256(utf8(name) 0x00 utf8(key))}), so two policies
 * sharing a store never see each other's keys. Owner tokens are 64 random bits fixed per process followed
 * by a 64-bit counter: unique within the process by construction, and across processes with overwhelming
 * probability.
 *
 * <p>Each thread hashes with its own digest and scratch buffers, so a hash allocates only its result string
 * (and the key's bytes when it is not ASCII or longer than the scratch buffer).
 */
final class KeyHasher {
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final int MAX_SCRATCH = 4096;
  private static final long PROCESS_ID = new SecureRandom().nextLong();
  private static final AtomicLong OWNER_SEQUENCE = new AtomicLong();
  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private KeyHasher() {}

  /** One thread's digest and buffers. */
  private static final class Scratch {
    final MessageDigest digest;
    final byte[] hash = new byte[32];
    final byte[] hex = new byte[64];
    byte[] text = new byte[256];

    Scratch() {
      try {
        digest = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every Java platform must provide SHA-256", e);
      }
    }
  }

  /** SHA-256 of the namespace, a zero byte and the key, as 64 hex characters. */
  static String keyHash(String namespace, String key) {
    return keyHash(namespace.getBytes(StandardCharsets.UTF_8), key);
  }

  /** SHA-256 of the namespace's UTF-8 bytes, a zero byte and the key, as 64 hex characters. */
  static String keyHash(byte[] namespace, String key) {
    Scratch scratch = SCRATCH.get();
    scratch.digest.update(namespace);
    scratch.digest.update((byte) 0);
    update(scratch, key);
    return finish(scratch);
  }

  /** SHA-256 of the fingerprint, as 64 hex characters. */
  static String fingerprintHash(String fingerprint) {
    Scratch scratch = SCRATCH.get();
    update(scratch, fingerprint);
    return finish(scratch);
  }

  /** A new owner token: 32 hex characters. */
  static String newOwnerToken() {
    byte[] hex = SCRATCH.get().hex;
    putHex(hex, 0, PROCESS_ID);
    putHex(hex, 16, OWNER_SEQUENCE.incrementAndGet());
    return new String(hex, 0, 32, StandardCharsets.ISO_8859_1);
  }

  /** Feeds the UTF-8 bytes of {@code text}: ASCII through the scratch buffer, anything else encoded. */
  private static void update(Scratch scratch, String text) {
    int length = text.length();
    byte[] buffer = scratch.text;
    if (length > buffer.length) {
      if (length > MAX_SCRATCH) {
        scratch.digest.update(text.getBytes(StandardCharsets.UTF_8));
        return;
      }
      buffer = scratch.text = new byte[MAX_SCRATCH];
    }
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (c >= 0x80) {
        scratch.digest.update(text.getBytes(StandardCharsets.UTF_8)); // nothing of it was fed yet
        return;
      }
      buffer[i] = (byte) c;
    }
    scratch.digest.update(buffer, 0, length);
  }

  private static String finish(Scratch scratch) {
    byte[] hash = scratch.hash;
    try {
      scratch.digest.digest(hash, 0, hash.length); // also resets the digest
    } catch (DigestException e) {
      throw new IllegalStateException("SHA-256 refused a 32-byte buffer", e);
    }
    byte[] hex = scratch.hex;
    for (int i = 0; i < hash.length; i++) {
      hex[2 * i] = HEX[(hash[i] >> 4) & 0xF];
      hex[2 * i + 1] = HEX[hash[i] & 0xF];
    }
    return new String(hex, 0, 64, StandardCharsets.ISO_8859_1);
  }

  private static void putHex(byte[] hex, int offset, long value) {
    for (int i = 15; i >= 0; i--) {
      hex[offset + i] = HEX[(int) (value & 0xF)];
      value >>>= 4;
    }
  }
}
