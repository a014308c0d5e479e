package dev.bulwark.ratelimit;

import dev.bulwark.Clock;
import dev.bulwark.ContextPropagator;
import dev.bulwark.Deadline;
import dev.bulwark.OutcomeClassifier;
import dev.bulwark.Permit;
import dev.bulwark.Scheduler;
import dev.bulwark.Sleeper;
import dev.bulwark.internal.Check;
import dev.bulwark.internal.Contexts;
import dev.bulwark.internal.Listeners;
import dev.bulwark.internal.PaddedState;
import dev.bulwark.ratelimit.RateLimitedException.Rejection;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/*
 * Implementation notes
 *
 * GCRA with an exact emission interval. T = period / limitForPeriod is kept as the reduced fraction p / l
 * (g = gcd(period ns, limitForPeriod); p = period / g, l = limitForPeriod / g). Time is counted in ticks of
 * 1/l ns, in which T is exactly p ticks and "now" is exactly (now - base) * l ticks: integers, no rounding,
 * so the rate never drifts (3 per second is exactly 333,333,333 1/3 ns). The word holds the theoretical
 * arrival time TAT in ticks since `base`. A decision for n permits, with B the burst, tau = (B - 1) * T the
 * GCRA burst tolerance, and W the allowed wait:
 *
 *   n > B: refuse (the bucket never holds n permits; admitting them after a wait would let more than B
 *          through at one instant)
 *   next = max(TAT, now) + n*T;   wait = next - now - B*T   (= next - now - (tau + T))
 *   wait <= 0: admit at once;  0 < wait <= W: admit after `wait` (reserved);  otherwise refuse, telling wait
 *
 * and admission is one CAS of the word from TAT to next. The hot path is a subtraction, a multiplication,
 * a max, an addition, a comparison and the CAS: 64-bit, no division, no allocation. Only a wait (or the
 * retry-after of a refusal) needs a division, to turn ticks into whole nanoseconds, rounded up.
 *
 * Magnitudes. "now" in ticks stays below 2^58: once (now - base) * l would reach it, the base moves to now
 * (a rebase, below). The window a TAT can be ahead of now, B*T + W, is also below 2^58 ticks: the config
 * refuses bursts and waits that would not fit (only rates whose reduced l is huge, such as 1,000,003 per
 * second, have a window shorter than a day). So TAT < 2^59 and every sum stays far from overflow. The rebase
 * happens every 2^58 / l ns: every 9 years for l = 1 (any rate that divides its period, like 100 per
 * second), every 5 minutes for l = 10^6.
 *
 * The word. `state` (from PaddedState: alone on its cache lines, as every decision CASes it) holds the TAT
 * (bits 59..0) and a 4-bit version (bits 63..60) naming the Params (base, p, l, burst, config) it is to be
 * read against: ring[version % 16]. A decision reads the word, then its
 * Params (published before the word that names them, so the volatile read of the word makes them visible),
 * computes, and CASes the word: one word, one CAS. A transition to new Params (a rate change, or a rebase)
 * first publishes them in the next ring slot (by CAS, only over an older version), then CASes the word from
 * (v, TAT) to (v + 1, convert(TAT)); a decision racing it fails its CAS and retries against the new Params.
 * A thread that finds the next slot already filled for version v + 1 helps install it, so transitions are
 * lock-free. A slot is only reused after 16 transitions, far more than can happen between one decision's
 * read and its CAS (transitions are rate changes and rebases, minutes to years apart).
 *
 * Conversion. A transition moves the base forward by D ns and may change p and l. The permits owed past the
 * new base, (TAT - D*l) / p, are carried over exactly and re-expressed in the new ticks, rounded up to a
 * tick: TAT' = max(0, ceil((TAT - D*l) * p' / p)). A rebase (same rate) is exact; after a rate change a
 * bucket in debt stays in debt by the same number of permits, repaid at the new rate, an idle bucket stays
 * full (capped at the new burst), and waiters keep the times they reserved. A clock reading taken just
 * before the new base only makes its decision a few nanoseconds more conservative.
 *
 * Harmless races. A decision uses the clock reading taken before its loop; after a failed CAS it retries
 * with it, which is GCRA with that request arriving a moment earlier: the TAT only grows, so this can only
 * make it wait longer. Metrics read the word and the clock separately.
 *
 * Contention. Every decision in a full bucket writes now + n*T, so it needs both a clock reading and the
 * word's cache line: at two threads on one word that is the whole cost (a model of just "nanoTime, read,
 * CAS" costs the same as this class), and no exact one-word design can skip either. What can be avoided is
 * two cores trading the line on every decision: a thread that loses the CAS parks for the shortest timed wait
 * (LockSupport.parkNanos(1): tens of microseconds on Linux, its timer slack) before it retries, so the winner
 * takes a run of decisions on a line that stays its own. Resilience4j's AtomicRateLimiter backs off the same
 * way. Spinning instead (16 to 128 PAUSEs) or yielding gained nothing measurable; parking took 2 threads
 * from 148-154 ns to 119-124 ns per decision in one A/B session (see docs/rate-limiter.md). Only a lost CAS
 * parks, so an uncontended decision never waits, and a parked thread releases its core (or, if virtual, its
 * carrier). The loop stays lock-free: a CAS is lost only because another decision won.
 *
 * Context. An asynchronous call that must wait for its permit starts on the scheduler thread. callAsync
 * captures the configured ContextPropagators on the caller's thread, only once it knows the call waits (so
 * the immediate path and every synchronous path never touch them), and DelayedCall installs that snapshot
 * around the call's start and around the completion of the returned future. The propagators are kept in
 * Params as an array, next to the config they come from. A failing capture cancels the acquisition, which
 * gives the reserved permit back.
 */
