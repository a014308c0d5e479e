package dev.bulwark.limit;

import dev.bulwark.Clock;
import dev.bulwark.ContextPropagator;
import dev.bulwark.Deadline;
import dev.bulwark.Scheduler;
import dev.bulwark.internal.Contexts;
import dev.bulwark.internal.PermitCalls;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/*
 * Implementation notes.
 *
 * The bounded wait queue of a LoadShedder. Only calls that found no room use it, so it may allocate (a waiter
 * per call, the deque's node), but it takes no lock.
 *
 * Structure. One ConcurrentLinkedDeque of waiters per priority band (0-24, 25-49, 50-74, 75-99, 100), a live
 * size bounded by maxQueueSize (reserved with a CAS before a waiter is added) and per-band sizes, which let an
 * arriving call see cheaply whether work of its band or higher is already waiting: it must then queue too,
 * rather than take a slot from under the waiters (no barging).
 *
 * Handoff. A waiter's state goes WAITING -> its slot token (by a thread that acquired a slot for it) or WAITING ->
 * CANCELLED (by the waiter itself on timeout, interruption or cancellation, or when it served itself); exactly
 * one CAS wins, and the winner removes the waiter and decrements the sizes. A releasing thread frees its slot
 * first and then, if anyone waits, acquires slots for the best waiters (highest band; oldest first, or newest
 * first when congested) with the waiter's own admission limit, granting each; a slot acquired for a waiter
 * that cancelled at the same moment is released again. The slot counts never change in a handoff, so the
 * global limit holds as everywhere else.
 *
 * No lost wakeup. A waiter reserves its place, adds itself to its deque, and only then tries to acquire once
 * more; a releaser frees its slot (a CAS on the limiter's state) and only then reads the size. With volatile
 * accesses on both sides, either the waiter's retry sees the freed slot or the releaser sees the waiter.
 *
 * CoDel. lastEmptyNanos is when the queue was last empty (set on the 0 -> 1 and 1 -> 0 transitions). If it is
 * more than queueTimeout ago, the queue is standing, not absorbing a burst: newcomers get the short
 * congestedQueueTimeout, and with adaptive LIFO the newest waiter is served first. Waits also end at the
 * operation's Deadline. Races on lastEmptyNanos only shift that judgement by the duration of a race.
 *
 * Context. A granted asynchronous waiter starts on the granting thread, which is running another request's
 * completion and carries that request's context. So awaitAsync captures the configured ContextPropagators on
 * the caller's thread before the call queues, and the waiter installs that snapshot around its start, its
 * completion and its timeout rejection (scheduler thread); the scope restores the granting thread's own
 * context afterwards. Without propagators the snapshot is Contexts.NONE, which installs nothing: the call
 * then sees the granting thread's context, as documented. LimiterCore's paths never look at any of this.
 */
final class WaitQueue {
  static final int BANDS = 5;
  private static final long VIRTUAL_TIME_PARK_NANOS = 1_000_000L;

  private final Shares shares;
  private final Clock clock;
  private final boolean systemClock;
  private final Scheduler scheduler;
  private final int capacity;
  private final long timeoutNanos;
  private final long congestedTimeoutNanos;
  private final boolean lifo;
  private final ContextPropagator[] propagators;
  private final ConcurrentLinkedDeque<Waiter>[] deques;
  private final AtomicInteger size = new AtomicInteger();
  private final AtomicIntegerArray bandSizes = new AtomicIntegerArray(BANDS);
  private volatile long lastEmptyNanos;
  private final LongAdder handedOver = new LongAdder();

  @SuppressWarnings({"unchecked", "rawtypes"}) // generic array creation
  WaitQueue(LoadShedderConfig config, Shares shares, Clock clock, Scheduler scheduler) {
    this.shares = shares;
    this.clock = clock;
    this.systemClock = clock == Clock.system();
    this.scheduler = scheduler;
    this.capacity = config.maxQueueSize();
    this.timeoutNanos = config.queueTimeout().toNanos();
    this.congestedTimeoutNanos = config.congestedQueueTimeout().toNanos();
    this.lifo = config.lifoWhenCongested();
    this.propagators = Contexts.toArray(config.contextPropagators());
    this.deques = new ConcurrentLinkedDeque[BANDS];
    for (int b = 0; b < BANDS; b++) {
      deques[b] = new ConcurrentLinkedDeque<>();
    }
    this.lastEmptyNanos = clock.nanoTime();
  }

  int size() {
    return size.get();
  }

  /** How many waiters a releasing thread granted a slot to. */
  long handedOver() {
    return handedOver.sum();
  }

  /** Tells whether a call of {@code band} must queue behind waiting work of its band or higher. */
  boolean hasWaitersAtOrAbove(int band) {
    if (size.get() == 0) {
      return false;
    }
    for (int b = BANDS - 1; b >= band; b--) {
      if (bandSizes.get(b) > 0) {
        return true;
      }
    }
    return false;
  }

