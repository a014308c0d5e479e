package dev.bulwark.limit;

import dev.bulwark.Clock;
import dev.bulwark.Outcome;
import dev.bulwark.OutcomeClassifier;
import dev.bulwark.internal.Listeners;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.LongAdder;

/*
 * Implementation notes.
 *
 * The enforcement half of a concurrency limiter, shared by ConcurrencyLimiter and LoadShedder.
 *
 * Slots. Every admitted call holds one slot of a table sized maxLimit; the slot records when the call was
 * admitted (so the limiter measures round-trip times itself, from its own clock) and a generation number.
 * Free slots form a Treiber stack threaded through next[]. The in-flight count, the top of the free stack and
 * an ABA tag share one 64-bit word, so admitting a call is one CAS that both checks the limit and pops a
 * slot, and releasing is one CAS that pushes it back:
 *
 *   state: bits 0..20  in-flight count (0..2^21-1)
 *          bits 21..41 index of the top free slot, NIL (all ones) when the stack is empty
 *          bits 42..63 tag, incremented by every successful CAS (the classic tagged-pointer ABA guard; a
 *                      thread would have to stall across exactly 2^22 pushes and pops for a stale pop to
 *                      succeed, and even then only the free list's order would suffer)
 *
 * A call is admitted only if in-flight < admissionLimit at the instant of its CAS, and admissionLimit never
 * exceeds the published limit, so no interleaving ever has more calls in flight than the limit they were
 * admitted under (Netflix's partitioned limiter checks, then increments: concurrency-limits #233). When the
 * limit is lowered, calls already in flight finish; no new call is admitted until in-flight is below it.
 *
 * Exactly once. gen[slot] is odd while the slot is held and even while free. Admission sets it to the next
 * odd value with a release store (we own the slot after the pop CAS, so nobody else writes it); the token
 * handed out is (gen << 21 | slot). Completion CASes gen from that odd value to the next even one: the first
 * completion of a token wins, every later one (or one of a token whose slot has since been reused) fails the
 * CAS and does nothing. Tokens keep the low 42 bits of gen; a stale token could only match again after 2^41
 * reuses of its slot. The winner then returns the slot with the release CAS on the state word, which is the
 * completion's linearization point for everyone else. The two CASes are on different words, so a losing
 * (duplicate) completion racing with the winner may return before the winner has freed the slot: a call
 * admitted right after it can still find the limit full. Nothing is ever freed twice, and a permit's owner,
 * who completes it once, sees a linearizable limiter (checked by LimiterCoreLincheckTest); closing that
 * window for duplicates would need a two-word CAS on the call path.
 *
 * Timing a sample. Two clock readings cost more than everything else on the call path (System.nanoTime is
 * 20 to 60 ns depending on the machine), and a window's percentile needs a few hundred round trips, not
 * millions. So once a window has seen many successful calls, the next ones time about one use in 2^k of each
 * slot (k = sampleShift, chosen so a window still gets about TARGET_SAMPLES timed calls, at most
 * MAX_SAMPLE_SHIFT); an untimed call reads no clock at admission or completion, and started[] holds UNTIMED.
 * Which uses are timed is decided by a Fibonacci hash of the slot's use count against a threshold, not by
 * "every 2^k-th use": a workload that alternates two kinds of call would alias with a fixed period and time
 * only one kind; the hash sequence is equidistributed and has no short period.
 * Counts stay exact: successes[slot] counts the successful calls of each slot, written only by the call
 * holding the slot (the winner of the generation CAS, before the release CAS that publishes the slot to its
 * next holder), so it is a single-writer counter with no atomic instruction; the window closer sums it. Only
 * timed completions check whether the window has ended, so a window may run a few calls long. Every call is
 * timed while a probe runs (its eligibility test needs admission times) and whenever the classifier has a
 * slowCallDuration (a slow call is a drop, which needs every call's time).
 *
 * Permits. The token is all the state a call needs, so the public Permit is an immutable two-field object
 * (SlotPermit) that escape analysis removes when acquire and complete are inlined into one method, and the
 * decorator path (call, run, get) uses the bare token and allocates nothing at all.
 *
 * Windows. Completions record into a cumulative LatencyHistogram and a cumulative drop counter. The thread
 * whose completion first finds now >= windowEnd CASes windowEnd to CLOSING; it alone diffs the counters
 * against the previous snapshot, builds the WindowSample, runs the controller and publishes the new limit,
 * then stores the next windowEnd. The CAS and that store order consecutive closes (happens-before through
 * the volatile windowEnd), so the controller keeps plain state. Completions never wait for a close: they
 * see CLOSING and move on. A window with fewer than minWindowSamples completions is extended instead. While
 * the controller probes the no-load round-trip time (sampleFrom set), a window closes as soon as it holds
 * minWindowSamples calls admitted since the probe began: a probe needs samples, not time, and every moment
 * at probe concurrency sheds work.
 *
 * Harmless races: the peak in-flight count is a racy maximum (a lost update only lowers the peak); a sample
 * recorded while a window closes lands in that window or the next; rejected counts are a LongAdder, summed
 * without a snapshot.
 */