final class GcraRateLimiter extends PaddedState implements RateLimiter, RateLimiter.Metrics {
  private static final int VERSION_BITS = 4;
  private static final int RING_SIZE = 1 << VERSION_BITS;
  private static final int VERSION_SHIFT = Long.SIZE - VERSION_BITS;
  private static final long TAT_MASK = (1L << VERSION_SHIFT) - 1;

  private static final VarHandle WAITING;
  private static final VarHandle RING = MethodHandles.arrayElementVarHandle(Params[].class);

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      WAITING = lookup.findVarHandle(GcraRateLimiter.class, "waiting", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The parameters a word is read against: immutable, published in the ring before any word names them. */
  static final class Params {
    final int version;
    final RateLimiterConfig config;
    /** The clock reading at tick 0. */
    final long base;
    /** T in ticks of 1/l ns. */
    final long p;
    /** Ticks per nanosecond. */
    final long l;
    final long burst;
    /** B * T in ticks. */
    final long burstTicks;
    /** The longest wait a request may be granted, in ns: W * l stays below the tick bound. */
    final long maxWaitNanos;
    /** Once now - base reaches this, a rebase is due. */
    final long rebaseAfter;
    /** The config's context propagators, for an asynchronous call that waits. */
    final ContextPropagator[] propagators;

    Params(int version, RateLimiterConfig config, long base) {
      this.version = version;
      this.config = config;
      this.base = base;
      long g = Rational.gcd(config.periodNanos(), config.limitForPeriod());
      this.p = config.periodNanos() / g;
      this.l = config.limitForPeriod() / g;
      this.burst = config.burstCapacity();
      this.burstTicks = burst * p;
      this.maxWaitNanos = config.maxAcquireWaitNanos();
      this.rebaseAfter = (Rational.TICK_BOUND - 1) / l;
      this.propagators = Contexts.toArray(config.contextPropagators());
    }
  }

  // The word is `state`, inherited from PaddedState (alone on its cache lines: every decision CASes it):
  // bits 63..60: version % 16 (the ring slot of its Params); bits 59..0: the TAT in ticks since base.
  private final Params[] ring = new Params[RING_SIZE];
  /** Callers parked or scheduled for reserved permits. Accessed through WAITING. */
  private volatile int waiting;

  private final String name;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Scheduler scheduler;
  private final Listeners<RateLimiterEvent> listeners;
  private final boolean emitAcquired;
  private final boolean emitRejected;
  private final LongAdder rejected = new LongAdder();

  GcraRateLimiter(String name, RateLimiterConfig config, Clock clock, Sleeper sleeper, Scheduler scheduler,
      Listeners<RateLimiterEvent> listeners) {
    this.name = Check.name("name", name);
    Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.listeners = Objects.requireNonNull(listeners, "listeners");
    this.emitAcquired = listeners.wants(RateLimiterEvent.Acquired.class);
    this.emitRejected = listeners.wants(RateLimiterEvent.Rejected.class);
    ring[0] = new Params(0, config, clock.nanoTime());
    STATE.setVolatile(this, pack(0, 0));
  }

  static long pack(int version, long tat) {
    return ((long) (version & (RING_SIZE - 1)) << VERSION_SHIFT) | tat;
  }

  static int slot(long word) {
    return (int) (word >>> VERSION_SHIFT);
  }

  static long tat(long word) {
    return word & TAT_MASK;
  }

  // ---- the decision ------------------------------------------------------------------------------------

  /**
   * Takes {@code n} permits if they are available within {@code maxWait} nanoseconds: one CAS.
   *
   * @param reserved if not null, receives the word written, for a later refund
   * @return the wait (zero or positive) if taken; otherwise {@code ~wait}, negative, where wait is the time
   *     until the permits would be available (nothing taken)
   */
  private long reserve(int n, long maxWait, long now, long[] reserved) {
    for (;;) {
      long w = state;
      Params p = ring[slot(w)];
      long d = now - p.base;
      if (d >= p.rebaseAfter) {
        rebase(w, p, d);
        continue;
      }
      if (n > p.burst) {
        return ~Long.MAX_VALUE; // the bucket never holds that many: no wait makes it conform
      }
      long nowTicks = d * p.l;
      long next = Math.max(tat(w), nowTicks) + n * p.p;
      long waitTicks = next - p.burstTicks - nowTicks;
      long wait = 0;
      if (waitTicks > 0) {
        wait = Rational.ceilDiv(waitTicks, p.l);
        if (wait > Math.min(maxWait, p.maxWaitNanos)) {
          return ~wait;
        }
      }
      next |= w & ~TAT_MASK;
      if (STATE.compareAndSet(this, w, next)) {
        if (reserved != null) {
          reserved[0] = next;
        }
        return wait;
      }
      backOff();
    }
  }

  /**
   * Steps aside after a lost CAS, so the winner can take its next decisions while the word's line is still
   * its own: the shortest timed park the OS gives (tens of microseconds on Linux).
   */
  private static void backOff() {
    LockSupport.parkNanos(1L);
  }

  /** Gives reserved permits back if nobody has reserved after them: exact, or nothing. */
  private boolean refund(long reservedWord, int n) {
    Params p = ring[slot(reservedWord)];
    return STATE.compareAndSet(this, reservedWord, reservedWord - n * p.p);
  }

  private void rebase(long w, Params current, long d) {
    install(w, current, new Params(current.version + 1, current.config, current.base + d));
  }

  /**
   * Moves the word from {@code w} (read against {@code current}) to the Params of version
   * {@code next.version}: {@code next}, or the ones another thread already published for that version.
   *
   * @return whether the Params published for that version are {@code next}: once they are, the word will
   *     move to them (this call or any other that finds them will do it), whatever else happens
   */
  private boolean install(long w, Params current, Params next) {
    int slot = next.version & (RING_SIZE - 1);
    Params occupant = (Params) RING.getVolatile(ring, slot);
    if (occupant == null || occupant.version < next.version) {
      if (!RING.compareAndSet(ring, slot, occupant, next)) {
        return RING.getVolatile(ring, slot) == next; // someone else published first: the caller helps
      }
      occupant = next;
    } else if (occupant.version > next.version) {
      return false; // `w` is stale: the caller re-reads
    }
    STATE.compareAndSet(this, w, pack(occupant.version, convert(tat(w), current, occupant)));
    return occupant == next;
  }

  /** Carries the permits owed past {@code next.base} over, exactly, rounded up to a tick. */
  static long convert(long tat, Params current, Params next) {
    if (current.p == next.p && current.l == next.l) {
      long shift = Rational.saturatedProduct(Math.max(0, next.base - current.base), current.l);
      return tat > shift ? tat - shift : 0;
    }
    return Rational.convert(tat, next.base - current.base, current.l, next.p, current.p, TAT_MASK >> 1);
  }

  // ---- RateLimiter ------------------------------------------------------------------------------------

  @Override
  public String name() {
    return name;
  }

  @Override
  public RateLimiterConfig config() {
    return ring[slot(state)].config;
  }

  @Override
  public Metrics metrics() {
    return this;
  }

  private static void checkPermits(int permits) {
    if (permits < 1) {
      throw new IllegalArgumentException("permits must be >= 1, was " + permits);
    }
  }

  @Override
  public long tryAcquire(int permits) {
    checkPermits(permits);
    long r = reserve(permits, 0, clock.nanoTime(), null);
    if (r >= 0) {
      acquired(permits, 0);
      return 0;
    }
    boolean exceedsBurst = r == ~Long.MAX_VALUE && permits > config().burstCapacity();
    countRejection(permits, exceedsBurst ? Rejection.EXCEEDS_BURST : Rejection.RATE_EXCEEDED);
    return exceedsBurst ? Long.MAX_VALUE : Math.max(1, ~r);
  }

  @Override
  public void acquire(int permits) {
    checkPermits(permits);
    acquireNanos(permits, CONFIGURED_WAIT);
  }

  @Override
  public void acquire(int permits, Duration maxWait) {
    checkPermits(permits);
    long wait = RateLimiterConfig.checkMaxWait("maxWait", maxWait);
    RateLimiterConfig config = config();
    if (wait > config.maxAcquireWaitNanos()) {
      throw new IllegalArgumentException("maxWait must be at most " + Duration.ofNanos(config.maxAcquireWaitNanos())
          + " for a rate of " + config.limitForPeriod() + " per " + config.period() + " and a burst of "
          + config.burstCapacity() + ", was " + maxWait);
    }
    acquireNanos(permits, wait);
  }

  /** For acquireNanos: wait up to the configured maxWait, read only if the first attempt fails. */
  private static final long CONFIGURED_WAIT = -1;

  private void acquireNanos(int permits, long maxWaitOrConfigured) {
    long now = clock.nanoTime();
    long r = reserve(permits, 0, now, null); // the common case, allocation-free
    if (r >= 0) {
      acquired(permits, 0);
      return;
    }
    long maxWait = maxWaitOrConfigured == CONFIGURED_WAIT ? config().maxWaitNanos() : maxWaitOrConfigured;
    long allowed = allowedWait(maxWait);
    if (allowed == 0) {
      throw rejection(permits, ~r, maxWait, allowed);
    }
    long[] reserved = new long[1];
    r = reserve(permits, allowed, now, reserved);
    if (r < 0) {
      throw rejection(permits, ~r, maxWait, allowed);
    }
    if (r > 0) {
      WAITING.getAndAdd(this, 1);
      try {
        sleeper.sleep(r);
      } catch (InterruptedException e) {
        refund(reserved[0], permits);
        Thread.currentThread().interrupt();
        countRejection(permits, Rejection.INTERRUPTED);
        throw new RateLimitedException(name, Rejection.INTERRUPTED, permits, RateLimitedException.UNKNOWN,
            config());
      } finally {
        WAITING.getAndAdd(this, -1);
      }
    }
    acquired(permits, r);
  }

  private static long allowedWait(long maxWait) {
    return maxWait == 0 ? 0 : Math.max(0, Math.min(maxWait, Deadline.currentRemainingNanos()));
  }

  private RateLimitedException rejection(int permits, long wait, long maxWait, long allowed) {
    RateLimiterConfig config = config();
    Rejection why;
    long retryAfter = wait;
    if (permits > config.burstCapacity()) {
      why = Rejection.EXCEEDS_BURST;
      retryAfter = RateLimitedException.UNKNOWN;
    } else {
      why = allowed < maxWait ? Rejection.DEADLINE_EXCEEDED : Rejection.RATE_EXCEEDED;
    }
    countRejection(permits, why);
    return new RateLimitedException(name, why, permits, retryAfter, config);
  }

  @Override
  public CompletableFuture<Void> acquireAsync(int permits) {
    checkPermits(permits);
    long now = clock.nanoTime();
    long r = reserve(permits, 0, now, null);
    if (r >= 0) {
      acquired(permits, 0);
      return CompletableFuture.completedFuture(null);
    }
    long maxWait = config().maxWaitNanos();
    long allowed = allowedWait(maxWait);
    if (allowed == 0) {
      return CompletableFuture.failedFuture(rejection(permits, ~r, maxWait, allowed));
    }
    AsyncAcquisition acquisition = new AsyncAcquisition(permits);
    r = reserve(permits, allowed, now, acquisition.reserved);
    if (r < 0) {
      return CompletableFuture.failedFuture(rejection(permits, ~r, maxWait, allowed));
    }
    if (r == 0) {
      acquired(permits, 0);
      return CompletableFuture.completedFuture(null);
    }
    acquisition.schedule(r);
    return acquisition;
  }

  @Override
  public void changeConfig(RateLimiterConfig config) {
    Objects.requireNonNull(config, "config");
    long now = clock.nanoTime();
    Params mine = null;
    Params replaced = null;
    boolean published = false;
    for (;;) {
      long w = state;
      Params current = ring[slot(w)];
      if (published) {
        if (current.version >= mine.version) {
          break; // ours took effect (and perhaps later changes after it): never apply it again
        }
        install(w, current, mine); // help the word onto the published version
        continue;
      }
      if (mine == null || mine.version != current.version + 1) {
        mine = new Params(current.version + 1, config, now);
      }
      replaced = current;
      published = install(w, current, mine);
    }
    if (listeners.wants(RateLimiterEvent.ConfigChanged.class)) {
      listeners.emit(new RateLimiterEvent.ConfigChanged(name, replaced.config, config));
    }
  }

  // ---- the permit and decorator layers -------------------------------------------------------------------

  /** A rate limiter's permit has nothing to give back: one shared, stateless instance. */
  private enum NoOpPermit implements Permit {
    INSTANCE;

    @Override
    public void onSuccess(long durationNanos) {}

    @Override
    public void onResult(long durationNanos, Object result) {}

    @Override
    public void onFailure(long durationNanos, Throwable failure) {}

    @Override
    public void release() {}
  }

  @Override
  public Permit tryAcquirePermit() {
    long r = reserve(1, 0, clock.nanoTime(), null);
    if (r >= 0) {
      acquired(1, 0);
      return NoOpPermit.INSTANCE;
    }
    countRejection(1, Rejection.RATE_EXCEEDED);
    return null;
  }

  @Override
  public Permit acquirePermit() {
    acquireNanos(1, CONFIGURED_WAIT);
    return NoOpPermit.INSTANCE;
  }

  @Override
  public <T> T call(Callable<? extends T> callable) throws Exception {
    Objects.requireNonNull(callable, "callable");
    acquireNanos(1, CONFIGURED_WAIT);
    return callable.call();
  }

  /** The decorator path, without the generic bridge: one decision, then the call. */
  @Override
  public <T> Supplier<T> decorate(Supplier<? extends T> supplier) {
    Objects.requireNonNull(supplier, "supplier");
    return () -> {
      acquireNanos(1, CONFIGURED_WAIT);
      return supplier.get();
    };
  }

  @Override
  public <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<? extends T>> supplier) {
    Objects.requireNonNull(supplier, "supplier");
    CompletableFuture<Void> permit = acquireAsync(1);
    if (permit.isDone() && !permit.isCompletedExceptionally()) {
      return start(supplier);
    }
    ContextPropagator.Snapshot context = Contexts.NONE;
    ContextPropagator[] propagators = ring[slot(state)].propagators;
    if (propagators.length != 0 && !permit.isDone()) { // it waits: it will start on the scheduler thread
      try {
        context = Contexts.capture(propagators);
      } catch (RuntimeException | Error captureFailure) {
        permit.cancel(false); // gives the reserved permit back
        return CompletableFuture.failedFuture(captureFailure);
      }
    }
    DelayedCall<T> call = new DelayedCall<>(supplier, permit, context);
    permit.whenComplete(call);
    return call;
  }