  boolean congested(long now) {
    return size.get() > 0 && now - lastEmptyNanos > timeoutNanos;
  }

  private long waitNanos(long now) {
    return Math.min(congested(now) ? congestedTimeoutNanos : timeoutNanos, Deadline.currentRemainingNanos());
  }

  private boolean reserve(int band, long now) {
    int s;
    do {
      s = size.get();
      if (s >= capacity) {
        return false;
      }
    } while (!size.compareAndSet(s, s + 1));
    if (s == 0) {
      lastEmptyNanos = now;
    }
    bandSizes.incrementAndGet(band);
    return true;
  }

  /** Called by the winner of a waiter's state CAS. */
  private void leave(Waiter w, boolean fromTail) {
    bandSizes.decrementAndGet(w.band);
    if (size.decrementAndGet() == 0) {
      lastEmptyNanos = clock.nanoTime();
    }
    if (fromTail) {
      deques[w.band].removeLastOccurrence(w);
    } else {
      deques[w.band].removeFirstOccurrence(w);
    }
  }

  /**
   * Waits for a slot on the calling thread.
   *
   * @return the token, or -1 if the queue is full, the wait timed out, the deadline passed or the thread was
   *     interrupted (its interrupt flag is then set again)
   */
  long awaitSync(LimiterCore core, Priority priority) {
    long now = clock.nanoTime();
    long timeout = waitNanos(now);
    if (timeout <= 0 || !reserve(priority.band(), now)) {
      return -1;
    }
    Waiter w = new Waiter(priority, Thread.currentThread(), now + timeout);
    deques[w.band].addLast(w);
    long own = core.tryAcquire(shares.admission(priority, core.limit()));
    if (own >= 0) {
      if (w.cancel()) {
        leave(w, true);
        return own;
      }
      core.releaseUnused(own); // granted meanwhile: give the extra slot back
      afterRelease(core);
      return w.token();
    }
    boolean interrupted = false;
    try {
      while (true) {
        if (w.granted()) {
          return w.token();
        }
        long remaining = w.deadline - clock.nanoTime();
        if (remaining <= 0 || interrupted) {
          if (w.cancel()) {
            leave(w, false);
            return -1;
          }
          continue; // granted at the same moment
        }
        LockSupport.parkNanos(this, systemClock ? remaining : Math.min(remaining, VIRTUAL_TIME_PARK_NANOS));
        if (Thread.interrupted()) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Queues an asynchronous call; it starts on the thread that grants it a slot.
   *
   * @return the call's future (failed if a context propagator failed to capture), or {@code null} if the
   *     queue is full or the deadline passed
   */
  <T> CompletableFuture<T> awaitAsync(LoadShedderImpl shedder, LimiterCore core, Priority priority,
      Supplier<? extends CompletionStage<? extends T>> supplier) {
    long now = clock.nanoTime();
    long timeout = waitNanos(now);
    if (timeout <= 0) {
      return null;
    }
    ContextPropagator.Snapshot context;
    try {
      context = Contexts.capture(propagators); // NONE, allocation-free, without propagators
    } catch (RuntimeException | Error captureFailure) {
      return CompletableFuture.failedFuture(captureFailure);
    }
    if (!reserve(priority.band(), now)) {
      return null;
    }
    AsyncWaiter<T> w = new AsyncWaiter<>(priority, now + timeout, now, core, supplier, context);
    deques[w.band].addLast(w);
    long own = core.tryAcquire(shares.admission(priority, core.limit()));
    if (own >= 0) {
      if (w.cancel()) {
        leave(w, true);
        w.onGranted(own);
        return w.result;
      }
      core.releaseUnused(own);
      afterRelease(core);
      return w.result;
    }
    w.timeoutTask = scheduler.schedule(() -> {
      if (w.cancel()) {
        leave(w, false);
        w.fail(shedder.rejected(priority, clock.nanoTime() - w.enqueuedNanos));
      }
    }, timeout);
    w.result.whenComplete((value, failure) -> {
      if (w.result.isCancelled()) {
        if (w.cancel()) {
          leave(w, false);
          Scheduler.Cancellable task = w.timeoutTask;
          if (task != null) {
            task.cancel();
          }
        } else {
          CompletableFuture<T> started = w.started;
          if (started != null) {
            started.cancel(false);
          }
        }
      }
    });
    return w.result;
  }

  /** Called after a slot is freed or the limit grows: grants slots to waiters while there is room. */
  void afterRelease(LimiterCore core) {
    while (size.get() > 0) {
      boolean newestFirst = lifo && congested(clock.nanoTime());
      Waiter w = best(newestFirst);
      if (w == null) {
        return;
      }
      long token = core.tryAcquire(shares.admission(w.priority, core.limit()));
      if (token < 0) {
        return; // no room for the most important waiter, so none for the others
      }
      if (w.grant(token)) {
        leave(w, newestFirst);
        handedOver.increment();
        w.onGranted(token);
      } else {
        core.releaseUnused(token); // it gave up at the same moment: try the next
      }
    }
  }

  private Waiter best(boolean newestFirst) {
    for (int b = BANDS - 1; b >= 0; b--) {
      if (bandSizes.get(b) == 0) {
        continue;
      }
      ConcurrentLinkedDeque<Waiter> deque = deques[b];
      while (true) {
        Waiter w = newestFirst ? deque.peekLast() : deque.peekFirst();
        if (w == null) {
          break;
        }
        if (w.waiting()) {
          return w;
        }
        deque.remove(w); // finished, its winner has not removed it yet: help
      }
    }
    return null;
  }

  /** A call waiting for a slot; the synchronous kind parks its thread. */
  static class Waiter {
    private static final VarHandle STATE;
    // The state word is the grant itself: a granted waiter's state is its slot token (>= 0), so the token
    // and the decision are published by one CAS. (Writing the token before a separate CAS let a losing
    // releaser overwrite the winner's token: the waiter ran on a slot that was released while the
    // winner's slot leaked; ConcurrencyStressTest caught it as inflight 1 after every call had ended.)
    static final long WAITING = -1;
    static final long CANCELLED = -2;

    static {
      try {
        STATE = MethodHandles.lookup().findVarHandle(Waiter.class, "state", long.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    final Priority priority;
    final int band;
    final long deadline;
    private final Thread thread;
    @SuppressWarnings("unused") // accessed through STATE
    private volatile long state = WAITING;

    Waiter(Priority priority, Thread thread, long deadline) {
      this.priority = priority;
      this.band = priority.band();
      this.thread = thread;
      this.deadline = deadline;
    }

    boolean waiting() {
      return state == WAITING;
    }

    boolean granted() {
      return state >= 0;
    }

    /** The granted slot's token; only meaningful once {@link #granted()}. */
    long token() {
      return state;
    }

    boolean grant(long token) {
      return STATE.compareAndSet(this, WAITING, token);
    }

    boolean cancel() {
      return STATE.compareAndSet(this, WAITING, CANCELLED);
    }

    void onGranted(long token) {
      LockSupport.unpark(thread);
    }
  }

  /**
   * An asynchronous call waiting for a slot: granted, it starts on the granting thread, inside its own
   * caller's context ({@link Contexts#NONE} without propagators), as do its completion and its rejection.
   */
  static final class AsyncWaiter<T> extends Waiter {
    final long enqueuedNanos;
    final CompletableFuture<T> result = new CompletableFuture<>();
    private final LimiterCore core;
    private final Supplier<? extends CompletionStage<? extends T>> supplier;
    private final ContextPropagator.Snapshot context;
    volatile Scheduler.Cancellable timeoutTask;
    volatile CompletableFuture<T> started;

    AsyncWaiter(Priority priority, long deadline, long enqueuedNanos, LimiterCore core,
        Supplier<? extends CompletionStage<? extends T>> supplier, ContextPropagator.Snapshot context) {
      super(priority, null, deadline);
      this.enqueuedNanos = enqueuedNanos;
      this.core = core;
      this.supplier = supplier;
      this.context = context;
    }

    /** Installs the caller's context; if a propagator fails, fails the call and returns {@code null}. */
    private ContextPropagator.Scope install(Throwable outcome) {
      return Contexts.installOrFail(context, result, outcome);
    }

    /** Completes the call inside the caller's context. */
    private void finish(T value, Throwable failure) {
      ContextPropagator.Scope scope = install(failure);
      if (scope == null) {
        return;
      }
      try {
        if (failure == null) {
          result.complete(value);
        } else {
          result.completeExceptionally(failure);
        }
      } finally {
        Contexts.closeQuietly(scope);
      }
    }

    void fail(Throwable failure) {
      finish(null, failure);
    }

    @Override
    void onGranted(long token) {
      Scheduler.Cancellable task = timeoutTask;
      if (task != null) {
        task.cancel();
      }
      ContextPropagator.Scope scope = install(null);
      if (scope == null) {
        new SlotPermit(core, token).onIgnore(); // the call never starts: free its slot for the next waiter
        return;
      }
      try {
        CompletableFuture<T> call = PermitCalls.start(new SlotPermit(core, token), core.clock, supplier);
        started = call;
        call.whenComplete(this::finish);
        if (result.isCancelled()) {
          call.cancel(false);
        }
      } finally {
        Contexts.closeQuietly(scope);
      }
    }
  }
}