final class LimiterCore extends LimiterCorePadAfter {
  static final int SUCCESS = 0;
  static final int DROPPED = 1;
  static final int IGNORED = 2;

  private static final System.Logger LOGGER = System.getLogger("dev.bulwark");

  static final int SLOT_BITS = 21;
  static final long SLOT_MASK = (1L << SLOT_BITS) - 1;
  static final int NIL = (int) SLOT_MASK;
  private static final int SLOT_STRIDE = 16; // 16 ints or longs span at least one 64-byte cache line
  private static final long UNTIMED = Long.MIN_VALUE;
  private static final long GOLDEN = 0x9E3779B97F4A7C15L; // 2^64 / phi, odd: multiplication permutes longs
  static final int TARGET_SAMPLES = 256;
  static final int MAX_SAMPLE_SHIFT = 8;
  private static final int TOP_SHIFT = SLOT_BITS;
  private static final int TAG_SHIFT = 2 * SLOT_BITS;
  private static final long GEN_MASK = (1L << (64 - SLOT_BITS - 1)) - 1;
  private static final long CLOSING = Long.MIN_VALUE;

  private static final VarHandle STATE;
  private static final VarHandle PEAK;
  private static final VarHandle DROPS;
  private static final VarHandle WINDOW_END;
  private static final VarHandle PROBE_SAMPLES;
  private static final VarHandle GEN = MethodHandles.arrayElementVarHandle(long[].class);
  private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      STATE = lookup.findVarHandle(LimiterCoreState.class, "state", long.class);
      PEAK = lookup.findVarHandle(LimiterCore.class, "peak", int.class);
      DROPS = lookup.findVarHandle(LimiterCore.class, "drops", long.class);
      WINDOW_END = lookup.findVarHandle(LimiterCore.class, "windowEnd", long.class);
      PROBE_SAMPLES = lookup.findVarHandle(LimiterCore.class, "probeSamples", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  final String name;
  final Clock clock;
  private final LimitAlgorithm algorithm;
  private final LimitAlgorithm.Controller controller;
  private final OutcomeClassifier classifier;
  private final long slowNanos;
  private final long windowNanos;
  private final int minWindowSamples;
  private final Listeners<LimiterEvent> listeners;
  private final WaitQueue queue;
  private final boolean timeEveryCall;

  private final int[] next;
  private final long[] started;
  private final long[] gen;
  private final long[] successes;
  private final LatencyHistogram histogram = new LatencyHistogram();

  private volatile int limit;
  @SuppressWarnings("unused") // accessed through PEAK
  private int peak;
  @SuppressWarnings("unused") // accessed through DROPS
  private volatile long drops;
  @SuppressWarnings("unused") // accessed through WINDOW_END
  private volatile long windowEnd;
  private volatile long sampleFrom = Long.MIN_VALUE;
  private volatile int sampleShift;
  private volatile long sampleThreshold = Long.MAX_VALUE; // a use is timed if its hash >>> 1 is at most this
  @SuppressWarnings("unused") // accessed through PROBE_SAMPLES
  private volatile long probeSamples;
  private volatile long rttEstimate = -1;
  private volatile long noLoadRtt = -1;
  private volatile WindowSample lastWindow;

  private final LongAdder rejected = new LongAdder();
  private final LongAdder ignored = new LongAdder();
  private final LongAdder excludedSuccesses = new LongAdder(); // admitted before a probe: not in any window
  private final LongAdder excludedDrops = new LongAdder();
  private final LongAdder windows = new LongAdder();

  // owned by the thread closing a window (serialised through windowEnd)
  private long windowStart;
  private long[] previousCounts = new long[LatencyHistogram.BUCKETS];
  private long[] scratch = new long[LatencyHistogram.BUCKETS];
  private long previousTotal;
  private long previousSuccesses;
  private long previousDrops;
  private long previousRejected;
  private boolean failedBefore;

  LimiterCore(String name, ConcurrencyLimiterConfig config, Clock clock,
      java.util.random.RandomGenerator random, Listeners<LimiterEvent> listeners, WaitQueue queue) {
    this.name = name;
    this.clock = clock;
    this.algorithm = config.algorithm();
    this.controller = algorithm.newController(random);
    this.classifier = config.classifier();
    this.slowNanos = classifier.slowCallDurationNanos();
    this.windowNanos = config.window().toNanos();
    this.minWindowSamples = config.minWindowSamples();
    this.listeners = listeners;
    this.queue = queue;
    this.timeEveryCall = slowNanos != Long.MAX_VALUE;
    int slots = algorithm.maxLimit();
    this.next = new int[slots];
    this.started = new long[slots];
    this.gen = new long[slots];
    this.successes = new long[slots];
    // thread the free list with a stride of SLOT_STRIDE: slots popped one after another (so held at the same
    // time by different threads) sit on different cache lines of every slot array and in different
    // histogram stripes; LIFO reuse keeps the hot slots at the top of the stack
    int previous = NIL;
    int first = NIL;
    for (int r = 0; r < Math.min(SLOT_STRIDE, slots); r++) {
      for (int i = r; i < slots; i += SLOT_STRIDE) {
        if (previous == NIL) {
          first = i;
        } else {
          next[previous] = i;
        }
        previous = i;
      }
    }
    next[previous] = NIL;
    this.limit = algorithm.initialLimit();
    STATE.setRelease(this, pack(0, first, 0));
    long now = clock.nanoTime();
    this.windowStart = now;
    WINDOW_END.setRelease(this, now + windowNanos);
  }

  private static long pack(int inflight, int top, long tag) {
    return inflight | ((long) top << TOP_SHIFT) | (tag << TAG_SHIFT);
  }

  static int inflightOf(long state) {
    return (int) (state & SLOT_MASK);
  }

  private static int topOf(long state) {
    return (int) ((state >>> TOP_SHIFT) & SLOT_MASK);
  }

  private static long tagOf(long state) {
    return state >>> TAG_SHIFT;
  }

  static int slotOf(long token) {
    return (int) (token & SLOT_MASK);
  }

  // ---------------------------------------------------------------- admission

  int limit() {
    return limit;
  }

  int inflight() {
    return inflightOf((long) STATE.getVolatile(this));
  }

  /** Admits a call if fewer than the current limit are in flight; returns its token, or -1. */
  long tryAcquire() {
    return tryAcquire(limit);
  }

  /**
   * Admits a call if fewer than {@code admissionLimit} (at most the current limit) are in flight.
   *
   * @return the call's token, or -1 if refused
   */
  long tryAcquire(int admissionLimit) {
    long w;
    int slot;
    int inflight;
    do {
      w = (long) STATE.getVolatile(this);
      inflight = inflightOf(w);
      slot = topOf(w);
      if (inflight >= admissionLimit || slot == NIL) {
        return -1;
      }
    } while (!STATE.compareAndSet(this, w, pack(inflight + 1, next[slot], tagOf(w) + 1)));
    return admit(slot, inflight + 1);
  }

  /** Marks a slot just popped as held by a new call and returns the call's token. */
  private long admit(int slot, int inflight) {
    long g = gen[slot] + 1; // plain read: the pop's CAS synchronised with the push after the last CAS on it
    GEN.setRelease(gen, slot, g);
    started[slot] = ((g >>> 1) * GOLDEN) >>> 1 <= sampleThreshold ? clock.nanoTime() : UNTIMED;
    if (inflight > (int) PEAK.getOpaque(this)) {
      PEAK.setOpaque(this, inflight);
    }
    return ((g & GEN_MASK) << SLOT_BITS) | slot;
  }

  /** Counts a call refused for lack of capacity. */
  void countRejection() {
    rejected.increment();
  }

  /** Estimated nanoseconds until a call could be admitted: the last window's median round-trip time. */
  long retryAfterNanos() {
    return rttEstimate;
  }

  // ---------------------------------------------------------------- completion

  int outcomeOfResult(Object result) {
    return classifier.classifyResult(result) == Outcome.FAILURE ? DROPPED : SUCCESS;
  }

  int outcomeOfFailure(Throwable failure) {
    Outcome outcome = classifier.classifyFailure(failure);
    return outcome == Outcome.FAILURE ? DROPPED : outcome == Outcome.IGNORED ? IGNORED : SUCCESS;
  }

  /** Tells whether the token is held: admitted and not yet completed. */
  boolean isHeld(long token) {
    int slot = slotOf(token);
    if (token < 0 || slot >= gen.length) {
      return false;
    }
    long g = (long) GEN.getVolatile(gen, slot);
    return (g & 1) == 1 && (g & GEN_MASK) == token >>> SLOT_BITS;
  }

  /**
   * Completes the call of {@code token} once; later completions of the same token do nothing.
   *
   * @return whether this completion was the first
   */
  boolean complete(long token, int outcome) {
    int slot = slotOf(token);
    if (token < 0 || slot >= gen.length) {
      return false;
    }
    long g = (long) GEN.getVolatile(gen, slot);
    if ((g & 1) == 0 || (g & GEN_MASK) != token >>> SLOT_BITS || !GEN.compareAndSet(gen, slot, g, g + 1)) {
      return false;
    }
    long start = started[slot];
    if (start == UNTIMED) {
      recordUntimed(outcome, slot);
      release(slot);
      if (queue != null) {
        queue.afterRelease(this);
      }
      return true;
    }
    long now = clock.nanoTime();
    boolean probeDone = record(outcome, slot, start, now - start);
    release(slot);
    if (queue != null) {
      queue.afterRelease(this);
    }
    long end = (long) WINDOW_END.getVolatile(this);
    if (end != CLOSING && (now - end >= 0 || (probeDone && sampleFrom != Long.MIN_VALUE))) {
      closeWindow(end, now);
    }
    return true;
  }

  /**
   * Records a completion.
   *
   * @return whether a probe is running and has now seen enough calls to be judged, so the window may close
   *     early: a probe needs samples, not time, and every moment at probe concurrency sheds work
   */
  private boolean record(int outcome, int slot, long start, long rtt) {
    if (outcome == IGNORED) {
      ignored.increment();
      return false;
    }
    if (outcome == SUCCESS && rtt >= slowNanos) {
      outcome = DROPPED;
    }
    long from = sampleFrom;
    if (from != Long.MIN_VALUE && start - from < 0) {
      // admitted before a probe lowered the limit: its time says nothing about the probe's concurrency
      (outcome == SUCCESS ? excludedSuccesses : excludedDrops).increment();
      return false;
    }
    if (outcome == SUCCESS) {
      countSuccess(slot);
      histogram.record(rtt, slot / SLOT_STRIDE);
    } else {
      DROPS.getAndAdd(this, 1L);
    }
    return from != Long.MIN_VALUE && (long) PROBE_SAMPLES.getAndAdd(this, 1L) + 1 >= minWindowSamples;
  }

  /** Records a completion whose call was not timed (so it was admitted before any probe now running). */
  private void recordUntimed(int outcome, int slot) {
    boolean probing = sampleFrom != Long.MIN_VALUE;
    if (outcome == IGNORED) {
      ignored.increment();
    } else if (probing) {
      (outcome == SUCCESS ? excludedSuccesses : excludedDrops).increment();
    } else if (outcome == SUCCESS) {
      countSuccess(slot);
    } else {
      DROPS.getAndAdd(this, 1L);
    }
  }

  /** Only the call holding {@code slot} gets here, before it frees the slot: a single writer per element. */
  private void countSuccess(int slot) {
    LONGS.setOpaque(successes, slot, (long) LONGS.getOpaque(successes, slot) + 1);
  }

  private long totalSuccesses() {
    long total = 0;
    for (int i = 0; i < successes.length; i++) {
      total += (long) LONGS.getOpaque(successes, i);
    }
    return total;
  }

  private void release(int slot) {
    long w;
    do {
      w = (long) STATE.getVolatile(this);
      next[slot] = topOf(w);
    } while (!STATE.compareAndSet(this, w, pack(inflightOf(w) - 1, slot, tagOf(w) + 1)));
  }

  /**
   * Frees the slot of a token that was acquired but never used (for a waiter that gave up at the same moment),
   * recording nothing. The caller decides whether to offer the slot to waiters.
   */
  void releaseUnused(long token) {
    int slot = slotOf(token);
    long g = (long) GEN.getVolatile(gen, slot);
    if ((g & 1) == 1 && (g & GEN_MASK) == token >>> SLOT_BITS && GEN.compareAndSet(gen, slot, g, g + 1)) {
      release(slot);
    }
  }

  // ---------------------------------------------------------------- windows

  private void closeWindow(long end, long now) {
    if (!WINDOW_END.compareAndSet(this, end, CLOSING)) {
      return;
    }
    long nextEnd = now + windowNanos;
    int previousLimit = limit;
    int newLimit = previousLimit;
    WindowSample sample = null;
    try {
      long total = histogram.snapshot(scratch);
      long timed = total - previousTotal;
      long successTotal = totalSuccesses();
      long succeeded = successTotal - previousSuccesses;
      long dropped = (long) DROPS.getVolatile(this) - previousDrops;
      if (succeeded + dropped < minWindowSamples) {
        nextEnd = now + Math.max(1, windowNanos / 4); // too few calls to judge: extend the window
        return;
      }
      long[] counts = new long[LatencyHistogram.BUCKETS];
      for (int i = 0; i < counts.length; i++) {
        counts[i] = scratch[i] - previousCounts[i];
      }
      long[] swap = previousCounts;
      previousCounts = scratch;
      scratch = swap;
      previousTotal = total;
      previousSuccesses = successTotal;
      previousDrops += dropped;
      long rejectedTotal = rejected.sum();
      long rejectedInWindow = rejectedTotal - previousRejected;
      previousRejected = rejectedTotal;
      int maxInflight = Math.max((int) PEAK.getOpaque(this), 0);
      PEAK.setOpaque(this, inflight());
      sample = new WindowSample(windowStart, now, counts, timed, succeeded, dropped, rejectedInWindow,
          maxInflight);
      windowStart = now;
      try {
        newLimit = controller.update(sample, previousLimit);
      } catch (RuntimeException | Error e) {
        logControllerFailure(e);
        newLimit = previousLimit;
      }
      newLimit = Math.max(1, Math.min(algorithm.maxLimit(), newLimit));
      long from = controller.sampleCallsStartedFromNanos();
      if (from != Long.MIN_VALUE) {
        PROBE_SAMPLES.setVolatile(this, 0L);
      }
      sampleFrom = from;
      int shift = timeEveryCall || from != Long.MIN_VALUE ? 0 : sampleShiftFor(succeeded);
      sampleShift = shift;
      sampleThreshold = Long.MAX_VALUE >>> shift;
      noLoadRtt = controller.noLoadRttNanos();
      if (timed > 0) {
        rttEstimate = sample.rttNanos(0.5);
      }
      lastWindow = sample;
      limit = newLimit;
      windows.increment();
    } finally {
      WINDOW_END.setVolatile(this, nextEnd);
    }
    // after releasing the window: a slow listener must not hold the next window (or a probe) open. So events
    // of two windows closed in quick succession by different threads may reach listeners out of order; each
    // carries its previous and new limit.
    if (newLimit != previousLimit && listeners.wants(LimiterEvent.LimitChanged.class)) {
      listeners.emit(new LimiterEvent.LimitChanged(name, previousLimit, newLimit, sample));
    }
    if (newLimit > previousLimit && queue != null) {
      queue.afterRelease(this);
    }
  }

  /** The shift that times about TARGET_SAMPLES of a window of {@code calls} successful calls. */
  static int sampleShiftFor(long calls) {
    long ratio = calls / TARGET_SAMPLES;
    return ratio <= 1 ? 0 : Math.min(MAX_SAMPLE_SHIFT, 63 - Long.numberOfLeadingZeros(ratio));
  }

  int sampleShift() {
    return sampleShift;
  }

  private void logControllerFailure(Throwable e) {
    if (!failedBefore) {
      failedBefore = true;
      LOGGER.log(Level.WARNING, "limit algorithm " + algorithm + " of '" + name
          + "' threw; the limit is kept, and further failures are not logged", e);
    }
  }

  // ---------------------------------------------------------------- metrics

  LimitAlgorithm algorithm() {
    return algorithm;
  }

  long rttEstimateNanos() {
    return rttEstimate;
  }

  long noLoadRttNanos() {
    return noLoadRtt;
  }

  WindowSample lastWindow() {
    return lastWindow;
  }

  long successfulCalls() {
    return totalSuccesses() + excludedSuccesses.sum();
  }

  long droppedCalls() {
    return (long) DROPS.getVolatile(this) + excludedDrops.sum();
  }

  long ignoredCalls() {
    return ignored.sum();
  }

  long rejectedCalls() {
    return rejected.sum();
  }

  long windows() {
    return windows.sum();
  }

  Listeners<LimiterEvent> listeners() {
    return listeners;
  }
}