  @SuppressWarnings("unchecked") // a stage of a subtype of T only ever yields Ts
  private static <T> CompletableFuture<T> start(Supplier<? extends CompletionStage<? extends T>> supplier) {
    try {
      CompletionStage<? extends T> stage = supplier.get();
      if (stage == null) {
        return CompletableFuture.failedFuture(
            new NullPointerException("the supplier returned a null CompletionStage"));
      }
      return (CompletableFuture<T>) stage.toCompletableFuture();
    } catch (RuntimeException | Error failure) {
      return CompletableFuture.failedFuture(failure);
    }
  }

  /**
   * An asynchronous call waiting for its permit; cancelling it gives the permit back. It starts, and
   * completes, inside the caller's context ({@link Contexts#NONE} without propagators).
   */
  private static final class DelayedCall<T> extends CompletableFuture<T> implements BiConsumer<Void, Throwable> {
    private final Supplier<? extends CompletionStage<? extends T>> supplier;
    private final CompletableFuture<Void> permit;
    private final ContextPropagator.Snapshot context;
    private volatile CompletableFuture<T> running;

    DelayedCall(Supplier<? extends CompletionStage<? extends T>> supplier, CompletableFuture<Void> permit,
        ContextPropagator.Snapshot context) {
      this.supplier = supplier;
      this.permit = permit;
      this.context = context;
    }

