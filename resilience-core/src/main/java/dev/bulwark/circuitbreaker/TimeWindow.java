package dev.bulwark.circuitbreaker;

import dev.bulwark.Clock;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The calls of the last N seconds, in N one-second buckets.
 *
 * <p>Implementation notes. Time is cut into ticks of one second since the window was created; tick
 * {@code t} lives in bucket {@code t mod N}. A {@link Bucket} is tagged with its tick and holds one packed
 * word: {@code SEALED(bit 63) | slow(bits 42-62) | failed(bits 21-41) | calls(bits 0-20)}. Two aggregate
 * words hold (calls, failed) and (calls, slow) for the whole window, as in {@link CountWindow}.
 *
 * <ul>
 *   <li><b>Recording</b> at tick {@code t}: advance the window to {@code t} (below), find the bucket of
 *       {@code t} (replacing an older one), CAS the call into its word unless it is sealed (then look again),
 *       then add the call to the aggregates with one {@code getAndAdd} each and evaluate.</li>
 *   <li><b>Replacing</b> a bucket is a CAS of the array slot from the old bucket object to a new one; the
 *       single winner seals the old word ({@code getAndBitwiseOr}), which freezes its counts, and subtracts
 *       exactly those from the aggregates. A recorder that lost the race to the seal retries on the new
 *       bucket, so no call is subtracted that was not added, and none twice.</li>
 *   <li><b>Advancing</b>: {@link #head} is the latest tick the window was advanced to. The thread that moves
 *       it forward by CAS replaces every bucket whose tick fell out of the window (at most N), so the
 *       aggregates never keep calls older than the window for longer than one concurrent advance.</li>
 * </ul>
 *
 * <p>Harmless races: a call is in its bucket before it is in the aggregates, so a concurrent replacement can
 * make an aggregate field transiently low or negative; such a word is never evaluated. A recorder whose
 * clock reading is older than a bucket's tick records into that newer bucket (its reading was stale by at
 * most the time it took to get here). A bucket counts at most {@link #bucketCap} calls (at least 596,000 per
 * second): calls beyond that in the same second are left out of the rates, which they could not change
 * measurably, so that the aggregates never overflow their 32-bit fields.
 *
 * <p>A bucket object is allocated once per second that sees calls, never per call.
 */
final class TimeWindow extends Window {
  static final long TICK_NANOS = 1_000_000_000L;
  private static final int FIELD_BITS = 21;
  private static final long FIELD_MASK = (1L << FIELD_BITS) - 1;
  private static final long SEALED = 1L << 63;

