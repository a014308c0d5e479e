package dev.bulwark.idempotency;

import dev.bulwark.Clock;
import dev.bulwark.internal.Check;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * An {@link IdempotencyStore} in this process's memory: bounded, expiring, safe under concurrency, with no
 * dependency. Right for a single instance, for tests, and as the default of {@link Idempotency}; a service
 * with several instances needs a shared store (JDBC, Redis) so that a retry reaching another instance still
 * finds the record.
 *
 * <p>At most {@link Builder#maxEntries(int)} records are held, live or expired. When a claim of a new key
 * finds the store full, expired records are purged first; if it is still full, the claim fails with an
 * {@link IdempotencyStoreException}, which the executor treats as "store unavailable" (fail closed by
 * default): records are never evicted while live, because evicting one would silently allow a second
 * execution. Memory is bounded by {@code maxEntries} times {@link Builder#maxResultBytes(int)}.
 *
 * <pre>{@code
 * InMemoryIdempotencyStore store = InMemoryIdempotencyStore.builder()
 *     .maxEntries(50_000)
 *     .maxResultBytes(16 * 1024)
 *     .build();
 * Idempotency orders = Idempotency.builder("orders").store(store).build();
 * scheduler.scheduleAtFixedRate(() -> store.purgeExpired(10_000), 1, 1, TimeUnit.MINUTES);
 * }</pre>
 */
public final class InMemoryIdempotencyStore implements IdempotencyStore {
  /*
   * Implementation notes.
   *
   * Every operation on one key runs inside ConcurrentHashMap.compute for that key, which applies its function
   * exactly once, atomically with respect to every other compute/remove of the same key (the JDK's bin-level
   * locking; our code holds no lock of its own). Entries are immutable: an operation replaces the entry, so
   * a reader that got an entry from get() sees a consistent snapshot. The store's time is read inside the
   * function, so two operations on one key see non-decreasing times in the order they take effect.
   *
   * Reads go through computeIfPresent too, not get(): a removal gives its slot back inside its compute
   * function, just before the map unlinks the entry, so a lock-free get() could still see an entry whose
   * removal has already taken effect for the capacity count. Under the key's lock, every observer of a key
   * sees each operation on it entirely or not at all; Lincheck checks this (InMemoryIdempotencyStoreLincheckTest
   * found the earlier version, which counted a delete after the removal, refusing a claim as "full").
   *
   * Capacity: `size` counts the records. A new key is inserted only after a successful CAS reservation of one
   * slot inside its compute function; every removal (release, delete, purge) gives the slot back inside its
   * compute function. Replacing an entry (takeover, completion, reuse of an expired entry) keeps its slot. So
   * `size` never exceeds maxEntries; the map itself may hold one more entry per removal in flight, for the
   * instant between the slot's return and the unlinking.
   *
   * Functions passed to compute may record what they saw in the per-call object (Claim, Write) that is the
   * function; they are applied once, so that is safe, and it saves allocating a result holder.
   */

  private static final int DEFAULT_MAX_ENTRIES = 10_000;
  private static final int DEFAULT_MAX_RESULT_BYTES = 64 * 1024;

  private final Clock clock;
  private final int maxEntries;
  private final int maxResultBytes;
  private final ConcurrentHashMap<String, Entry> records;
  private final AtomicInteger size = new AtomicInteger();
  private final AtomicBoolean purging = new AtomicBoolean();

  private InMemoryIdempotencyStore(Builder builder) {
    this.clock = builder.clock;
    this.maxEntries = builder.maxEntries;
    this.maxResultBytes = builder.maxResultBytes;
    this.records = new ConcurrentHashMap<>(Math.min(maxEntries, 1024));
  }

  /**
   * Returns a store with the defaults: {@value #DEFAULT_MAX_ENTRIES} records of at most 64 KiB, system clock.
   *
   * @return a new, empty store
   */
  public static InMemoryIdempotencyStore create() {
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

  /** A record: in progress while {@code result} is null. Immutable. */
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
      Duration ttl = Duration.ofNanos(expiresAt - now);
      // the fields were validated when the entry was written
      if (result != null) {
        return IdempotencyRecord.trustedCompleted(fingerprint, owner, fencing, result, ttl);
      }
      return IdempotencyRecord.trustedInProgress(
          fingerprint, owner, fencing, Duration.ofNanos(Math.max(0, leaseExpiresAt - now)), ttl);
    }
  }

  @Override
  public ClaimResult claim(String keyHash, String fingerprint, String ownerToken, Duration lease, Duration ttl) {
    StoreArguments.checkClaim(keyHash, fingerprint, ownerToken, lease, ttl);
    Claim claim = new Claim(fingerprint, ownerToken, Check.saturatedNanos(lease), Check.saturatedNanos(ttl));
    records.compute(keyHash, claim);
    if (claim.full) {
      // one thread at a time scans for expired records; the others just try again, so a store full of
      // live records costs each refused claim one compute, not one scan of the whole map
      if (purging.compareAndSet(false, true)) {
        try {
          purgeExpired(Math.max(16, maxEntries / 8));
        } finally {
          purging.set(false);
        }
      }
      claim.full = false;
      records.compute(keyHash, claim);
      if (claim.full) {
        throw new IdempotencyStoreException("the in-memory idempotency store is full: it holds maxEntries = "
            + maxEntries + " live records; raise maxEntries or shorten the ttl", null);
      }
    }
    return claim.result;
  }

  /** The claim's compute function; records its answer in {@link #result}. Applied once per compute. */
  private final class Claim implements BiFunction<String, Entry, Entry> {
    final String fingerprint;
    final String owner;
    final long leaseNanos;
    final long ttlNanos;
    ClaimResult result;
    boolean full;

    Claim(String fingerprint, String owner, long leaseNanos, long ttlNanos) {
      this.fingerprint = fingerprint;
      this.owner = owner;
      this.leaseNanos = leaseNanos;
      this.ttlNanos = ttlNanos;
    }

    @Override
    public Entry apply(String key, Entry old) {
      long now = clock.nanoTime();
      if (old == null || !old.isLive(now)) {
        if (old == null && !reserveSlot()) {
          full = true;
          return null;
        }
        long fencing = old == null ? 1 : old.fencing + 1; // continue an expired record's counter
        result = ClaimResult.claimed(fencing, false);
        return new Entry(fingerprint, owner, fencing, deadline(now, leaseNanos), deadline(now, ttlNanos), null);
      }
      if (!old.fingerprint.equals(fingerprint)) {
        result = ClaimResult.fingerprintMismatch();
        return old;
      }
      if (!old.isInProgress()) {
        result = ClaimResult.completed(old.toRecord(now));
        return old;
      }
      long leaseLeft = old.leaseExpiresAt - now;
      if (leaseLeft > 0) {
        result = ClaimResult.inProgress(Duration.ofNanos(leaseLeft));
        return old;
      }
      long fencing = old.fencing + 1;
      result = ClaimResult.claimed(fencing, true);
      return new Entry(fingerprint, owner, fencing, deadline(now, leaseNanos), deadline(now, ttlNanos), null);
    }
  }

  @Override
  public WriteResult complete(String keyHash, String ownerToken, long fencingToken, byte[] result, Duration ttl) {
    StoreArguments.checkComplete(keyHash, ownerToken, fencingToken, result, ttl, maxResultBytes);
    long ttlNanos = Check.saturatedNanos(ttl);
    Write write = new Write(ownerToken, fencingToken) {
      @Override
      Entry update(Entry owned, long now) {
        return new Entry(owned.fingerprint, owned.owner, owned.fencing, owned.leaseExpiresAt,
            deadline(now, ttlNanos), result);
      }
    };
    records.compute(keyHash, write);
    return write.outcome;
  }

  @Override
  public WriteResult release(String keyHash, String ownerToken, long fencingToken) {
    StoreArguments.checkOwnership(keyHash, ownerToken, fencingToken);
    Write write = new Write(ownerToken, fencingToken) {
      @Override
      Entry update(Entry owned, long now) {
        return null;
      }
    };
    records.compute(keyHash, write);
    return write.outcome;
  }

  @Override
  public WriteResult renew(String keyHash, String ownerToken, long fencingToken, Duration lease) {
    StoreArguments.checkOwnership(keyHash, ownerToken, fencingToken);
    long leaseNanos = Check.saturatedNanos(StoreArguments.requirePositive("lease", lease));
    Write write = new Write(ownerToken, fencingToken) {
      @Override
      Entry update(Entry owned, long now) {
        long leaseExpiresAt = deadline(now, leaseNanos);
        long expiresAt = leaseExpiresAt - owned.expiresAt > 0 ? leaseExpiresAt : owned.expiresAt;
        return new Entry(owned.fingerprint, owned.owner, owned.fencing, leaseExpiresAt, expiresAt, null);
      }
    };
    records.compute(keyHash, write);
    return write.outcome;
  }

  /** A conditional write's compute function: applies {@link #update} only for the owner. Applied once. */
  private abstract class Write implements BiFunction<String, Entry, Entry> {
    final String owner;
    final long fencing;
    WriteResult outcome = WriteResult.FENCED;

    Write(String owner, long fencing) {
      this.owner = owner;
      this.fencing = fencing;
    }

    abstract Entry update(Entry owned, long now);

    @Override
    public final Entry apply(String key, Entry old) {
      if (old == null) {
        return null;
      }
      long now = clock.nanoTime();
      if (!old.isOwnedBy(owner, fencing, now)) {
        return old;
      }
      outcome = WriteResult.APPLIED;
      Entry updated = update(old, now);
      if (updated == null) {
        size.decrementAndGet();
      }
      return updated;
    }
  }

  @Override
  public Optional<IdempotencyRecord> read(String keyHash) {
    StoreArguments.requireKeyHash(keyHash);
    Read read = new Read();
    records.computeIfPresent(keyHash, read); // under the key's lock: never sees a removal half done
    return Optional.ofNullable(read.record);
  }

  /** A read's compute function: snapshots the live entry, changes nothing. Applied at most once. */
  private final class Read implements BiFunction<String, Entry, Entry> {
    IdempotencyRecord record;

    @Override
    public Entry apply(String key, Entry entry) {
      long now = clock.nanoTime();
      if (entry.isLive(now)) {
        record = entry.toRecord(now);
      }
      return entry;
    }
  }

  @Override
  public boolean delete(String keyHash) {
    StoreArguments.requireKeyHash(keyHash);
    Delete delete = new Delete();
    records.computeIfPresent(keyHash, delete);
    return delete.removedLive;
  }

  /** A delete's compute function: removes the entry and gives its slot back. Applied at most once. */
  private final class Delete implements BiFunction<String, Entry, Entry> {
    boolean removedLive;

    @Override
    public Entry apply(String key, Entry entry) {
      removedLive = entry.isLive(clock.nanoTime());
      size.decrementAndGet();
      return null;
    }
  }

  @Override
  public int purgeExpired(int limit) {
    StoreArguments.requireLimit(limit);
    Purge purge = new Purge();
    Iterator<Map.Entry<String, Entry>> iterator = records.entrySet().iterator();
    while (purge.purged < limit && iterator.hasNext()) {
      Map.Entry<String, Entry> mapping = iterator.next();
      if (!mapping.getValue().isLive(clock.nanoTime())) {
        // decided again under the key's lock: an entry claimed anew meanwhile is live and stays
        records.computeIfPresent(mapping.getKey(), purge);
      }
    }
    return purge.purged;
  }

  /** Purge's compute function: removes an expired entry and gives its slot back. */
  private final class Purge implements BiFunction<String, Entry, Entry> {
    int purged;

    @Override
    public Entry apply(String key, Entry entry) {
      if (entry.isLive(clock.nanoTime())) {
        return entry;
      }
      size.decrementAndGet();
      purged++;
      return null;
    }
  }

  @Override
  public int maxResultBytes() {
    return maxResultBytes;
  }

  /**
   * Returns how many records the store holds, live or expired and not yet purged.
   *
   * @return the number of records, at most {@link #maxEntries()}
   */
  public int size() {
    return size.get();
  }

  /**
   * Returns the most records the store holds.
   *
   * @return the capacity
   */
  public int maxEntries() {
    return maxEntries;
  }

  /** Whether the map holds an entry for the key, live or expired: for tests of purging. Not linearizable. */
  boolean holds(String keyHash) {
    return records.containsKey(keyHash);
  }

  private boolean reserveSlot() {
    for (int current = size.get(); current < maxEntries; current = size.get()) {
      if (size.compareAndSet(current, current + 1)) {
        return true;
      }
    }
    return false;
  }

  /** {@code now + nanos}, saturating so a huge ttl never wraps into the past. */
  private static long deadline(long now, long nanos) {
    long at = now + nanos;
    return ((now ^ at) & (nanos ^ at)) < 0 ? Long.MAX_VALUE : at;
  }

  @Override
  public String toString() {
    return "InMemoryIdempotencyStore[size=" + size.get() + ", maxEntries=" + maxEntries
        + ", maxResultBytes=" + maxResultBytes + "]";
  }

  /** Builds an {@link InMemoryIdempotencyStore}. */
  public static final class Builder {
    private Clock clock = Clock.system();
    private int maxEntries = DEFAULT_MAX_ENTRIES;
    private int maxResultBytes = DEFAULT_MAX_RESULT_BYTES;

    private Builder() {}

    /**
     * The clock that decides leases and expiry. Default: {@link Clock#system()}.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The most records held, live or expired. Default: 10,000.
     *
     * @param maxEntries at least 1
     * @return this builder
     */
    public Builder maxEntries(int maxEntries) {
      this.maxEntries = Check.positive("maxEntries", maxEntries);
      return this;
    }

    /**
     * The largest encoded result accepted. Default: 64 KiB.
     *
     * @param maxResultBytes at least 1
     * @return this builder
     */
    public Builder maxResultBytes(int maxResultBytes) {
      this.maxResultBytes = Check.positive("maxResultBytes", maxResultBytes);
      return this;
    }

    /**
     * Builds the store.
     *
     * @return a new, empty store
     */
    public InMemoryIdempotencyStore build() {
      return new InMemoryIdempotencyStore(this);
    }
  }
}
