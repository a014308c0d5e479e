package dev.bulwark.idempotency;

import java.time.Duration;
import java.util.Optional;

/**
 * Where idempotency records live: the service provider interface that the in-memory store, the JDBC store
 * and the Redis store implement.
 *
 * <p>A store keeps at most one record per key hash. A record is either <em>in progress</em> (owned by the
 * execution that claimed it: an owner token, a fencing token and a lease) or <em>completed</em> (holding the
 * encoded outcome of the execution). Every operation below must be <strong>atomic</strong> with respect to
 * every other operation on the same key: one SQL statement (or one transaction), one Redis Lua script, one
 * {@code ConcurrentHashMap.compute}. The executor ({@link Idempotency}) is correct only if they are.
 *
 * <h2>Time</h2>
 * Leases and expiry are judged by the <strong>store's own clock</strong> (the database's {@code now()}, Redis
 * {@code TIME}, the in-memory store's {@link dev.bulwark.Clock}), never by the application's: several
 * application instances with skewed clocks share one store. So the interface passes durations, and a store
 * turns each into a deadline as "store now + duration" when the operation runs. With {@code now} the store's
 * time when an operation runs:
 * <ul>
 *   <li>a record is <em>live</em> while {@code now < expiresAt}; an expired record counts as absent for every
 *       operation, whether or not it has been purged yet;</li>
 *   <li>the lease of an in-progress record is <em>live</em> while {@code now < leaseExpiresAt}; a record
 *       whose lease lapsed stays in progress (its owner may still finish) until another execution takes it
 *       over;</li>
 *   <li>for an in-progress record, {@code expiresAt >= leaseExpiresAt} always holds.</li>
 * </ul>
 * Stores keep at least millisecond resolution and round durations up to it.
 *
 * <h2>Arguments</h2>
 * The executor hashes keys and fingerprints before they reach a store, so stores see fixed-size values and
 * never the caller's raw key (see {@link StoreArguments}): a key hash and a fingerprint are 64 lower-case hex
 * characters (SHA-256), an owner token is 32 lower-case hex characters (128 random bits), a fencing token is a
 * {@code long >= 1}, durations are positive. {@link StoreArguments} has checks for each that implementations
 * should call first: a store rejects malformed arguments with {@link NullPointerException} or
 * {@link IllegalArgumentException} before touching its data.
 *
 * <h2>Failures</h2>
 * A store that cannot answer (connection refused, timeout, pool exhausted, capacity reached) throws an
 * unchecked exception of its choice; the executor treats any {@link RuntimeException} from a store as "store
 * unavailable" and fails closed or open as configured. A store never answers "fenced" or "absent" because it
 * could not reach its data.
 *
 * <h2>Conformance</h2>
 * The test-jar of {@code resilience-core} carries an abstract JUnit suite,
 * {@code dev.bulwark.idempotency.conformance.IdempotencyStoreConformance}: extend it with a factory for the
 * store and a way to age its records, and it checks every rule above, concurrency included.
 *
 * <pre>{@code
 * IdempotencyStore store = InMemoryIdempotencyStore.builder().maxEntries(50_000).build();
 * Idempotency payments = Idempotency.builder("payments").store(store).build();
 * Receipt receipt = payments.execute(request.idempotencyKey(), request.bodyHash(), () -> charge(request));
 * }</pre>
 */
public interface IdempotencyStore {

  /**
   * Claims the key for an execution, or reports why it cannot: the one operation that decides whether work
   * runs. Atomically, with {@code now} the store's time:
   * <ol>
   *   <li>no live record (absent, or expired): create an in-progress record with this fingerprint and owner,
   *       fencing token {@code f >= 1}, {@code leaseExpiresAt = now + lease}, {@code expiresAt = now + ttl};
   *       return {@link ClaimResult#claimed(long, boolean) claimed(f, false)}. A store may restart the
   *       fencing counter at 1 or continue from an expired record's;</li>
   *   <li>a live record with a different fingerprint: change nothing, return
   *       {@link ClaimResult#fingerprintMismatch()} (whatever its state);</li>
   *   <li>a completed record: change nothing, return {@link ClaimResult#completed(IdempotencyRecord)};</li>
   *   <li>an in-progress record with a live lease: change nothing, return
   *       {@link ClaimResult#inProgress(Duration) inProgress(leaseExpiresAt - now)};</li>
   *   <li>an in-progress record whose lease lapsed: take it over: replace its owner with this one, set its
   *       fencing token to the old one plus one, {@code leaseExpiresAt = now + lease},
   *       {@code expiresAt = now + ttl}; return {@link ClaimResult#claimed(long, boolean) claimed(old + 1,
   *       true)}. The old owner's later writes are then fenced.</li>
   * </ol>
   *
   * @param keyHash the key's hash, 64 lower-case hex characters
   * @param fingerprint the request's fingerprint hash, 64 lower-case hex characters
   * @param ownerToken this execution's owner token, 32 lower-case hex characters
   * @param lease how long the claim holds before another execution may take it over; positive
   * @param ttl how long the in-progress record lives at most; at least {@code lease}
   * @return what the store found and did
   */
  ClaimResult claim(String keyHash, String fingerprint, String ownerToken, Duration lease, Duration ttl);