    /** The permit is due (on the scheduler thread) or refused. */
    @Override
    public void accept(Void ignored, Throwable failure) {
      if (failure != null) {
        completeExceptionally(OutcomeClassifier.unwrap(failure));
        return;
      }
      if (isDone()) {
        return; // cancelled meanwhile
      }
      ContextPropagator.Scope scope = install();
      if (scope == null) {
        return;
      }
      try {
        CompletableFuture<T> call = start(supplier);
        running = call;
        if (isCancelled()) {
          call.cancel(false);
        }
        call.whenComplete(this::completed);
      } finally {
        Contexts.closeQuietly(scope);
      }
    }

    /** The call is over, on whichever thread completed it: completes this future in the caller's context. */
    private void completed(T value, Throwable callFailure) {
      ContextPropagator.Scope scope = install();
      if (scope == null) {
        return;
      }
      try {
        if (callFailure == null) {
          complete(value);
        } else {
          completeExceptionally(OutcomeClassifier.unwrap(callFailure));
        }
      } finally {
        Contexts.closeQuietly(scope);
      }
    }

    /** Installs the caller's context; if a propagator fails, fails this call and returns {@code null}. */
    private ContextPropagator.Scope install() {
      return Contexts.installOrFail(context, this, null);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      if (cancelled) {
        permit.cancel(mayInterruptIfRunning);
        CompletableFuture<T> call = running;
        if (call != null) {
          call.cancel(mayInterruptIfRunning);
        }
      }
      return cancelled;
    }
  }

