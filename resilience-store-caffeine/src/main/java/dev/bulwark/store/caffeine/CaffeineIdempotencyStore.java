package dev.bulwark.store.caffeine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.bulwark.Clock;
import dev.bulwark.idempotency.ClaimResult;
import dev.bulwark.idempotency.IdempotencyRecord;
import dev.bulwark.idempotency.IdempotencyStore;
import dev.bulwark.idempotency.StoreArguments;
import dev.bulwark.idempotency.WriteResult;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiFunction;

/**
 * A bounded in-process {@link IdempotencyStore} on Caffeine: each record expires at its own deadline, and
 * when more completed records exist than {@link Builder#maximumCompleted(long)}, Caffeine evicts the ones
 * least likely to be asked for again (W-TinyLFU) instead of refusing new claims.
 *
 * <p>In-progress records are never evicted for size (they weigh nothing), because evicting one would let a
 * second execution of the same key run while the first is still going; they leave only when their owner
 * completes or releases them, or when their time to live ends. Completed records <em>are</em> evicted under
 * size pressure: a repeat whose record was evicted runs the work again. That is this store's trade-off
 * against {@code InMemoryIdempotencyStore}, which never evicts a live record and refuses claims when full.
 * Size the bound for the request rate times the result ttl, and use a shared store (JDBC, Redis) when
 * several instances serve the same keys. Memory is bounded by about {@code maximumCompleted} times
 * {@link Builder#maxResultBytes(int)}, plus the in-progress records.
 *
 * <pre>{@code
 * CaffeineIdempotencyStore store = CaffeineIdempotencyStore.builder()
 *     .maximumCompleted(100_000)
 *     .maxResultBytes(8 * 1024)
 *     .build();
 * }</pre>
 */
public final class CaffeineIdempotencyStore implements IdempotencyStore {
  /*
   * Implementation notes.
   *
   * Every operation on a key that changes it is one Caffeine asMap().compute, which Caffeine applies atomically per key
   * (ConcurrentHashMap bin locking underneath) and exactly once; our code holds no lock of its own. A
   * remapping function reads the clock once and decides on that reading, so operations on one key observe
   * non-decreasing time in the order they take effect. Records are immutable; an operation replaces one.
   *
   * Time: Caffeine's ticker is the store's Clock, and the Expiry gives each record the time left to its own
   * expiresAt, so Caffeine drops a record exactly when the store's rules call it expired. The functions check
   * liveness themselves as well, so an expired record that Caffeine has not dropped yet is still treated as
   * absent.
   *
   * A claim first reads the entry without a lock (Cache.getIfPresent, which also tells the eviction policy
   * that the record is in use): a replay, a mismatch or a live lease is answered from that immutable
   * snapshot, which was true at the moment of the read. Only a claim that must write goes through compute,
   * which decides again on the entry it finds there.
   *
   * Size: maximumWeight with a weigher that gives in-progress records 0 (Caffeine never evicts those for
   * size) and completed ones 1. The functions record what they decided in the per-call object that is the
   * function; Caffeine applies it once, so that is safe and saves a result holder.
   *
   * Maintenance (eviction, expiry) runs on the calling thread (executor Runnable::run): no background threads,
   * and nothing left running when the store is dropped.
   */

  private static final long DEFAULT_MAXIMUM_COMPLETED = 10_000;
  private static final int DEFAULT_MAX_RESULT_BYTES = 64 * 1024;

  private final Clock clock;
  private final long maximumCompleted;
  private final int maxResultBytes;
  private final Cache<String, Entry> cache;
  private final ConcurrentMap<String, Entry> records;

  private CaffeineIdempotencyStore(Builder builder) {
    this.clock = builder.clock;
    this.maximumCompleted = builder.maximumCompleted;
    this.maxResultBytes = builder.maxResultBytes;
    this.cache = Caffeine.newBuilder()
        .ticker(clock::nanoTime)
        .executor(Runnable::run)
        .maximumWeight(maximumCompleted)
        .weigher((String key, Entry entry) -> entry.isInProgress() ? 0 : 1)
        .expireAfter(new RecordExpiry())
        .build();
    this.records = cache.asMap();
  }