  /**
   * Completes an execution: stores its encoded outcome, if the caller still owns the record. Atomically: if
   * a live in-progress record with this owner token and fencing token exists, it becomes completed with
   * {@code result} and {@code expiresAt = now + ttl} (fingerprint, owner and fencing token unchanged), and the
   * answer is {@link WriteResult#APPLIED}; otherwise nothing changes and the answer is
   * {@link WriteResult#FENCED}. Only ownership counts, not the lease: an owner whose lease lapsed without a
   * takeover still completes.
   *
   * @param keyHash the key's hash
   * @param ownerToken the owner token given to {@link #claim}
   * @param fencingToken the fencing token {@link #claim} returned
   * @param result the encoded outcome, at most {@link #maxResultBytes()} long; the store may keep the array,
   *     the caller must not change it afterwards
   * @param ttl how long the completed record lives; positive
   * @return {@link WriteResult#APPLIED}, or {@link WriteResult#FENCED} if the caller no longer owns the record
   * @throws IllegalArgumentException if {@code result} is longer than {@link #maxResultBytes()}
   */
  WriteResult complete(String keyHash, String ownerToken, long fencingToken, byte[] result, Duration ttl);

  /**
   * Gives a claim up: deletes the record, if the caller still owns it, so the next claim runs the work.
   * Atomically: if a live in-progress record with this owner token and fencing token exists, it is removed
   * and the answer is {@link WriteResult#APPLIED}; otherwise nothing changes and the answer is
   * {@link WriteResult#FENCED}.
   *
   * @param keyHash the key's hash
   * @param ownerToken the owner token given to {@link #claim}
   * @param fencingToken the fencing token {@link #claim} returned
   * @return {@link WriteResult#APPLIED}, or {@link WriteResult#FENCED} if the caller no longer owns the record
   */
  WriteResult release(String keyHash, String ownerToken, long fencingToken);

  /**
   * Extends the lease of a long execution (its heartbeat), if the caller still owns the record. Atomically:
   * if a live in-progress record with this owner token and fencing token exists, its
   * {@code leaseExpiresAt = now + lease} and {@code expiresAt = max(expiresAt, leaseExpiresAt)}, and the
   * answer is {@link WriteResult#APPLIED}; otherwise nothing changes and the answer is
   * {@link WriteResult#FENCED}. Renewing a lapsed lease that nobody took over succeeds.
   *
   * @param keyHash the key's hash
   * @param ownerToken the owner token given to {@link #claim}
   * @param fencingToken the fencing token {@link #claim} returned
   * @param lease the new lease, counted from now; positive
   * @return {@link WriteResult#APPLIED}, or {@link WriteResult#FENCED} if the caller no longer owns the record
   */
  WriteResult renew(String keyHash, String ownerToken, long fencingToken, Duration lease);

  /**
   * Reads the live record of a key, changing nothing.
   *
   * @param keyHash the key's hash
   * @return the record, or empty if there is none or it has expired
   */
  Optional<IdempotencyRecord> read(String keyHash);

  /**
   * Removes the record of a key whatever its state or owner: the operator's way to resolve a key whose
   * outcome is unknown, or to forget a result. Owners of a deleted in-progress record are fenced.
   *
   * @param keyHash the key's hash
   * @return {@code true} if the store held a live record for the key
   */
  boolean delete(String keyHash);

  /**
   * Removes up to {@code limit} expired records and never a live one. Expired records already count as
   * absent, so purging only reclaims space; call it from a scheduled job. A store whose records expire on
   * their own (Redis) may return 0.
   *
   * @param limit the most records to remove in this call, at least 1
   * @return how many records were removed, between 0 and {@code limit}
   */
  int purgeExpired(int limit);

  /**
   * Returns the size of the largest result this store accepts in {@link #complete}; the executor stores a
   * "result not stored" marker instead of a larger result. The default has no limit of its own.
   *
   * @return the limit in bytes, positive
   */
  default int maxResultBytes() {
    return Integer.MAX_VALUE;
  }
}
