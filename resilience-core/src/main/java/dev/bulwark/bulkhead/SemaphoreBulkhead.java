package dev.bulwark.bulkhead;

import dev.bulwark.Clock;
import dev.bulwark.ContextPropagator;
import dev.bulwark.Deadline;
import dev.bulwark.Permit;
import dev.bulwark.Scheduler;
import dev.bulwark.Sleeper;
import dev.bulwark.bulkhead.BulkheadFullException.Rejection;
import dev.bulwark.internal.Check;
import dev.bulwark.internal.Contexts;
import dev.bulwark.internal.Listeners;
import dev.bulwark.internal.PaddedState;
import dev.bulwark.internal.PermitCalls;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/*
 * Implementation notes
 *
 * State. One 64-bit word, `state`, holds the limit (high 32 bits) and the number of slots held (low 32 bits,
 * "in flight"); both are non-negative ints. Every admission is a CAS of that word that raises the count only
 * while count < limit, so an admission is always checked against the limit in force at that instant, and a
 * limit change (a CAS of the high half) can neither lose nor duplicate a slot. Lowering the limit below the
 * count is allowed: the count drains above it and nobody is admitted until it is below.
 *
 * Fast path. tryAcquireSlot() reads `waiting` (callers queued) and, if nobody queues, CASes count+1 while
 * count < limit. Release, when nobody queues, is one atomic add of -1 (it cannot fail, so it needs no retry
 * loop under contention). No allocation, no lock, one atomic instruction each way.
 *
 * Waiting. Callers that may wait (maxWait > 0) increment `waiting` (bounded by maxWaitingCalls, by CAS),
 * enqueue a Waiter node on a ConcurrentLinkedQueue (lock-free, FIFO) and call dispatch(). A node moves once,
 * by CAS, from WAITING to exactly one of GRANTED (by a dispatcher, who then owns the node and has given it a
 * slot), CANCELLED (by its waiter: timeout, interrupt, cancellation) or SHUT_DOWN (close()). Whoever wins
 * that CAS decrements `waiting` and removes the node, so each node leaves the count exactly once.
 *
 * Hand-off and FIFO. While anyone queues, newcomers do not take the fast path (they queue behind), and a
 * releasing caller gives its slot straight to the oldest waiting node instead of decrementing the count,
 * unless the count is above the limit (then it drains). dispatch() admits waiters whenever count < limit:
 * it CASes count+1, polls the oldest live node and grants it; if no live node is left it gives the slot
 * back and looks again.
 *
 * No lost wake-up (a Dekker pattern over volatile variables, which are sequentially consistent): a waiter
 * writes its node into the queue and then reads `state` (in dispatch); a releaser writes `state` (its CAS)
 * and then reads `waiting`/the queue (dispatch). In any interleaving one of them sees the other: either the
 * waiter's dispatch sees the freed slot, or the releaser's dispatch sees the node. The waiter increments
 * `waiting` before it enqueues, so a releaser that reads waiting == 0 precedes the enqueue entirely.
 *
 * Harmless races. A newcomer that read waiting == 0 just before a waiter enqueued may take a slot freed at
 * the same moment: the two arrivals were concurrent, so either order is FIFO. A hand-off decided just
 * before a concurrent limit decrease keeps the count above the new limit for one more call: the hand-off
 * linearizes before the change. Metrics read `state` and `waiting` separately and may be a moment apart.
 *
 * Asynchronous waiters (callAsync) are nodes whose grant starts the call on the granting thread; a
 * trampoline keeps a chain of synchronously completing calls from growing the stack. Their timeout runs on
 * the Scheduler and races the grant through the same node CAS.
 *
 * Context. A granted asynchronous waiter starts on the granting thread: the one that released a slot (its
 * own request's context still installed) or raised the limit. So callAsync captures the configured
 * ContextPropagators on the caller's thread when the call queues, and the waiter installs that snapshot
 * around its start, its completion and its rejection (timeout on the scheduler thread, shut-down on the
 * closing thread); the scope restores the granting thread's own context afterwards. Without propagators the
 * snapshot is Contexts.NONE, which installs nothing: the call then sees the granting thread's context, as
 * documented. Only the queueing path captures; tryAcquireSlot, releaseSlot and the sync paths never look.
 */
