package dev.bulwark.circuitbreaker;

import dev.bulwark.CallNotPermittedException;
import dev.bulwark.Clock;
import dev.bulwark.Outcome;
import dev.bulwark.OutcomeClassifier;
import dev.bulwark.Permit;
import dev.bulwark.internal.Listeners;
import dev.bulwark.internal.PermitCalls;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The circuit breaker.
 *
 * <h2>Implementation notes</h2>
 *
 * <p><b>Phases.</b> The whole admission state is one reference, {@link #phase}, to an immutable-ish
 * {@link Phase} object: one per state episode. A phase knows its state and how many consecutive trips led to
 * it, and owns what that episode needs:
 * <ul>
 *   <li>{@link ClosedPhase} (CLOSED, METRICS_ONLY): its own {@link Window}. It is also the permit every call
 *       of the episode gets ({@link Phase#freePermit}), so the closed-state call allocates nothing: acquiring
 *       is one volatile read and a null check. A permit from an earlier episode that completes late records
 *       into that episode's dead window: harmless, no reset races with recording.</li>
 *   <li>{@link OpenPhase} (OPEN, FORCED_OPEN): when the open duration ends, and the window figures that
 *       tripped it, frozen for the metrics view.</li>
 *   <li>{@link HalfOpenPhase}: a packed 64-bit word counting its probes (layout at {@link HalfOpenPhase#word})
 *       and its deadline. Each probe is a {@link ProbePermit} with a CAS flag, so completing one twice is
 *       harmless and releasing it returns the slot.</li>
 *   <li>DISABLED: a shared permit that records nothing.</li>
 * </ul>
 * Every transition is a CAS of {@link #phase} from the phase it was decided on to a new phase; a transition
 * decided on a phase that is no longer current fails and is dropped (the newer state wins), except manual
 * transitions, which retry on the newer phase. Listeners are called after the winning CAS, never inside an
 * update function, and update functions (the half-open word's) are pure.
 *
 * <p><b>Closed trips</b> are decided by the record whose window update makes a rate reach its threshold, and
 * take effect at that thread's CAS of {@link #phase} a moment later. In between, other calls are still
 * admitted with the closed permit and recorded into a window that is about to die: so the trip is not
 * strictly linearizable (a call that completes in that gap, then an acquire, can be ordered in a way no
 * sequential breaker would allow). The cost is at most a few calls admitted nanoseconds late, as in every
 * peer; making it exact would need a sticky trip bit inside the contended aggregate word. Exactly one thread
 * wins the trip; the others' CAS fails and they do nothing.
 *
 * <p><b>Half-open accounting.</b> A probe is issued by a CAS that increments {@code issued} while
 * {@code issued < permittedCallsInHalfOpen} and the word is not sealed; a completion increments
 * {@code completed} (and {@code failed}/{@code slow}); a release or an ignored outcome decrements
 * {@code issued}. So {@code completed <= issued <= permitted} always, and never more than
 * {@code permitted} probes are in flight or completed, under any interleaving. The verdict is a pure
 * function of the word: OPEN as soon as the failures (or slow calls) already reach the threshold of the full
 * probe count, CLOSED as soon as even failing every outstanding probe could not reach it, otherwise pending.
 * The completion whose CAS makes the verdict certain also seals the word, with the verdict in it, in the same
 * CAS, so exactly one thread decides and no probe can be issued once the decision is made. Carrying the
 * verdict out (the CAS of {@link #phase} to the next phase) is then open to anyone: a thread that meets the
 * sealed word while the half-open phase is still current helps, so no caller ever waits on, or is rejected
 * because of, a decider that was descheduled between its two CASes (a gap noticed while writing the
 * model-checking test). Every other exit from a half-open phase seals the word first too: its deadline
 * ({@code maxHalfOpenDuration}) with its own verdict (probes still in flight count as failures; with no probe
 * issued at all the verdict is a fresh half-open episode), and manual transitions with no verdict (they
 * carry themselves out; an acquire that meets such a word before the manual CAS is rejected rather than
 * spinning). The deadline is checked lazily by the next acquire, {@code state()} read or probe completion.
 *
 * <p><b>Open duration.</b> The n-th consecutive trip (half-open probes failing again count as consecutive)
 * opens for {@code min(max, base * multiplier^(n-1)) * (1 - jitter * u)}, {@code u} from the random source,
 * drawn once before the CAS that opens. OPEN becomes HALF_OPEN lazily, by CAS, in the first acquire or
 * {@code state()} read after the open duration: no background thread.
 *
 * <p><b>Durations are measured only when something reads them</b>: the slow-call check (the classifier has a
 * slow-call duration) or a listener of outcome events. Otherwise {@link #call} and {@link #callAsync} hand
 * {@link PermitCalls} a clock that reads 0, sparing two clock readings per call (on some virtual machines
 * {@code System.nanoTime()} costs more than the whole breaker). The time window reads the clock itself.
 *
 * <p><b>Counters.</b> Lifetime counters are {@link LongAdder}s (statistics, never admission decisions). A
 * call is counted exactly once: as successful, failed, ignored, released or not permitted, and also as slow
 * if it was; calls in DISABLED are not counted.
 */
final class DefaultCircuitBreaker implements CircuitBreaker {
  private static final VarHandle PHASE;
  private static final VarHandle HALF_OPEN_WORD;
  private static final VarHandle PROBE_DONE;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      PHASE = lookup.findVarHandle(DefaultCircuitBreaker.class, "phase", Phase.class);
      HALF_OPEN_WORD = lookup.findVarHandle(HalfOpenPhase.class, "word", long.class);
      PROBE_DONE = lookup.findVarHandle(ProbePermit.class, "done", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  // ---- half-open word: SEALED(63) | VERDICT(60-61) | slow(30-39) | failed(20-29) | completed(10-19) | issued(0-9)
  private static final int BITS = 10;
  private static final long MASK = (1L << BITS) - 1;
  private static final long ISSUED_ONE = 1L;
  private static final long COMPLETED_ONE = 1L << BITS;
  private static final long FAILED_ONE = 1L << (2 * BITS);
  private static final long SLOW_ONE = 1L << (3 * BITS);
  private static final long SEALED = 1L << 63;
  private static final int VERDICT_SHIFT = 60;

  static int issued(long word) {
    return (int) (word & MASK);
  }

  static int completed(long word) {
    return (int) ((word >>> BITS) & MASK);
  }

  static int failed(long word) {
    return (int) ((word >>> (2 * BITS)) & MASK);
  }

  static int slow(long word) {
    return (int) ((word >>> (3 * BITS)) & MASK);
  }

  static boolean sealed(long word) {
    return (word & SEALED) != 0;
  }

  static int verdictOf(long word) {
    return (int) ((word >>> VERDICT_SHIFT) & 3);
  }

  /** Seals {@code word} with {@code verdict}, so that any thread can carry the decision out. */
  static long seal(long word, int verdict) {
    return word | SEALED | ((long) verdict << VERDICT_SHIFT);
  }

  /** No verdict yet; in a sealed word: sealed by a manual transition, which carries itself out. */
  /** Measures calls whose duration nobody reads; see the implementation notes. */
  private static final Clock NO_DURATION = () -> 0L;

  static final int PENDING = 0;
  static final int CLOSE = 1;
  static final int OPEN_AGAIN = 2;
  /** The episode ran out with no probe issued: a fresh half-open episode replaces it. */
  static final int REFRESH = 3;

  private final String name;
  private final CircuitBreakerConfig config;
  private final Clock clock;
  /** The clock that measures call durations: {@link #clock}, or {@link #NO_DURATION} if nobody reads them. */
  private final Clock callClock;
  private final RandomGenerator random;
  private final Listeners<CircuitBreakerEvent> listeners;
  private final boolean wantsSuccess;
  private final boolean wantsFailure;
  private final boolean wantsIgnored;
  private final boolean wantsRejected;
  private final boolean wantsTransition;
  private final boolean wantsReset;
  private final OutcomeClassifier classifier;
  private final boolean slowEnabled;
  private final int probes;
  private final double failureThreshold;
  private final double slowThreshold;

  private final LongAdder successfulCalls = new LongAdder();
  private final LongAdder failedCalls = new LongAdder();
  private final LongAdder slowCalls = new LongAdder();
  private final LongAdder ignoredCalls = new LongAdder();
  private final LongAdder releasedCalls = new LongAdder();
  private final LongAdder notPermittedCalls = new LongAdder();
  private final MetricsView metrics = new MetricsView();

  /** The current episode; replaced only by CAS. */
  private volatile Phase phase;

  DefaultCircuitBreaker(String name, CircuitBreakerConfig config, Clock clock, RandomGenerator random,
      Listeners<CircuitBreakerEvent> listeners) {
    this.name = name;
    this.config = config;
    this.clock = clock;
    this.random = random;
    this.listeners = listeners;
    this.wantsSuccess = listeners.wants(CircuitBreakerEvent.Success.class);
    this.wantsFailure = listeners.wants(CircuitBreakerEvent.Failure.class);
    this.wantsIgnored = listeners.wants(CircuitBreakerEvent.Ignored.class);
    this.wantsRejected = listeners.wants(CircuitBreakerEvent.Rejected.class);
    this.wantsTransition = listeners.wants(CircuitBreakerEvent.StateTransition.class);
    this.wantsReset = listeners.wants(CircuitBreakerEvent.Reset.class);
    this.classifier = config.classifier();
    this.slowEnabled = classifier.slowCallDurationNanos() != Long.MAX_VALUE;
    this.probes = config.permittedCallsInHalfOpen();
    this.failureThreshold = config.failureRateThreshold();
    this.slowThreshold = config.slowCallRateThreshold();
    this.callClock = slowEnabled || wantsSuccess || wantsFailure || wantsIgnored ? clock : NO_DURATION;
    this.phase = new ClosedPhase(State.CLOSED);
  }

  // ---- the policy ------------------------------------------------------------------------------------------

  @Override
  public String name() {
    return name;
  }

  @Override
  public CircuitBreakerConfig config() {
    return config;
  }

  @Override
  public <T> T call(Callable<? extends T> callable) throws Exception {
    return PermitCalls.call(this, callClock, callable);
  }

  @Override
  public <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<? extends T>> supplier) {
    return PermitCalls.callAsync(this, callClock, supplier);
  }

  @Override
  public Permit tryAcquirePermit() {
    Phase current = phase;
    Permit free = current.freePermit;
    return free != null ? free : acquireSlow(current, false);
  }

  @Override
  public Permit acquirePermit() {
    Phase current = phase;
    Permit free = current.freePermit;
    return free != null ? free : acquireSlow(current, true);
  }

  private Permit acquireSlow(Phase current, boolean throwing) {
    long now = clock.nanoTime();
    Phase p = current;
    while (true) {
      p = resolve(p, now);
      if (p.freePermit != null) {
        return p.freePermit;
      }
      if (p instanceof HalfOpenPhase) {
        HalfOpenPhase h = (HalfOpenPhase) p;
        long word = h.tryIssue();
        if (word == ISSUE_GRANTED) {
          return new ProbePermit(h);
        }
        if (sealed(word)) {
          if (phase != h || finishHalfOpen(h, word)) {
            p = phase;
            continue; // decided: the next phase answers
          }
          // sealed by a manual transition that has not swapped the phase yet: reject rather than spin
        }
      }
      return reject(p, now, throwing);
    }
  }

  private Permit reject(Phase p, long now, boolean throwing) {
    notPermittedCalls.increment();
    long retryAfter = retryAfterNanos(p, now);
    if (wantsRejected) {
      listeners.emit(new CircuitBreakerEvent.Rejected(name, p.state, retryAfter));
    }
    if (throwing) {
      throw new CircuitBreakerOpenException(name, p.state, retryAfter);
    }
    return null;
  }

  private static long retryAfterNanos(Phase p, long now) {
    if (p instanceof OpenPhase) {
      OpenPhase open = (OpenPhase) p;
      return open.state == State.FORCED_OPEN ? CallNotPermittedException.UNKNOWN : Math.max(0, open.openUntil - now);
    }
    if (p instanceof HalfOpenPhase) {
      return Math.max(0, ((HalfOpenPhase) p).deadline - now);
    }
    return CallNotPermittedException.UNKNOWN;
  }

  /**
   * Applies the lazy, time-driven transitions to {@code p} (OPEN whose time is up, HALF_OPEN past its
   * deadline) and returns the phase that is current afterwards.
   */
  private Phase resolve(Phase p, long now) {
    while (true) {
      if (p instanceof OpenPhase && p.state == State.OPEN && now - ((OpenPhase) p).openUntil >= 0) {
        HalfOpenPhase half = new HalfOpenPhase(p.trips, now);
        if (casPhase(p, half)) {
          transitioned(State.OPEN, State.HALF_OPEN);
          return half;
        }
        p = phase;
        continue;
      }
      if (p instanceof HalfOpenPhase && now - ((HalfOpenPhase) p).deadline >= 0) {
        if (!expire((HalfOpenPhase) p, now) && phase == p) {
          return p; // a manual transition is under way
        }
        p = phase;
        continue;
      }
      return p;
    }
  }

  // ---- state and manual transitions ----------------------------------------------------------------------

  @Override
  public State state() {
    return resolve(phase, clock.nanoTime()).state;
  }

  @Override
  public Metrics metrics() {
    return metrics;
  }

  @Override
  public void transitionToClosed() {
    manual(State.CLOSED, false);
  }

  @Override
  public void transitionToOpen() {
    manual(State.OPEN, false);
  }

  @Override
  public void transitionToHalfOpen() {
    manual(State.HALF_OPEN, false);
  }

  @Override
  public void transitionToForcedOpen() {
    manual(State.FORCED_OPEN, false);
  }

  @Override
  public void transitionToDisabled() {
    manual(State.DISABLED, false);
  }

  @Override
  public void transitionToMetricsOnly() {
    manual(State.METRICS_ONLY, false);
  }

  @Override
  public void reset() {
    manual(State.CLOSED, true);
    if (wantsReset) {
      listeners.emit(new CircuitBreakerEvent.Reset(name));
    }
  }

  private void manual(State to, boolean reset) {
    long now = clock.nanoTime();
    while (true) {
      Phase p = resolve(phase, now);
      if (p.state == to && !reset) {
        return;
      }
      Phase next;
      switch (to) {
        case CLOSED:
        case METRICS_ONLY:
          next = new ClosedPhase(to);
          break;
        case OPEN:
          next = newOpen(now, p.state == State.HALF_OPEN ? p.trips + 1 : 1, countsOf(p));
          break;
        case HALF_OPEN:
          next = new HalfOpenPhase(p.trips, now);
          break;
        case FORCED_OPEN:
          next = new OpenPhase(State.FORCED_OPEN, 0, Long.MAX_VALUE, Window.Counts.EMPTY);
          break;
        default:
          next = new Phase(State.DISABLED, 0);
          next.freePermit = DisabledPermit.INSTANCE;
          break;
      }
      if (p instanceof HalfOpenPhase) {
        ((HalfOpenPhase) p).seal();
      }
      if (casPhase(p, next)) {
        if (p.state != to) {
          transitioned(p.state, to);
        }
        return;
      }
    }
  }

  private boolean casPhase(Phase expected, Phase next) {
    return PHASE.compareAndSet(this, expected, next);
  }

  private void transitioned(State from, State to) {
    if (wantsTransition) {
      listeners.emit(new CircuitBreakerEvent.StateTransition(name, from, to));
    }
  }

  // ---- opening ------------------------------------------------------------------------------------------

  private OpenPhase newOpen(long now, int trips, Window.Counts counts) {
    return new OpenPhase(State.OPEN, trips, now + openNanos(trips), counts);
  }

  /** The open duration of the {@code trips}-th consecutive trip, jittered. */
  long openNanos(int trips) {
    long base = config.openDurationNanos();
    long max = config.maxOpenDurationNanos();
    double nominal = base * Math.pow(config.openDurationMultiplier(), Math.max(0, trips - 1));
    long nanos = nominal >= max ? max : (long) nominal;
    double jitter = config.openDurationJitter();
    if (jitter > 0) {
      double u = random != null ? random.nextDouble() : ThreadLocalRandom.current().nextDouble();
      nanos = (long) (nanos * (1 - jitter * u));
    }
    return Math.max(1, nanos);
  }

  private void tripFromClosed(ClosedPhase closed) {
    if (phase != closed) {
      return; // already left (tripped by another call, or transitioned)
    }
    OpenPhase open = newOpen(clock.nanoTime(), 1, closed.window.counts());
    if (casPhase(closed, open)) {
      transitioned(State.CLOSED, State.OPEN);
    }
  }

  private Window.Counts countsOf(Phase p) {
    if (p instanceof ClosedPhase) {
      return ((ClosedPhase) p).window.counts();
    }
    if (p instanceof OpenPhase) {
      return ((OpenPhase) p).counts;
    }
    if (p instanceof HalfOpenPhase) {
      long word = ((HalfOpenPhase) p).word;
      return new Window.Counts(completed(word), failed(word), slow(word), 1);
    }
    return Window.Counts.EMPTY;
  }

  // ---- half-open ----------------------------------------------------------------------------------------

  /** The verdict on a half-open word; pure. {@code expired}: decide now, outstanding probes as failures. */
  private int verdict(long word, boolean expired) {
    int completed = completed(word);
    int n;
    int failed = failed(word);
    int slow = slow(word);
    int remaining;
    if (expired) {
      n = issued(word);
      failed += n - completed;
      remaining = 0;
    } else {
      n = probes;
      remaining = probes - completed;
    }
    double failLimit = failureThreshold * n;
    double slowLimit = slowThreshold * n;
    if (failed * 100.0 >= failLimit || slow * 100.0 >= slowLimit) {
      return OPEN_AGAIN;
    }
    int slowRemaining = slowEnabled ? remaining : 0;
    if ((failed + remaining) * 100.0 < failLimit && (slow + slowRemaining) * 100.0 < slowLimit) {
      return CLOSE;
    }
    return PENDING;
  }

  private void probeCompleted(HalfOpenPhase h, boolean failure, boolean slow) {
    long add = COMPLETED_ONE + (failure ? FAILED_ONE : 0) + (slow ? SLOW_ONE : 0);
    while (true) {
      long word = h.word;
      if (sealed(word)) {
        return; // the episode is over; the outcome is counted in the lifetime counters only
      }
      long next = word + add;
      int verdict = verdict(next, false);
      if (verdict != PENDING) {
        next = seal(next, verdict);
      }
      if (HALF_OPEN_WORD.compareAndSet(h, word, next)) {
        if (verdict != PENDING) {
          finishHalfOpen(h, next);
        } else {
          long now = clock.nanoTime();
          if (now - h.deadline >= 0) {
            expire(h, now);
          }
        }
        return;
      }
    }
  }

  /**
   * Ends a half-open episode whose deadline has passed: seals its word with the verdict on the probes it has
   * (those in flight count as failures) and carries the verdict out, or helps carry out a verdict already
   * sealed. Returns false only for a word sealed by a manual transition, which carries itself out.
   */
  private boolean expire(HalfOpenPhase h, long now) {
    while (true) {
      long word = h.word;
      if (sealed(word)) {
        return finishHalfOpen(h, word);
      }
      long sealedWord;
      int issued = issued(word);
      if (issued == 0) {
        sealedWord = seal(word, REFRESH);
      } else {
        int outstanding = issued - completed(word);
        sealedWord = seal(word + outstanding * (COMPLETED_ONE + FAILED_ONE), verdict(word, true));
      }
      if (HALF_OPEN_WORD.compareAndSet(h, word, sealedWord)) {
        return finishHalfOpen(h, sealedWord);
      }
    }
  }

  /**
   * Carries out the verdict sealed into a half-open word: replaces {@code h} by the next phase. Any thread
   * that meets the sealed word while {@code h} is still current may call it (helping); one CAS wins and that
   * thread tells the listeners. Returns false if the word was sealed without a verdict (manual transition).
   */
  private boolean finishHalfOpen(HalfOpenPhase h, long sealedWord) {
    int verdict = verdictOf(sealedWord);
    if (verdict == PENDING) {
      return false;
    }
    if (phase != h) {
      return true;
    }
    Phase next;
    if (verdict == CLOSE) {
      next = new ClosedPhase(State.CLOSED);
    } else if (verdict == REFRESH) {
      next = new HalfOpenPhase(h.trips, clock.nanoTime());
    } else {
      next = newOpen(clock.nanoTime(), h.trips + 1,
          new Window.Counts(completed(sealedWord), failed(sealedWord), slow(sealedWord), 1));
    }
    if (casPhase(h, next) && next.state != State.HALF_OPEN) {
      transitioned(State.HALF_OPEN, next.state);
    }
    return true;
  }

  // ---- outcomes -----------------------------------------------------------------------------------------

  private void count(boolean failure, boolean slow) {
    if (failure) {
      failedCalls.increment();
    } else {
      successfulCalls.increment();
    }
    if (slow) {
      slowCalls.increment();
    }
  }

  private void emitOutcome(long durationNanos, boolean failure, boolean slow, Throwable error) {
    if (failure) {
      if (wantsFailure) {
        listeners.emit(new CircuitBreakerEvent.Failure(name, durationNanos, slow, error));
      }
    } else if (wantsSuccess) {
      listeners.emit(new CircuitBreakerEvent.Success(name, durationNanos, slow));
    }
  }

  private void ignored(long durationNanos, Throwable error) {
    ignoredCalls.increment();
    if (wantsIgnored) {
      listeners.emit(new CircuitBreakerEvent.Ignored(name, durationNanos, error));
    }
  }

  private void released() {
    releasedCalls.increment();
    if (wantsIgnored) {
      listeners.emit(new CircuitBreakerEvent.Ignored(name, -1, null));
    }
  }

  @Override
  public String toString() {
    return "CircuitBreaker[" + name + ", " + phase.state + "]";
  }

  // ---- phases -------------------------------------------------------------------------------------------

  /** One state episode. */
  static class Phase {
    final State state;
    /** Consecutive trips that led here: 0 when closed, n for the n-th consecutive open and its half-open. */
    final int trips;
    /**
     * The permit every call gets without bookkeeping (CLOSED, METRICS_ONLY, DISABLED), or null. Written once
     * before the phase is published by a volatile write or CAS of {@link #phase}, so a plain field suffices.
     */
    Permit freePermit;

    Phase(State state, int trips) {
      this.state = state;
      this.trips = trips;
    }
  }

  /** CLOSED or METRICS_ONLY: owns its window and is the permit of all its calls. */
  final class ClosedPhase extends Phase implements Permit {
    final Window window;

    ClosedPhase(State state) {
      super(state, 0);
      this.window = Window.create(config, clock);
      this.freePermit = this;
    }

    @Override
    public void onSuccess(long durationNanos) {
      completed(durationNanos, false, null);
    }

    @Override
    public void onResult(long durationNanos, Object result) {
      completed(durationNanos, classifier.classifyResult(result) == Outcome.FAILURE, null);
    }

    @Override
    public void onFailure(long durationNanos, Throwable failure) {
      Outcome outcome = classifier.classifyFailure(failure);
      if (outcome == Outcome.IGNORED) {
        ignored(durationNanos, failure);
      } else {
        completed(durationNanos, outcome == Outcome.FAILURE, outcome == Outcome.FAILURE ? failure : null);
      }
    }

    @Override
    public void release() {
      released();
    }

    private void completed(long durationNanos, boolean failure, Throwable error) {
      boolean slow = classifier.isSlow(durationNanos);
      count(failure, slow);
      boolean trip = window.record(failure, slow);
      emitOutcome(durationNanos, failure, slow, error);
      if (trip && state == State.CLOSED) {
        tripFromClosed(this);
      }
    }
  }

  /** OPEN or FORCED_OPEN. */
  static final class OpenPhase extends Phase {
    final long openUntil;
    final Window.Counts counts;

    OpenPhase(State state, int trips, long openUntil, Window.Counts counts) {
      super(state, trips);
      this.openUntil = openUntil;
      this.counts = counts;
    }
  }

  /** The value {@link HalfOpenPhase#tryIssue()} returns when a probe was issued (never a valid word). */
  private static final long ISSUE_GRANTED = -1L;

  /** HALF_OPEN: the probe accounting of one episode. */
  final class HalfOpenPhase extends Phase {
    final long deadline;
    /**
     * {@code SEALED(bit 63) | VERDICT(60-61) | slow(30-39) | failed(20-29) | completed(10-19) | issued(0-9)}:
     * probes issued and not released, probes completed, of which failed and slow; SEALED once the episode is
     * over, with the verdict (0 = manual, CLOSE, OPEN_AGAIN, REFRESH) that anyone may carry out.
     */
    volatile long word;

    HalfOpenPhase(int trips, long now) {
      super(State.HALF_OPEN, trips);
      this.deadline = now + config.maxHalfOpenDurationNanos();
    }

    /** Issues a probe: {@link #ISSUE_GRANTED}, or the word that refused it (sealed, or all issued). */
    long tryIssue() {
      while (true) {
        long w = word;
        if (sealed(w) || issued(w) >= probes) {
          return w;
        }
        if (HALF_OPEN_WORD.compareAndSet(this, w, w + ISSUED_ONE)) {
          return ISSUE_GRANTED;
        }
      }
    }

    /** Gives a probe slot back, unless the episode is over. */
    void giveBack() {
      while (true) {
        long w = word;
        if (sealed(w) || HALF_OPEN_WORD.compareAndSet(this, w, w - ISSUED_ONE)) {
          return;
        }
      }
    }

    void seal() {
      HALF_OPEN_WORD.getAndBitwiseOr(this, SEALED);
    }
  }

  /** One probe of a half-open episode; only its first completion counts. */
  final class ProbePermit implements Permit {
    private final HalfOpenPhase half;
    @SuppressWarnings("unused") // through PROBE_DONE
    private volatile boolean done;

    ProbePermit(HalfOpenPhase half) {
      this.half = half;
    }

    private boolean claim() {
      return PROBE_DONE.compareAndSet(this, false, true);
    }

    @Override
    public void onSuccess(long durationNanos) {
      if (claim()) {
        completed(durationNanos, false, null);
      }
    }

    @Override
    public void onResult(long durationNanos, Object result) {
      if (claim()) {
        completed(durationNanos, classifier.classifyResult(result) == Outcome.FAILURE, null);
      }
    }

    @Override
    public void onFailure(long durationNanos, Throwable failure) {
      if (claim()) {
        Outcome outcome = classifier.classifyFailure(failure);
        if (outcome == Outcome.IGNORED) {
          half.giveBack();
          ignored(durationNanos, failure);
        } else {
          completed(durationNanos, outcome == Outcome.FAILURE, outcome == Outcome.FAILURE ? failure : null);
        }
      }
    }

    @Override
    public void release() {
      if (claim()) {
        half.giveBack();
        released();
      }
    }

    private void completed(long durationNanos, boolean failure, Throwable error) {
      boolean slow = classifier.isSlow(durationNanos);
      count(failure, slow);
      emitOutcome(durationNanos, failure, slow, error);
      probeCompleted(half, failure, slow);
    }
  }

  /** The permit of DISABLED: records nothing. */
  private static final class DisabledPermit implements Permit {
    static final DisabledPermit INSTANCE = new DisabledPermit();

    @Override
    public void onSuccess(long durationNanos) {}

    @Override
    public void onResult(long durationNanos, Object result) {}

    @Override
    public void onFailure(long durationNanos, Throwable failure) {}

    @Override
    public void release() {}
  }

  // ---- metrics ------------------------------------------------------------------------------------------

  private final class MetricsView implements Metrics {
    @Override
    public State state() {
      return DefaultCircuitBreaker.this.state();
    }

    private Window.Counts counts() {
      return countsOf(phase);
    }

    @Override
    public double failureRate() {
      return counts().failureRate();
    }

    @Override
    public double slowCallRate() {
      return counts().slowRate();
    }

    @Override
    public int bufferedCalls() {
      return counts().calls;
    }

    @Override
    public int failedCalls() {
      return counts().failed;
    }

    @Override
    public int slowCalls() {
      return counts().slow;
    }

    @Override
    public int successfulCalls() {
      Window.Counts counts = counts();
      return counts.calls - counts.failed;
    }

    @Override
    public long totalSuccessfulCalls() {
      return successfulCalls.sum();
    }

    @Override
    public long totalFailedCalls() {
      return failedCalls.sum();
    }

    @Override
    public long totalSlowCalls() {
      return slowCalls.sum();
    }

    @Override
    public long totalIgnoredCalls() {
      return ignoredCalls.sum();
    }

    @Override
    public long totalReleasedCalls() {
      return releasedCalls.sum();
    }

    @Override
    public long totalNotPermittedCalls() {
      return notPermittedCalls.sum();
    }

    @Override
    public String toString() {
      Window.Counts counts = counts();
      return "CircuitBreaker.Metrics[" + name + ", " + phase.state + ", calls=" + counts.calls
          + ", failed=" + counts.failed + ", slow=" + counts.slow + ", failureRate=" + counts.failureRate()
          + ", slowCallRate=" + counts.slowRate() + "]";
    }
  }
}