  /**
   * Returns a store with the defaults: 10,000 completed records of at most 64 KiB, system clock.
   *
   * @return a new, empty store
   */
  public static CaffeineIdempotencyStore create() {
    return builder().build();
  }

  /**
   * Starts a store with the defaults.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A record: in progress while {@code result} is null. Immutable. Times are clock readings in nanos. */
  private static final class Entry {
    final String fingerprint;
    final String owner;
    final long fencing;
    final long leaseExpiresAt;
    final long expiresAt;
    final byte[] result;

    Entry(String fingerprint, String owner, long fencing, long leaseExpiresAt, long expiresAt, byte[] result) {
      this.fingerprint = fingerprint;
      this.owner = owner;
      this.fencing = fencing;
      this.leaseExpiresAt = leaseExpiresAt;
      this.expiresAt = expiresAt;
      this.result = result;
    }

    boolean isLive(long now) {
      return now - expiresAt < 0;
    }

    boolean isInProgress() {
      return result == null;
    }

    boolean isOwnedBy(String ownerToken, long fencingToken, long now) {
      return result == null && fencing == fencingToken && owner.equals(ownerToken) && isLive(now);
    }

    IdempotencyRecord toRecord(long now) {
      Duration ttl = Duration.ofNanos(Math.max(1, expiresAt - now));
      if (result != null) {
        return IdempotencyRecord.completed(fingerprint, owner, fencing, result, ttl);
      }
      return IdempotencyRecord.inProgress(
          fingerprint, owner, fencing, Duration.ofNanos(Math.max(0, leaseExpiresAt - now)), ttl);
    }
  }

  /** Each record lives until its own expiresAt on the store's clock. */
  private static final class RecordExpiry implements Expiry<String, Entry> {
    @Override
    public long expireAfterCreate(String key, Entry entry, long currentTime) {
      return Math.max(0, entry.expiresAt - currentTime);
    }

    @Override
    public long expireAfterUpdate(String key, Entry entry, long currentTime, long currentDuration) {
      return Math.max(0, entry.expiresAt - currentTime);
    }

    @Override
    public long expireAfterRead(String key, Entry entry, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }

  @Override
  public ClaimResult claim(String keyHash, String fingerprint, String ownerToken, Duration lease, Duration ttl) {
    StoreArguments.checkClaim(keyHash, fingerprint, ownerToken, lease, ttl);
    Entry seen = cache.getIfPresent(keyHash);
    if (seen != null) {
      // Answers that change nothing come from a lock-free read of the immutable entry: the answer was true
      // at the moment of the read, which lies within this call. Only a claim that writes takes the lock.
      long now = clock.nanoTime();
      if (seen.isLive(now)) {
        if (!seen.fingerprint.equals(fingerprint)) {
          return ClaimResult.fingerprintMismatch();
        }
        if (!seen.isInProgress()) {
          return ClaimResult.completed(seen.toRecord(now));
        }
        long leaseLeft = seen.leaseExpiresAt - now;
        if (leaseLeft > 0) {
          return ClaimResult.inProgress(Duration.ofNanos(leaseLeft));
        }
      }
    }
    Claim claim = new Claim(fingerprint, ownerToken, saturatedNanos(lease), saturatedNanos(ttl));
    records.compute(keyHash, claim);
    return claim.result;
  }

  /** The claim rules of {@link IdempotencyStore#claim}, applied to one key's current entry. */
  private final class Claim implements BiFunction<String, Entry, Entry> {
    final String fingerprint;
    final String owner;
    final long lease;
    final long ttl;
    ClaimResult result;

    Claim(String fingerprint, String owner, long lease, long ttl) {
      this.fingerprint = fingerprint;
      this.owner = owner;
      this.lease = lease;
      this.ttl = ttl;
    }

