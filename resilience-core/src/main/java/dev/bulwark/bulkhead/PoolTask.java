package dev.bulwark.bulkhead;

import dev.bulwark.ContextPropagator;
import dev.bulwark.Deadline;
import dev.bulwark.OutcomeClassifier;
import dev.bulwark.internal.Contexts;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/*
 * Implementation notes
 *
 * One object per submitted call: the future handed to the caller, the Runnable given to the executor, the
 * completion callback of an asynchronous call's inner stage and (for virtual threads) the waiter node.
 *
 * runState moves NEW -> RUNNING (the worker, once) or NEW -> DONE (cancelled or rejected while queued), and
 * RUNNING -> DONE when the call is over. cancel(true) of a running task moves RUNNING -> INTERRUPTING,
 * interrupts the runner and sets INTERRUPTED; the worker, finishing, waits for INTERRUPTED before it clears
 * the flag, so an interrupt meant for this call never lands on the next call the worker runs (the guard of
 * java.util.concurrent.FutureTask).
 *
 * The future is completed while the caller's context is installed, so dependents that run on completion see
 * it; an asynchronous call's inner stage may complete on any thread, so its callback installs the context
 * again around the completion.
 */
final class PoolTask<T> extends ContextualFuture<T>
    implements Runnable, BiConsumer<T, Throwable>, SemaphoreBulkhead.Waiter {
  private static final VarHandle RUN_STATE;
  private static final VarHandle WAITER_STATE;

  static {
    try {
      MethodHandles.Lookup lookup = MethodHandles.lookup();
      RUN_STATE = lookup.findVarHandle(PoolTask.class, "runState", int.class);
      WAITER_STATE = lookup.findVarHandle(PoolTask.class, "waiterState", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static final int NEW = 0;
  private static final int RUNNING = 1;
  private static final int DONE = 2;
  private static final int INTERRUPTING = 3;
  private static final int INTERRUPTED = 4;

  private final AbstractThreadPoolBulkhead owner;
  private final Callable<? extends T> callable;
  private final Supplier<? extends CompletionStage<? extends T>> supplier;
  private final Deadline deadline;
  final long submittedAt;
  private volatile int runState;
  private volatile int waiterState;
  private volatile Thread runner;
  private volatile CompletionStage<? extends T> inner;

  PoolTask(AbstractThreadPoolBulkhead owner, ContextPropagator.Snapshot snapshot, Callable<? extends T> callable,
      Supplier<? extends CompletionStage<? extends T>> supplier, Deadline deadline, long submittedAt) {
    super(snapshot);
    this.owner = owner;
    this.callable = callable;
    this.supplier = supplier;
    this.deadline = deadline;
    this.submittedAt = submittedAt;
  }

  @Override
  public void run() {
    runner = Thread.currentThread();
    boolean started = RUN_STATE.compareAndSet(this, NEW, RUNNING);
    try {
      if (started) {
        owner.started(this);
        runInContext();
      }
    } finally {
      if (started) {
        finishRun();
      }
      runner = null;
      owner.finished(this, started);
    }
  }

  private void runInContext() {
    ContextPropagator.Scope scope;
    try {
      scope = snapshot.install();
    } catch (Throwable failure) {
      completeExceptionally(failure);
      return;
    }
    try {
      if (deadline != null && deadline.isExpired()) {
        completeExceptionally(owner.deadlinePassed(this));
      } else if (callable != null) {
        complete(deadline == null ? callable.call() : deadline.call(callable));
      } else {
        CompletionStage<? extends T> stage = deadline == null ? supplier.get() : deadline.call(supplier::get);
        if (stage == null) {
          throw new NullPointerException("the supplier returned a null CompletionStage");
        }
        inner = stage;
        if (isCancelled()) {
          cancelInner(false);
        }
        stage.whenComplete(this);
      }
    } catch (Throwable failure) {
      completeExceptionally(failure);
    } finally {
      Contexts.closeQuietly(scope);
    }
  }

  /** Completes with the inner stage's outcome, inside the caller's context. */
  @Override
  public void accept(T value, Throwable failure) {
    ContextPropagator.Scope scope;
    try {
      scope = snapshot.install();
    } catch (Throwable installFailure) {
      completeExceptionally(installFailure);
      return;
    }
    try {
      if (failure == null) {
        complete(value);
      } else {
        completeExceptionally(OutcomeClassifier.unwrap(failure));
      }
    } finally {
      Contexts.closeQuietly(scope);
    }
  }

  private void finishRun() {
    if (!RUN_STATE.compareAndSet(this, RUNNING, DONE)) {
      // a canceller is interrupting this call: let its interrupt land, then clear it for the next call
      while (runState == INTERRUPTING) {
        Thread.onSpinWait();
      }
      Thread.interrupted();
    }
  }

  /** Marks a task that never started as done; returns whether this call did. */
  boolean abandonIfNew() {
    return RUN_STATE.compareAndSet(this, NEW, DONE);
  }

  /** Fails a task that never started (rejected or shut down), if it has not started yet. */
  boolean rejectIfNew(Throwable rejection) {
    if (abandonIfNew()) {
      completeExceptionally(rejection);
      return true;
    }
    return false;
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    if (cancelled) {
      if (abandonIfNew()) {
        owner.dequeue(this);
      } else if (mayInterruptIfRunning && RUN_STATE.compareAndSet(this, RUNNING, INTERRUPTING)) {
        try {
          Thread thread = runner;
          if (thread != null) {
            thread.interrupt();
          }
        } finally {
          runState = INTERRUPTED;
        }
      }
      cancelInner(mayInterruptIfRunning);
    }
    return cancelled;
  }

  private void cancelInner(boolean mayInterruptIfRunning) {
    CompletionStage<? extends T> stage = inner;
    if (stage != null) {
      try {
        stage.toCompletableFuture().cancel(mayInterruptIfRunning);
      } catch (UnsupportedOperationException cannotCancel) {
        // a stage that cannot be converted cannot be cancelled either
      }
    }
  }

  // ---- the waiter node, for the virtual-thread bulkhead -----------------------------------------------------

  @Override
  public boolean resolve(int outcome) {
    return WAITER_STATE.compareAndSet(this, WAITING, outcome);
  }

  @Override
  public void granted() {
    owner.grantedFromQueue(this);
  }

  @Override
  public void shutDown() {
    owner.shutDownWhileQueued(this);
  }

  @Override
  public String toString() {
    return "PoolTask[" + owner.name() + ", runState=" + runState + ", " + super.toString() + "]";
  }
}
