package dev.bulwark.idempotency;

import java.nio.charset.StandardCharsets;
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
 */
final class KeyHasher {
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final long PROCESS_ID = new SecureRandom().nextLong();
  private static final AtomicLong OWNER_SEQUENCE = new AtomicLong();
  private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(KeyHasher::newDigest);

  private KeyHasher() {}

  private static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }

  /** SHA-256 of the namespace, a zero byte and the key, as 64 hex characters. */
  static String keyHash(String namespace, String key) {
    MessageDigest digest = SHA_256.get();
    digest.update(namespace.getBytes(StandardCharsets.UTF_8));
    digest.update((byte) 0);
    digest.update(key.getBytes(StandardCharsets.UTF_8));
    return hex(digest.digest());
  }

  /** SHA-256 of the fingerprint, as 64 hex characters. */
  static String fingerprintHash(String fingerprint) {
    return hex(SHA_256.get().digest(fingerprint.getBytes(StandardCharsets.UTF_8)));
  }

  /** A new owner token: 32 hex characters. */
  static String newOwnerToken() {
    char[] chars = new char[32];
    putHex(chars, 0, PROCESS_ID);
    putHex(chars, 16, OWNER_SEQUENCE.incrementAndGet());
    return new String(chars);
  }

  private static void putHex(char[] chars, int offset, long value) {
    for (int i = 15; i >= 0; i--) {
      chars[offset + i] = HEX[(int) (value & 0xF)];
      value >>>= 4;
    }
  }

  private static String hex(byte[] bytes) {
    char[] chars = new char[bytes.length * 2];
    for (int i = 0; i < bytes.length; i++) {
      chars[2 * i] = HEX[(bytes[i] >> 4) & 0xF];
      chars[2 * i + 1] = HEX[bytes[i] & 0xF];
    }
    return new String(chars);
  }
}