  /** A reservation whose wait is scheduled, not slept: completes when the permits are due. */
  private final class AsyncAcquisition extends CompletableFuture<Void> implements Runnable {
    final long[] reserved = new long[1];
    private final int permits;
    private volatile Scheduler.Cancellable scheduled;
    private long waitNanos;

    AsyncAcquisition(int permits) {
      this.permits = permits;
    }

    void schedule(long wait) {
      waitNanos = wait;
      WAITING.getAndAdd(GcraRateLimiter.this, 1);
      scheduled = scheduler.schedule(this, wait);
      if (isCancelled()) {
        unschedule();
      }
    }

    @Override
    public void run() {
      if (complete(null)) {
        WAITING.getAndAdd(GcraRateLimiter.this, -1);
        acquired(permits, waitNanos);
      }
    }

    private void unschedule() {
      Scheduler.Cancellable handle = scheduled;
      if (handle != null && handle.cancel()) {
        WAITING.getAndAdd(GcraRateLimiter.this, -1);
        refund(reserved[0], permits);
      }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      if (cancelled) {
        unschedule();
      }
      return cancelled;
    }
  }

  // ---- events and metrics ------------------------------------------------------------------------------

  private void acquired(int permits, long waitNanos) {
    if (emitAcquired) {
      listeners.emit(new RateLimiterEvent.Acquired(name, permits, waitNanos));
    }
  }

  private void countRejection(int permits, Rejection why) {
    rejected.increment();
    if (emitRejected) {
      listeners.emit(new RateLimiterEvent.Rejected(name, permits, why));
    }
  }

  @Override
  public long availablePermits() {
    long w = state;
    Params p = ring[slot(w)];
    long d = Math.max(0, clock.nanoTime() - p.base);
    long nowTicks = Rational.saturatedProduct(d, p.l);
    long ahead = tat(w) - nowTicks;
    return ahead <= 0 ? p.burst : p.burst - Rational.ceilDiv(ahead, p.p);
  }

  @Override
  public int waitingCalls() {
    return waiting;
  }

  @Override
  public long rejectedCalls() {
    return rejected.sum();
  }

  @Override
  public String toString() {
    RateLimiterConfig config = config();
    return "RateLimiter[" + name + ", " + config.limitForPeriod() + " per " + config.period() + ", burst "
        + config.burstCapacity() + ", available " + availablePermits() + "]";
  }
}
