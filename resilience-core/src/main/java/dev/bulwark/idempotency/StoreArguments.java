package dev.bulwark.idempotency;

import java.time.Duration;
import java.util.Objects;

/**
 * The argument formats of the {@link IdempotencyStore} interface, with checks for store implementations to
 * call before touching their data. Fixed formats let a SQL store use fixed-width columns and keep raw keys,
 * which may carry personal data, out of every store.
 *
 * <ul>
 *   <li>key hash, fingerprint: {@value #HASH_LENGTH} lower-case hex characters (a SHA-256 digest);</li>
 *   <li>owner token: {@value #OWNER_TOKEN_LENGTH} lower-case hex characters (128 random bits);</li>
 *   <li>fencing token: at least 1;</li>
 *   <li>lease, ttl: positive durations; a claim's ttl is at least its lease;</li>
 *   <li>purge limit: at least 1.</li>
 * </ul>
 *
 * <pre>{@code
 * public ClaimResult claim(String keyHash, String fingerprint, String ownerToken, Duration lease, Duration ttl) {
 *   StoreArguments.checkClaim(keyHash, fingerprint, ownerToken, lease, ttl);
 *   // ... one atomic statement
 * }
 * }</pre>
 */
public final class StoreArguments {
  /** The length of a key hash and of a fingerprint hash: 64 hex characters. */
  public static final int HASH_LENGTH = 64;
  /** The length of an owner token: 32 hex characters. */
  public static final int OWNER_TOKEN_LENGTH = 32;

  private StoreArguments() {}

  /**
   * Checks the arguments of {@link IdempotencyStore#claim}.
   *
   * @param keyHash the key hash
   * @param fingerprint the fingerprint hash
   * @param ownerToken the owner token
   * @param lease the lease
   * @param ttl the record's time to live
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if an argument is malformed, or {@code ttl < lease}
   */
  public static void checkClaim(
      String keyHash, String fingerprint, String ownerToken, Duration lease, Duration ttl) {
    requireKeyHash(keyHash);
    requireFingerprint(fingerprint);
    requireOwnerToken(ownerToken);
    requirePositive("lease", lease);
    requirePositive("ttl", ttl);
    if (ttl.compareTo(lease) < 0) {
      throw new IllegalArgumentException("ttl must be >= lease (" + lease + "), was " + ttl);
    }
  }

  /**
   * Checks the arguments of {@link IdempotencyStore#complete}.
   *
   * @param keyHash the key hash
   * @param ownerToken the owner token
   * @param fencingToken the fencing token
   * @param result the encoded outcome
   * @param ttl the completed record's time to live
   * @param maxResultBytes the store's {@link IdempotencyStore#maxResultBytes()}
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if an argument is malformed or the result too long
   */
  public static void checkComplete(String keyHash, String ownerToken, long fencingToken, byte[] result,
      Duration ttl, int maxResultBytes) {
    checkOwnership(keyHash, ownerToken, fencingToken);
    Objects.requireNonNull(result, "result");
    if (result.length > maxResultBytes) {
      throw new IllegalArgumentException(
          "result must be at most " + maxResultBytes + " bytes for this store, was " + result.length);
    }
    requirePositive("ttl", ttl);
  }

  /**
   * Checks the arguments shared by {@link IdempotencyStore#release} and {@link IdempotencyStore#renew}.
   *
   * @param keyHash the key hash
   * @param ownerToken the owner token
   * @param fencingToken the fencing token
   * @throws NullPointerException if an argument is null
   * @throws IllegalArgumentException if an argument is malformed
   */
  public static void checkOwnership(String keyHash, String ownerToken, long fencingToken) {
    requireKeyHash(keyHash);
    requireOwnerToken(ownerToken);
    requireFencingToken(fencingToken);
  }

  /**
   * Requires a key hash: {@value #HASH_LENGTH} lower-case hex characters.
   *
   * @param keyHash the value
   * @return the value
   */
  public static String requireKeyHash(String keyHash) {
    return requireHex("keyHash", keyHash, HASH_LENGTH);
  }

  /**
   * Requires a fingerprint hash: {@value #HASH_LENGTH} lower-case hex characters.
   *
   * @param fingerprint the value
   * @return the value
   */
  public static String requireFingerprint(String fingerprint) {
    return requireHex("fingerprint", fingerprint, HASH_LENGTH);
  }

  /**
   * Requires an owner token: {@value #OWNER_TOKEN_LENGTH} lower-case hex characters.
   *
   * @param ownerToken the value
   * @return the value
   */
  public static String requireOwnerToken(String ownerToken) {
    return requireHex("ownerToken", ownerToken, OWNER_TOKEN_LENGTH);
  }

  /**
   * Requires a fencing token of at least 1.
   *
   * @param fencingToken the value
   * @return the value
   */
  public static long requireFencingToken(long fencingToken) {
    if (fencingToken < 1) {
      throw new IllegalArgumentException("fencingToken must be >= 1, was " + fencingToken);
    }
    return fencingToken;
  }

  /**
   * Requires a positive duration.
   *
   * @param option the argument's name, for the message
   * @param value the value
   * @return the value
   */
  public static Duration requirePositive(String option, Duration value) {
    Objects.requireNonNull(value, option);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(option + " must be > 0, was " + value);
    }
    return value;
  }

  /**
   * Requires a purge limit of at least 1.
   *
   * @param limit the value
   * @return the value
   */
  public static int requireLimit(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1, was " + limit);
    }
    return limit;
  }

  private static String requireHex(String option, String value, int length) {
    Objects.requireNonNull(value, option);
    boolean ok = value.length() == length;
    for (int i = 0; ok && i < length; i++) {
      char c = value.charAt(i);
      ok = (char) (c - '0') < 10 || (char) (c - 'a') < 6; // unsigned range checks, no table to read
    }
    if (!ok) {
      throw new IllegalArgumentException(
          option + " must be " + length + " lower-case hex characters, was \"" + abbreviate(value) + "\"");
    }
    return value;
  }

  private static String abbreviate(String value) {
    return value.length() <= 80 ? value : value.substring(0, 77) + "...";
  }
}