final class SemaphoreBulkhead extends PaddedState implements Bulkhead, Bulkhead.Metrics {
  private static final VarHandle WAITING;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      WAITING = lookup.findVarHandle(SemaphoreBulkhead.class, "waiting", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  // The word is `state`, inherited from PaddedState (alone on its cache lines: every call CASes it):
  // bits 63..32: the limit; bits 31..0: slots held. Both non-negative ints.
  /** Callers queued (or about to be): bounded by maxWaitingCalls. Accessed through WAITING. */
  private volatile int waiting;
  private volatile boolean closed;

  private final String name;
  private final BulkheadConfig config;
  private final Clock clock;
  private final Sleeper sleeper;
  private final boolean parks;
  private final Scheduler scheduler;
  private final Listeners<BulkheadEvent> listeners;
  private final boolean emitPermitted;
  private final boolean emitRejected;
  private final boolean emitFinished;
  private final ContextPropagator[] propagators;
  private final ConcurrentLinkedQueue<Waiter> queue = new ConcurrentLinkedQueue<>();
  private final LongAdder rejected = new LongAdder();
  /** Releases a slot on every call: only for paths that complete it exactly once by construction. */
  private final Permit slotPermit = new SlotPermit();

  SemaphoreBulkhead(String name, BulkheadConfig config, Clock clock, Sleeper sleeper, Scheduler scheduler,
      Listeners<BulkheadEvent> listeners) {
    this.name = Check.name("name", name);
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.parks = sleeper == Sleeper.parking();
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    this.listeners = Objects.requireNonNull(listeners, "listeners");
    this.emitPermitted = listeners.wants(BulkheadEvent.CallPermitted.class);
    this.emitRejected = listeners.wants(BulkheadEvent.CallRejected.class);
    this.emitFinished = listeners.wants(BulkheadEvent.CallFinished.class);
    this.propagators = Contexts.toArray(config.contextPropagators());
    this.state = pack(config.maxConcurrentCalls(), 0);
  }

  // ---- the packed word ---------------------------------------------------------------------------------

  static long pack(int limit, int inFlight) {
    return ((long) limit << 32) | (inFlight & 0xFFFF_FFFFL);
  }

  static int limit(long state) {
    return (int) (state >>> 32);
  }

  static int inFlight(long state) {
    return (int) state;
  }

  private boolean casState(long expected, long next) {
    return STATE.compareAndSet(this, expected, next);
  }

  // ---- Policy and PermitPolicy -------------------------------------------------------------------------

  @Override
  public String name() {
    return name;
  }

  @Override
  public BulkheadConfig config() {
    return config;
  }

  @Override
  public Metrics metrics() {
    return this;
  }

  @Override
  public <T> T call(Callable<? extends T> callable) throws Exception {
    Objects.requireNonNull(callable, "callable");
    acquireSlot();
    try {
      return callable.call();
    } finally {
      finished();
    }
  }

  /** The decorator path, without the generic bridge: acquire, call, release in a finally. */
  @Override
  public <T> Supplier<T> decorate(Supplier<? extends T> supplier) {
    Objects.requireNonNull(supplier, "supplier");
    return () -> {
      acquireSlot();
      try {
        return supplier.get();
      } finally {
        finished();
      }
    };
  }

  @Override
  public <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<? extends T>> supplier) {
    Objects.requireNonNull(supplier, "supplier");
    if (tryAcquireSlot()) {
      if (emitPermitted) {
        listeners.emit(new BulkheadEvent.CallPermitted(name, 0));
      }
      return PermitCalls.start(slotPermit, clock, supplier);
    }
    long wait = maxWaitNow();
    if (wait <= 0 || closed) {
      return CompletableFuture.failedFuture(rejectNow(wait));
    }
    if (!enterWaiting()) {
      return CompletableFuture.failedFuture(rejection(Rejection.TOO_MANY_WAITING, 0));
    }
    ContextPropagator.Snapshot context;
    try {
      context = Contexts.capture(propagators); // NONE, allocation-free, without propagators
    } catch (RuntimeException | Error captureFailure) {
      leaveWaiting();
      return CompletableFuture.failedFuture(captureFailure);
    }
    AsyncWaiter<T> waiter = new AsyncWaiter<>(supplier, clock.nanoTime(), wait,
        wait < config.maxWaitNanos(), context);
    enqueue(waiter);
    if (waiter.isWaiting()) {
      waiter.setTimeout(scheduler.schedule(waiter::timeOut, wait));
    }
    return waiter;
  }