    @Override
    public Entry apply(String key, Entry current) {
      long now = clock.nanoTime();
      if (current == null || !current.isLive(now)) {
        result = ClaimResult.claimed(1, false);
        return new Entry(fingerprint, owner, 1, now + lease, now + ttl, null);
      }
      if (!current.fingerprint.equals(fingerprint)) {
        result = ClaimResult.fingerprintMismatch();
        return current;
      }
      if (!current.isInProgress()) {
        result = ClaimResult.completed(current.toRecord(now));
        return current;
      }
      long leaseLeft = current.leaseExpiresAt - now;
      if (leaseLeft > 0) {
        result = ClaimResult.inProgress(Duration.ofNanos(leaseLeft));
        return current;
      }
      long fencing = current.fencing + 1;
      result = ClaimResult.claimed(fencing, true);
      return new Entry(fingerprint, owner, fencing, now + lease, now + ttl, null);
    }
  }

  @Override
  public WriteResult complete(String keyHash, String ownerToken, long fencingToken, byte[] result, Duration ttl) {
    StoreArguments.checkComplete(keyHash, ownerToken, fencingToken, result, ttl, maxResultBytes);
    long ttlNanos = saturatedNanos(ttl);
    return write(keyHash, ownerToken, fencingToken, (now, e) ->
        new Entry(e.fingerprint, e.owner, e.fencing, e.leaseExpiresAt, now + ttlNanos, result));
  }

  @Override
  public WriteResult release(String keyHash, String ownerToken, long fencingToken) {
    StoreArguments.checkOwnership(keyHash, ownerToken, fencingToken);
    return write(keyHash, ownerToken, fencingToken, (now, e) -> null);
  }

  @Override
  public WriteResult renew(String keyHash, String ownerToken, long fencingToken, Duration lease) {
    StoreArguments.checkOwnership(keyHash, ownerToken, fencingToken);
    long leaseNanos = saturatedNanos(StoreArguments.requirePositive("lease", lease));
    return write(keyHash, ownerToken, fencingToken, (now, e) -> {
      long leaseExpiresAt = now + leaseNanos;
      long expiresAt = e.expiresAt - leaseExpiresAt < 0 ? leaseExpiresAt : e.expiresAt;
      return new Entry(e.fingerprint, e.owner, e.fencing, leaseExpiresAt, expiresAt, null);
    });
  }

  /** What an owner's write makes of its entry (null removes it), given the store's time. */
  @FunctionalInterface
  private interface Change {
    Entry apply(long now, Entry owned);
  }

  private WriteResult write(String keyHash, String ownerToken, long fencingToken, Change change) {
    Write write = new Write(ownerToken, fencingToken, change);
    records.computeIfPresent(keyHash, write);
    return write.applied ? WriteResult.APPLIED : WriteResult.FENCED;
  }

  /** A conditional write: applies {@code change} only to a live in-progress entry of this owner. */
  private final class Write implements BiFunction<String, Entry, Entry> {
    final String owner;
    final long fencing;
    final Change change;
    boolean applied;

    Write(String owner, long fencing, Change change) {
      this.owner = owner;
      this.fencing = fencing;
      this.change = change;
    }

    @Override
    public Entry apply(String key, Entry current) {
      long now = clock.nanoTime();
      if (!current.isOwnedBy(owner, fencing, now)) {
        return current.isLive(now) ? current : null;
      }
      applied = true;
      return change.apply(now, current);
    }
  }

  @Override
  public Optional<IdempotencyRecord> read(String keyHash) {
    StoreArguments.requireKeyHash(keyHash);
    Entry entry = cache.policy().getIfPresentQuietly(keyHash);
    long now = clock.nanoTime();
    return entry == null || !entry.isLive(now) ? Optional.empty() : Optional.of(entry.toRecord(now));
  }

  @Override
  public boolean delete(String keyHash) {
    StoreArguments.requireKeyHash(keyHash);
    boolean[] live = new boolean[1];
    records.computeIfPresent(keyHash, (key, entry) -> {
      live[0] = entry.isLive(clock.nanoTime());
      return null;
    });
    return live[0];
  }

