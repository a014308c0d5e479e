package dev.bulwark.circuitbreaker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The last N calls.
 *
 * <p>Implementation notes. A ring of N one-byte slots, each holding the outcome of one call
 * ({@link #PRESENT}, {@link #FAILED}, {@link #SLOW} bits; 0 = empty), and two aggregate words holding
 * (calls, failed) and (calls, slow) as signed 32-bit pairs (see {@link Window#pair}). Recording a call takes
 * a ring position with {@code getAndIncrement} on the cursor, swaps its code into the slot with
 * {@code getAndSet} and adds the difference between the new and the evicted code to the aggregates with one
 * {@code getAndAdd} each; when the difference is zero (a success replacing a success, the common case of a
 * full healthy window) the aggregate is only read. When the slot already holds the new code, the swap is skipped
 * too: a write of the value already there, linearized at the read (a racing swap of the same slot is then
 * ordered after it, and its difference is exact). So a healthy window costs one atomic update per call, the
 * cursor's. No lock, no allocation.
 *
 * <p>Invariant at quiescence: each aggregate equals the sum over the slots, because every swap adds exactly
 * (new - old) of the value it displaced, whatever the interleaving (the differences telescope). Harmless
 * races: (1) between a thread's swap and its {@code getAndAdd} the aggregate lags by that one call; (2) when
 * the cursor laps the ring while a thread is between taking its position and swapping (N other calls in
 * between), two threads swap the same slot out of order and the slot keeps the older call; in both cases a
 * field may be transiently off, even negative or above N, and such a word is never evaluated (see
 * {@link Window#exceeds}): the next recorded call evaluates a consistent one. The slow aggregate is kept only
 * when slow calls can happen at all (the classifier has a slow-call duration).
 *
 * <p>The cursor is an int: after 2^32 calls its wrap skips a few ring positions once, which changes which
 * slot the next calls evict, never the aggregates' consistency.
 */
final class CountWindow extends Window {
  static final int PRESENT = 1;
  static final int FAILED = 2;
  static final int SLOW = 4;

  private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(byte[].class);
  private static final VarHandle CURSOR;
  private static final VarHandle FAILED_PAIR;
  private static final VarHandle SLOW_PAIR;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      CURSOR = lookup.findVarHandle(CountWindow.class, "cursor", int.class);
      FAILED_PAIR = lookup.findVarHandle(CountWindow.class, "failedPair", long.class);
      SLOW_PAIR = lookup.findVarHandle(CountWindow.class, "slowPair", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final byte[] slots;
  private final int size;
  @SuppressWarnings("unused") // through CURSOR
  private volatile int cursor;
  /** (calls, failed) as a signed pair; see {@link Window#pair}. */
  @SuppressWarnings("unused") // through FAILED_PAIR
  private volatile long failedPair;
  /** (calls, slow) as a signed pair; only maintained when {@link #slowEnabled}. */
  @SuppressWarnings("unused") // through SLOW_PAIR
  private volatile long slowPair;

  CountWindow(CircuitBreakerConfig config) {
    super(config);
    this.size = config.slidingWindowSize();
    this.slots = new byte[size];
  }

  @Override
  boolean record(boolean failure, boolean slow) {
    int code = PRESENT | (failure ? FAILED : 0) | (slow && slowEnabled ? SLOW : 0);
    int index = Integer.remainderUnsigned((int) CURSOR.getAndAdd(this, 1), size);
    int old = (byte) SLOTS.getVolatile(slots, index);
    if (old != code) {
      old = (byte) SLOTS.getAndSet(slots, index, (byte) code);
    }
    long delta = delta(old, code, FAILED);
    long pair = delta == 0 ? (long) FAILED_PAIR.getVolatile(this) : (long) FAILED_PAIR.getAndAdd(this, delta) + delta;
    boolean trip = exceeds(calls(pair), bad(pair), size, failureThreshold);
    if (slowEnabled) {
      delta = delta(old, code, SLOW);
      pair = delta == 0 ? (long) SLOW_PAIR.getVolatile(this) : (long) SLOW_PAIR.getAndAdd(this, delta) + delta;
      trip |= exceeds(calls(pair), bad(pair), size, slowThreshold);
    }
    return trip;
  }

  private static long delta(int old, int code, int bit) {
    int calls = (code & PRESENT) - (old & PRESENT);
    int bad = ((code & bit) != 0 ? 1 : 0) - ((old & bit) != 0 ? 1 : 0);
    return pair(calls, bad);
  }

  @Override
  Counts counts() {
    long f = (long) FAILED_PAIR.getVolatile(this);
    int slow = slowEnabled ? bad((long) SLOW_PAIR.getVolatile(this)) : 0;
    return new Counts(Math.min(calls(f), size), bad(f), slow, minimumCalls);
  }

  @Override
  int[] rawAggregates() {
    long f = (long) FAILED_PAIR.getVolatile(this);
    long s = (long) SLOW_PAIR.getVolatile(this);
    return new int[] {calls(f), bad(f), calls(s), bad(s)};
  }

  @Override
  int[] recount() {
    int calls = 0;
    int failed = 0;
    int slow = 0;
    for (int i = 0; i < size; i++) {
      int code = (byte) SLOTS.getVolatile(slots, i);
      calls += code & PRESENT;
      failed += (code & FAILED) != 0 ? 1 : 0;
      slow += (code & SLOW) != 0 ? 1 : 0;
    }
    return new int[] {calls, failed, slow};
  }
}