  @Override
  public Permit tryAcquirePermit() {
    if (tryAcquireSlot()) {
      if (emitPermitted) {
        listeners.emit(new BulkheadEvent.CallPermitted(name, 0));
      }
      return new OncePermit();
    }
    if (!closed) {
      countRejection(Rejection.FULL);
    }
    return null;
  }

  @Override
  public Permit acquirePermit() {
    acquireSlot();
    return new OncePermit();
  }

  @Override
  public void changeMaxConcurrentCalls(int maxConcurrentCalls) {
    Check.inRange("maxConcurrentCalls", maxConcurrentCalls, 1, BulkheadConfig.MAX_CONCURRENT_CALLS_LIMIT);
    long s;
    do {
      if (closed) {
        throw new IllegalStateException("bulkhead '" + name + "' is closed; its limit cannot change");
      }
      s = state;
    } while (!casState(s, pack(maxConcurrentCalls, inFlight(s))));
    int previous = limit(s);
    if (maxConcurrentCalls > previous) {
      dispatch();
    }
    if (previous != maxConcurrentCalls && listeners.wants(BulkheadEvent.LimitChanged.class)) {
      listeners.emit(new BulkheadEvent.LimitChanged(name, previous, maxConcurrentCalls));
    }
  }

  // ---- Metrics ------------------------------------------------------------------------------------------

  @Override
  public int availablePermits() {
    long s = state;
    return Math.max(0, limit(s) - inFlight(s));
  }

  @Override
  public int maxConcurrentCalls() {
    return limit(state);
  }

  @Override
  public int concurrentCalls() {
    return inFlight(state);
  }

  @Override
  public int waitingCalls() {
    return waiting;
  }

  @Override
  public long rejectedCalls() {
    return rejected.sum();
  }

  // ---- acquiring and releasing slots ---------------------------------------------------------------------

  /** Takes a slot without waiting: one CAS; refuses while others queue, so nobody overtakes them. */
  boolean tryAcquireSlot() {
    if (waiting != 0) {
      return false;
    }
    long s;
    while (inFlight(s = state) < limit(s)) {
      if (casState(s, s + 1)) {
        return true;
      }
    }
    return false;
  }

  /** Takes a slot, waiting if configured to; throws the rejection otherwise. */
  private void acquireSlot() {
    if (tryAcquireSlot()) {
      if (emitPermitted) {
        listeners.emit(new BulkheadEvent.CallPermitted(name, 0));
      }
      return;
    }
    acquireSlow();
  }

  /** The wait allowed now: maxWait, shortened by the current deadline. */
  private long maxWaitNow() {
    long maxWait = config.maxWaitNanos();
    return maxWait == 0 ? 0 : Math.min(maxWait, Deadline.currentRemainingNanos());
  }

  private RuntimeException rejectNow(long wait) {
    if (closed) {
      return new BulkheadShutDownException(name, false);
    }
    return rejection(config.maxWaitNanos() == 0 ? Rejection.FULL : Rejection.DEADLINE_EXCEEDED, 0);
  }