  /**
   * Lets Caffeine drop the records that have expired ({@code Cache.cleanUp()}). Caffeine also does this as
   * part of ordinary reads and writes, and expired records already count as absent, so calling this is never
   * needed for correctness.
   *
   * @param limit at least 1 (Caffeine's clean-up takes no limit)
   * @return 0: Caffeine does not report how many it dropped
   */
  @Override
  public int purgeExpired(int limit) {
    StoreArguments.requireLimit(limit);
    cache.cleanUp();
    return 0;
  }

  /**
   * Returns the largest result {@link #complete} accepts.
   *
   * @return {@link Builder#maxResultBytes(int)}, 64 KiB by default
   */
  @Override
  public int maxResultBytes() {
    return maxResultBytes;
  }

  /**
   * Tells whether the store still holds an entry for the key, live or expired, without touching it.
   *
   * @param keyHash the key hash
   * @return {@code true} if Caffeine still holds an entry
   */
  public boolean holds(String keyHash) {
    return cache.policy().getIfPresentQuietly(StoreArguments.requireKeyHash(keyHash)) != null;
  }

  /**
   * Returns how many records the store holds, as Caffeine estimates it (expired ones not yet dropped may be
   * counted).
   *
   * @return the estimated number of records
   */
  public long estimatedSize() {
    return cache.estimatedSize();
  }

  @Override
  public String toString() {
    return "CaffeineIdempotencyStore[maximumCompleted=" + maximumCompleted + ", maxResultBytes="
        + maxResultBytes + ", size~" + cache.estimatedSize() + "]";
  }

  private static long saturatedNanos(Duration d) {
    return d.getSeconds() >= Long.MAX_VALUE / 4_000_000_000L ? Long.MAX_VALUE / 4 : d.toNanos();
  }

  /**
   * Builds a {@link CaffeineIdempotencyStore}. Each option may be set once.
   *
   * <pre>{@code
   * CaffeineIdempotencyStore store = CaffeineIdempotencyStore.builder()
   *     .maximumCompleted(50_000)
   *     .maxResultBytes(16 * 1024)
   *     .clock(Clock.system())
   *     .build();
   * }</pre>
   */
  public static final class Builder {
    private Clock clock = Clock.system();
    private long maximumCompleted = DEFAULT_MAXIMUM_COMPLETED;
    private int maxResultBytes = DEFAULT_MAX_RESULT_BYTES;
    private boolean clockSet;
    private boolean maximumCompletedSet;
    private boolean maxResultBytesSet;

    private Builder() {}

    /**
     * Sets the clock that judges leases and expiry. Default {@link Clock#system()}; tests pass a manual
     * clock.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      once(clockSet, "clock", this.clock);
      this.clock = Objects.requireNonNull(clock, "clock");
      clockSet = true;
      return this;
    }

    /**
     * Sets how many completed records the store keeps before it evicts the least useful. Default 10,000.
     * In-progress records do not count and are never evicted for size.
     *
     * @param maximumCompleted at least 1
     * @return this builder
     */
    public Builder maximumCompleted(long maximumCompleted) {
      once(maximumCompletedSet, "maximumCompleted", this.maximumCompleted);
      if (maximumCompleted < 1) {
        throw new IllegalArgumentException("maximumCompleted must be >= 1, was " + maximumCompleted);
      }
      this.maximumCompleted = maximumCompleted;
      maximumCompletedSet = true;
      return this;
    }

    /**
     * Sets the largest result the store accepts. Default 64 KiB.
     *
     * @param maxResultBytes at least 1
     * @return this builder
     */
    public Builder maxResultBytes(int maxResultBytes) {
      once(maxResultBytesSet, "maxResultBytes", this.maxResultBytes);
      if (maxResultBytes < 1) {
        throw new IllegalArgumentException("maxResultBytes must be >= 1, was " + maxResultBytes);
      }
      this.maxResultBytes = maxResultBytes;
      maxResultBytesSet = true;
      return this;
    }

    /**
     * Builds the store.
     *
     * @return a new, empty store
     */
    public CaffeineIdempotencyStore build() {
      return new CaffeineIdempotencyStore(this);
    }

    private static void once(boolean set, String option, Object value) {
      if (set) {
        throw new IllegalStateException(option + " was already set to " + value);
      }
    }
  }
}
