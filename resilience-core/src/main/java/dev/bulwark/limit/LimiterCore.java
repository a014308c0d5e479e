package dev.bulwark.limit;

import dev.bulwark.Clock;
import dev.bulwark.Outcome;
import dev.bulwark.OutcomeClassifier;
import dev.bulwark.internal.Listeners;
import dev.bulwark.internal.PaddedState;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.LongAdder;

/*
 * Implementation notes.
 *
 * The enforcement half of a concurrency limiter, shared by ConcurrencyLimiter and LoadShedder.
 *
 * Admission. `state` (alone on its cache lines, see PaddedState) is the in-flight count. A call is
 * admitted by a CAS that raises it only while it is below admissionLimit, and admissionLimit never exceeds the
 * published limit, so no interleaving ever has more calls in flight than the limit they were admitted under
 * (Netflix's partitioned limiter checks, then increments: concurrency-limits #233). When the limit is lowered,
 * calls already in flight finish; no new call is admitted until in-flight is below it. Completion lowers the
 * count with one atomic add, which cannot fail under contention; that add is the completion's linearization
 * point for everyone else.
 *
 * Slots. Every admitted call also holds one slot of a table of at least 2 * maxLimit slots (a power of two);
 * the slot records when the call was admitted (so the limiter measures round-trip times itself, from its own
 * clock), a generation number and the slot's count of successes. A thread looks for a free slot from a home
 * group of SLOT_STRIDE slots chosen by a Fibonacci hash of its thread id, and claims the first free one by a
 * CAS on its generation. So each thread keeps reusing the same few slots, on cache lines (of every slot array,
 * and of the histogram stripe the slot picks) that other threads do not write: the only line every call
 * writes is `state`. An earlier design popped slots from one shared free stack, packed with the count into
 * `state`; every call then also moved the lines of the slot it popped between cores, which cost several
 * times the count's CAS at two threads. A free slot always exists for an admitted caller: slots are freed
 * before the count goes down and claimed after it goes up, so held slots never outnumber in-flight calls, which
 * never exceed maxLimit, half the table. The table's load is below one half, so the scan is short; a caller
 * whose scan races others around the table keeps scanning, and some caller always succeeds (lock-free).
 *
 * Exactly once. gen[slot] counts in steps of four: 0 (mod 4) free, 1 held, 2 completing. The token handed
 * out is (held gen << 21 | slot). Completion CASes gen from that held value to "completing": the first
 * completion of a token wins, every later one (or one of a token whose slot has since been reused) fails the
 * CAS and does nothing. The winner, alone with the slot, reads its admission time and counts the success,
 * then frees the slot (a release store of the next free value) and lowers the count. Tokens keep the low 42
 * bits of gen; a stale token could only match again after 2^40 reuses of its slot. The generation CAS and the
 * count's add are on different words, so a losing (duplicate) completion racing with the winner may return
 * before the winner has lowered the count: a call admitted right after it can still find the limit full.
 * Nothing is ever freed twice, and a permit's owner, who completes it once, sees a linearizable limiter
 * (checked by LimiterCoreLincheckTest); closing that window for duplicates would need a two-word CAS on the
 * call path.
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
 * completing the slot (the winner of the generation CAS, before the release store that frees the slot for
 * its next holder), so it is a single-writer counter with no atomic instruction; the window closer sums it. Only
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
final class LimiterCore extends PaddedState {
  static final int SUCCESS = 0;
  static final int DROPPED = 1;
  static final int IGNORED = 2;

  private static final System.Logger LOGGER = System.getLogger("dev.bulwark");

  static final int SLOT_BITS = 21; // 2^21 slots: at least twice LimitAlgorithm.MAX_LIMIT
  static final long SLOT_MASK = (1L << SLOT_BITS) - 1;
  private static final int SLOT_STRIDE = 16; // 16 longs span at least one whole 64-byte cache line
  private static final int MIN_SLOTS = 16 * SLOT_STRIDE; // at least 16 home groups, whatever the maxLimit
  private static final long HELD = 1;
  private static final long COMPLETING = 2;
  private static final long GEN_STEP = 4;
  private static final long UNTIMED = Long.MIN_VALUE;
  private static final long GOLDEN = 0x9E3779B97F4A7C15L; // 2^64 / phi, odd: multiplication permutes longs
  static final int TARGET_SAMPLES = 256;
  static final int MAX_SAMPLE_SHIFT = 8;
  private static final long GEN_MASK = (1L << (64 - SLOT_BITS - 1)) - 1;
  private static final long CLOSING = Long.MIN_VALUE;

  private static final VarHandle PEAK;
  private static final VarHandle DROPS;
  private static final VarHandle WINDOW_END;
  private static final VarHandle PROBE_SAMPLES;
  private static final VarHandle GEN = MethodHandles.arrayElementVarHandle(long[].class);
  private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
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

  private final int slotMask;
  private final int homeShift;
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
    int slots = Math.max(MIN_SLOTS, Integer.highestOneBit(2 * algorithm.maxLimit() - 1) << 1);
    this.slotMask = slots - 1;
    this.homeShift = Long.SIZE - Integer.numberOfTrailingZeros(slots / SLOT_STRIDE);
    this.started = new long[slots];
    this.gen = new long[slots];
    this.successes = new long[slots];
    this.limit = algorithm.initialLimit();
    STATE.setRelease(this, 0L);
    long now = clock.nanoTime();
    this.windowStart = now;
    WINDOW_END.setRelease(this, now + windowNanos);
  }

  static int inflightOf(long state) {
    return (int) state;
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
    do {
      w = (long) STATE.getVolatile(this);
      if (w >= admissionLimit) {
        return -1;
      }
    } while (!STATE.compareAndSet(this, w, w + 1));
    return admit((int) w + 1);
  }

  /** Claims a free slot for a call just counted in and returns the call's token. */
  private long admit(int inflight) {
    // the home group of this thread: a Fibonacci hash of its id, so consecutive ids land far apart
    @SuppressWarnings("deprecation") // getId() is final and allocation-free on every JDK; threadId() is 19+
    long id = Thread.currentThread().getId();
    int slot = (int) ((id * GOLDEN) >>> homeShift) * SLOT_STRIDE;
    long g;
    for (;; slot = (slot + 1) & slotMask) {
      g = (long) GEN.getOpaque(gen, slot);
      if ((g & (GEN_STEP - 1)) == 0 && GEN.compareAndSet(gen, slot, g, g + HELD)) {
        break;
      }
    }
    g += HELD;
    started[slot] = ((g >>> 2) * GOLDEN) >>> 1 <= sampleThreshold // g >>> 2: the slot's use count
        ? clock.nanoTime() : UNTIMED;
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
    return (g & (GEN_STEP - 1)) == HELD && (g & GEN_MASK) == token >>> SLOT_BITS;
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
    if ((g & (GEN_STEP - 1)) != HELD || (g & GEN_MASK) != token >>> SLOT_BITS
        || !GEN.compareAndSet(gen, slot, g, g - HELD + COMPLETING)) {
      return false;
    }
    long start = started[slot];
    if (start == UNTIMED) {
      recordUntimed(outcome, slot);
      release(slot, g - HELD + GEN_STEP);
      if (queue != null) {
        queue.afterRelease(this);
      }
      return true;
    }
    long now = clock.nanoTime();
    boolean probeDone = record(outcome, slot, start, now - start);
    release(slot, g - HELD + GEN_STEP);
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

  /** Frees a slot the caller alone holds (completing), then counts its call out. */
  private void release(int slot, long freeGen) {
    GEN.setRelease(gen, slot, freeGen);
    STATE.getAndAdd(this, -1L);
  }

  /**
   * Frees the slot of a token that was acquired but never used (for a waiter that gave up at the same moment),
   * recording nothing. The caller decides whether to offer the slot to waiters.
   */
  void releaseUnused(long token) {
    int slot = slotOf(token);
    long g = (long) GEN.getVolatile(gen, slot);
    if ((g & (GEN_STEP - 1)) == HELD && (g & GEN_MASK) == token >>> SLOT_BITS
        && GEN.compareAndSet(gen, slot, g, g - HELD + COMPLETING)) {
      release(slot, g - HELD + GEN_STEP);
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