  private void acquireSlow() {
    long wait = maxWaitNow();
    if (wait <= 0 || closed) {
      throw rejectNow(wait);
    }
    if (!enterWaiting()) {
      throw rejection(Rejection.TOO_MANY_WAITING, 0);
    }
    boolean deadlineBound = wait < config.maxWaitNanos();
    long start = clock.nanoTime();
    ThreadWaiter waiter = new ThreadWaiter(Thread.currentThread());
    enqueue(waiter);
    boolean interrupted = false;
    long elapsed;
    for (;;) {
      int st = waiter.state;
      elapsed = clock.nanoTime() - start;
      if (st == Waiter.GRANTED) {
        break;
      }
      if (st == Waiter.SHUT_DOWN) {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
        throw new BulkheadShutDownException(name, true);
      }
      long remaining = wait - elapsed;
      if (remaining <= 0 || interrupted) {
        if (waiter.resolve(Waiter.CANCELLED)) {
          abandon(waiter);
          if (interrupted) {
            Thread.currentThread().interrupt();
            throw rejection(Rejection.INTERRUPTED, elapsed);
          }
          throw rejection(deadlineBound ? Rejection.DEADLINE_EXCEEDED : Rejection.WAIT_TIMED_OUT, elapsed);
        }
        continue; // resolved concurrently: granted or shut down; read the outcome
      }
      if (parks) {
        LockSupport.parkNanos(this, remaining);
        interrupted |= Thread.interrupted();
      } else {
        try {
          sleeper.sleep(remaining);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      // the slot came with the interrupt: give it back (to the next waiter) and honour the interrupt
      releaseSlot();
      Thread.currentThread().interrupt();
      throw rejection(Rejection.INTERRUPTED, elapsed);
    }
    if (emitPermitted) {
      listeners.emit(new BulkheadEvent.CallPermitted(name, elapsed));
    }
  }

  /** Reserves a place among the waiters, by CAS, if fewer than maxWaitingCalls wait. */
  boolean enterWaiting() {
    int max = config.maxWaitingCalls();
    int w;
    do {
      w = waiting;
      if (w >= max) {
        return false;
      }
    } while (!WAITING.compareAndSet(this, w, w + 1));
    return true;
  }

  private void leaveWaiting() {
    WAITING.getAndAdd(this, -1);
  }

  /** Queues a node whose place was reserved by enterWaiting(), then admits whoever can be admitted. */
  void enqueue(Waiter waiter) {
    queue.offer(waiter);
    if (closed && waiter.resolve(Waiter.SHUT_DOWN)) {
      // close() may have drained the queue before the node arrived: resolve it here
      abandon(waiter);
      waiter.shutDown();
      return;
    }
    dispatch();
  }

  /** Takes a node that its own side resolved (cancelled, shut down) out of the count and the queue. */
  void abandon(Waiter waiter) {
    leaveWaiting();
    queue.remove(waiter);
  }

  /** Gives a slot back: to the oldest waiter if one queues and the count is within the limit. */
  void releaseSlot() {
    if (waiting == 0) {
      // nobody queues: one atomic add, which cannot fail under contention (the count is >= 1, so it never
      // borrows from the limit's half); then the Dekker re-check, as below
      STATE.getAndAdd(this, -1L);
      if (waiting != 0) {
        dispatch();
      }
      return;
    }
    for (;;) {
      long s = state;
      if (waiting != 0 && inFlight(s) <= limit(s) && grantNext()) {
        return; // the slot passed to the waiter: the count is unchanged
      }
      if (casState(s, s - 1)) {
        break;
      }
    }
    if (waiting != 0) {
      dispatch();
    }
  }

  /** Admits waiters while slots are free: the slot is taken by CAS first, then handed to the oldest node. */
  private void dispatch() {
    while (queue.peek() != null) {
      long s = state;
      if (inFlight(s) >= limit(s)) {
        return; // full: whoever holds a slot dispatches when releasing it
      }
      if (casState(s, s + 1) && !grantNext()) {
        giveBack(); // no live node after all; look again, one may have arrived meanwhile
      }
    }
  }

  private void giveBack() {
    long s;
    do {
      s = state;
    } while (!casState(s, s - 1));
  }

  /** Polls the oldest live node and grants it the caller's slot. */
  private boolean grantNext() {
    for (Waiter w; (w = queue.poll()) != null; ) {
      if (w.resolve(Waiter.GRANTED)) {
        leaveWaiting();
        w.granted();
        return true;
      }
    }
    return false;
  }

  /**
   * Refuses every later acquisition and rejects the queued callers with a {@link BulkheadShutDownException};
   * slots already held are released as usual. Used by the virtual-thread bulkhead.
   *
   * @return how many queued callers were rejected
   */
  int close() {
    closed = true;
    long s;
    do {
      s = state;
    } while (!casState(s, pack(0, inFlight(s))));
    int rejectedWaiters = 0;
    for (Waiter w; (w = queue.poll()) != null; ) {
      if (w.resolve(Waiter.SHUT_DOWN)) {
        leaveWaiting();
        w.shutDown();
        rejectedWaiters++;
      }
    }
    return rejectedWaiters;
  }

  boolean isClosed() {
    return closed;
  }

  private BulkheadFullException rejection(Rejection why, long waitedNanos) {
    countRejection(why);
    return new BulkheadFullException(name, why, limit(state), config.maxWaitingCalls(), waitedNanos);
  }

  private void countRejection(Rejection why) {
    rejected.increment();
    if (emitRejected) {
      listeners.emit(new BulkheadEvent.CallRejected(name, why));
    }
  }

  private void finished() {
    releaseSlot();
    if (emitFinished) {
      listeners.emit(new BulkheadEvent.CallFinished(name));
    }
  }

  @Override
  public String toString() {
    long s = state;
    return "Bulkhead[" + name + ", " + inFlight(s) + "/" + limit(s) + " in flight, " + waiting + " waiting]";
  }

  // ---- permits -----------------------------------------------------------------------------------------

  /** Releases a slot on every call; shared, so it must only be used where one completion is guaranteed. */
  private final class SlotPermit implements Permit {
    @Override
    public void onSuccess(long durationNanos) {
      finished();
    }

    @Override
    public void onResult(long durationNanos, Object result) {
      finished();
    }

    @Override
    public void onFailure(long durationNanos, Throwable failure) {
      finished();
    }

    @Override
    public void release() {
      finished();
    }
  }

  /**
   * The permit of the public permit layer: releases its slot on the first completion only, so completing
   * twice (or from two threads at once) never returns someone else's slot. One small object per permit:
   * telling a second completion from a first needs an identity per acquisition. The decorator methods do
   * not use it and allocate nothing.
   */
  private final class OncePermit implements Permit {
    private static final int OPEN = 0;
    private static final int DONE = 1;
    private volatile int done;

    private void complete() {
      if (done == OPEN && ONCE.compareAndSet(this, OPEN, DONE)) {
        finished();
      }
    }

    @Override
    public void onSuccess(long durationNanos) {
      complete();
    }

    @Override
    public void onResult(long durationNanos, Object result) {
      complete();
    }

    @Override
    public void onFailure(long durationNanos, Throwable failure) {
      complete();
    }

    @Override
    public void release() {
      complete();
    }
  }

  private static final VarHandle ONCE;
  private static final VarHandle NODE_STATE;
  private static final VarHandle ASYNC_STATE;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      ONCE = lookup.findVarHandle(OncePermit.class, "done", int.class);
      NODE_STATE = lookup.findVarHandle(ThreadWaiter.class, "state", int.class);
      ASYNC_STATE = lookup.findVarHandle(AsyncWaiter.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  // ---- waiters -----------------------------------------------------------------------------------------

  /** A queued caller. Its state moves once, by CAS, from WAITING to one of the three outcomes. */
  interface Waiter {
    int WAITING = 0;
    int GRANTED = 1;
    int CANCELLED = 2;
    int SHUT_DOWN = 3;

    /**
     * Moves the node from WAITING to {@code outcome}.
     *
     * @return whether this call made the move
     */
    boolean resolve(int outcome);

    /** Called once, by the dispatcher, after the node was granted a slot and left the count. */
    void granted();

    /** Called once, after the node was resolved as SHUT_DOWN and left the count. */
    void shutDown();
  }

  /** A synchronous caller parked in acquireSlow(). */
  private static final class ThreadWaiter implements Waiter {
    final Thread thread;
    volatile int state;

    ThreadWaiter(Thread thread) {
      this.thread = thread;
    }

    @Override
    public boolean resolve(int outcome) {
      return NODE_STATE.compareAndSet(this, WAITING, outcome);
    }

    @Override
    public void granted() {
      LockSupport.unpark(thread);
    }

    @Override
    public void shutDown() {
      LockSupport.unpark(thread);
    }
  }

  /** Grants run user code (starting calls); this keeps a chain of them from nesting on one stack. */
  private static final ThreadLocal<ArrayDeque<Runnable>> TRAMPOLINE = new ThreadLocal<>();

  static void runTrampolined(Runnable task) {
    ArrayDeque<Runnable> pending = TRAMPOLINE.get();
    if (pending != null) {
      pending.add(task);
      return;
    }
    pending = new ArrayDeque<>();
    TRAMPOLINE.set(pending);
    try {
      for (Runnable next = task; next != null; next = pending.poll()) {
        try {
          next.run();
        } catch (RuntimeException | Error e) {
          // a start never throws (PermitCalls.start catches); keep draining whatever happens
        }
      }
    } finally {
      TRAMPOLINE.remove();
    }
  }

  /**
   * An asynchronous caller: the future returned by callAsync, completed by the call started on grant. It
   * starts, completes and is rejected inside its own caller's context ({@link Contexts#NONE} without
   * propagators), never the granting thread's.
   */
  private final class AsyncWaiter<T> extends CompletableFuture<T>
      implements Waiter, BiConsumer<T, Throwable>, Runnable {
    private final Supplier<? extends CompletionStage<? extends T>> supplier;
    private final long start;
    private final long wait;
    private final boolean deadlineBound;
    private final ContextPropagator.Snapshot context;
    volatile int state;
    private volatile dev.bulwark.Scheduler.Cancellable timeout;
    private volatile CompletableFuture<T> running;

    AsyncWaiter(Supplier<? extends CompletionStage<? extends T>> supplier, long start, long wait,
        boolean deadlineBound, ContextPropagator.Snapshot context) {
      this.supplier = supplier;
      this.start = start;
      this.wait = wait;
      this.deadlineBound = deadlineBound;
      this.context = context;
    }

    /** Installs the caller's context; if a propagator fails, fails this call and returns {@code null}. */
    private ContextPropagator.Scope install(Throwable outcome) {
      return Contexts.installOrFail(context, this, outcome);
    }

    /** Fails this call inside the caller's context. */
    private void fail(Throwable failure) {
      ContextPropagator.Scope scope = install(failure);
      if (scope == null) {
        return;
      }
      try {
        completeExceptionally(failure);
      } finally {
        Contexts.closeQuietly(scope);
      }
    }

    boolean isWaiting() {
      return state == WAITING;
    }

    void setTimeout(dev.bulwark.Scheduler.Cancellable handle) {
      timeout = handle;
      if (state != WAITING) {
        handle.cancel(); // resolved before the handle was stored: the resolver could not cancel it
      }
    }

    private void cancelTimeout() {
      dev.bulwark.Scheduler.Cancellable handle = timeout;
      if (handle != null) {
        handle.cancel();
      }
    }

    @Override
    public boolean resolve(int outcome) {
      return ASYNC_STATE.compareAndSet(this, WAITING, outcome);
    }

    @Override
    public void granted() {
      cancelTimeout();
      runTrampolined(this);
    }

    /** Starts the call under the granted slot (on the granting thread, trampolined), in the caller's context. */
    @Override
    public void run() {
      ContextPropagator.Scope scope = install(null);
      if (scope == null) {
        slotPermit.release(); // the call never starts: its slot goes to the next waiter
        return;
      }
      try {
        if (emitPermitted) {
          listeners.emit(new BulkheadEvent.CallPermitted(name, clock.nanoTime() - start));
        }
        CompletableFuture<T> call = PermitCalls.start(slotPermit, clock, supplier);
        running = call;
        if (isCancelled()) {
          call.cancel(false);
        }
        call.whenComplete(this);
      } finally {
        Contexts.closeQuietly(scope);
      }
    }

    /** The call is over, on whichever thread completed it: completes this future in the caller's context. */
    @Override
    public void accept(T value, Throwable failure) {
      ContextPropagator.Scope scope = install(failure);
      if (scope == null) {
        return;
      }
      try {
        if (failure == null) {
          complete(value);
        } else {
          completeExceptionally(failure);
        }
      } finally {
        Contexts.closeQuietly(scope);
      }
    }

    @Override
    public void shutDown() {
      cancelTimeout();
      fail(new BulkheadShutDownException(name, true));
    }

    void timeOut() {
      if (resolve(CANCELLED)) {
        abandon(this);
        long waited = clock.nanoTime() - start;
        fail(rejection(deadlineBound ? Rejection.DEADLINE_EXCEEDED : Rejection.WAIT_TIMED_OUT, waited));
      }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      if (cancelled) {
        if (resolve(CANCELLED)) {
          abandon(this);
          cancelTimeout();
        } else {
          CompletableFuture<T> call = running;
          if (call != null) {
            call.cancel(mayInterruptIfRunning); // releases the slot if the call has not completed
          }
        }
      }
      return cancelled;
    }

    @Override
    public String toString() {
      return "AsyncWaiter[" + name + ", state=" + state + "]";
    }
  }
}