  private static final VarHandle HEAD;
  private static final VarHandle FAILED_PAIR;
  private static final VarHandle SLOW_PAIR;
  private static final VarHandle WORD;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      HEAD = lookup.findVarHandle(TimeWindow.class, "head", long.class);
      FAILED_PAIR = lookup.findVarHandle(TimeWindow.class, "failedPair", long.class);
      SLOW_PAIR = lookup.findVarHandle(TimeWindow.class, "slowPair", long.class);
      WORD = lookup.findVarHandle(Bucket.class, "word", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final Clock clock;
  private final long origin;
  private final int size;
  private final int bucketCap;
  private final int maxCalls;
  private final AtomicReferenceArray<Bucket> buckets;
  /** The latest tick the window was advanced to. */
  private volatile long head;
  @SuppressWarnings("unused") // through FAILED_PAIR
  private volatile long failedPair;
  @SuppressWarnings("unused") // through SLOW_PAIR
  private volatile long slowPair;

  TimeWindow(CircuitBreakerConfig config, Clock clock) {
    super(config);
    this.clock = clock;
    this.origin = clock.nanoTime();
    this.size = config.slidingWindowSize();
    this.bucketCap = (int) Math.min(FIELD_MASK, Integer.MAX_VALUE / (size + 1));
    this.maxCalls = bucketCap * size;
    this.buckets = new AtomicReferenceArray<>(size);
    for (int i = 0; i < size; i++) {
      buckets.set(i, new Bucket(i - size)); // ticks before the start: out of any window, empty
    }
  }

  /** One second of calls, tagged with its tick. */
  static final class Bucket {
    final long tick;
    @SuppressWarnings("unused") // through WORD
    volatile long word;

    Bucket(long tick) {
      this.tick = tick;
    }
  }

  long tick(long now) {
    return Math.max(0, Math.floorDiv(now - origin, TICK_NANOS));
  }

  @Override
  boolean record(boolean failure, boolean slow) {
    long tick = tick(clock.nanoTime());
    advance(tick);
    boolean countSlow = slow && slowEnabled;
    long add = 1 | (failure ? 1L << FIELD_BITS : 0) | (countSlow ? 1L << (2 * FIELD_BITS) : 0);
    int index = (int) (tick % size);
    Bucket bucket = buckets.get(index);
    while (true) {
      if (bucket.tick < tick) {
        bucket = replace(index, bucket, tick);
        continue;
      }
      long word = (long) WORD.getVolatile(bucket);
      if ((word & SEALED) != 0) {
        bucket = buckets.get(index);
        continue;
      }
      if ((word & FIELD_MASK) >= bucketCap) {
        return false; // saturated second: left out of the rates
      }
      if (WORD.compareAndSet(bucket, word, word + add)) {
        break;
      }
    }
    long delta = pair(1, failure ? 1 : 0);
    long pair = (long) FAILED_PAIR.getAndAdd(this, delta) + delta;
    boolean trip = exceeds(calls(pair), bad(pair), maxCalls, failureThreshold);
    if (slowEnabled) {
      delta = pair(1, countSlow ? 1 : 0);
      pair = (long) SLOW_PAIR.getAndAdd(this, delta) + delta;
      trip |= exceeds(calls(pair), bad(pair), maxCalls, slowThreshold);
    }
    return trip;
  }

  /** Replaces {@code old} at {@code index} by an empty bucket of {@code tick}; returns the bucket now there. */
  private Bucket replace(int index, Bucket old, long tick) {
    Bucket fresh = new Bucket(tick);
    if (buckets.compareAndSet(index, old, fresh)) {
      retire(old);
      return fresh;
    }
    return buckets.get(index);
  }

  /** Seals a bucket that was just replaced (by its single replacer) and removes its calls from the aggregates. */
  private void retire(Bucket old) {
    long word = (long) WORD.getAndBitwiseOr(old, SEALED);
    int calls = (int) (word & FIELD_MASK);
    if (calls == 0) {
      return;
    }
    int failed = (int) ((word >>> FIELD_BITS) & FIELD_MASK);
    int slow = (int) ((word >>> (2 * FIELD_BITS)) & FIELD_MASK);
    FAILED_PAIR.getAndAdd(this, -pair(calls, failed));
    if (slowEnabled) {
      SLOW_PAIR.getAndAdd(this, -pair(calls, slow));
    }
  }

  /** Moves the window forward to {@code tick}, retiring every bucket that fell out of it. */
  private void advance(long tick) {
    long from = head;
    if (tick <= from || !HEAD.compareAndSet(this, from, tick)) {
      return; // up to date, or another thread advances
    }
    for (long t = Math.max(from + 1, tick - size + 1); t <= tick; t++) {
      int index = (int) (t % size);
      Bucket bucket = buckets.get(index);
      while (bucket.tick < t) {
        bucket = replace(index, bucket, t);
      }
    }
  }

  @Override
  Counts counts() {
    long now = tick(clock.nanoTime());
    long calls = 0;
    long failed = 0;
    long slow = 0;
    for (int i = 0; i < size; i++) {
      Bucket bucket = buckets.get(i);
      if (bucket.tick > now - size) {
        long word = (long) WORD.getVolatile(bucket);
        calls += word & FIELD_MASK;
        failed += (word >>> FIELD_BITS) & FIELD_MASK;
        slow += (word >>> (2 * FIELD_BITS)) & FIELD_MASK;
      }
    }
    return new Counts((int) calls, (int) failed, (int) slow, minimumCalls);
  }

  @Override
  int[] rawAggregates() {
    long f = (long) FAILED_PAIR.getVolatile(this);
    long s = (long) SLOW_PAIR.getVolatile(this);
    return new int[] {calls(f), bad(f), calls(s), bad(s)};
  }

  @Override
  int[] recount() {
    Counts counts = counts();
    return new int[] {counts.calls, counts.failed, counts.slow};
  }
}
