package dev.bulwark.timeout;

import dev.bulwark.ContextPropagator;
import dev.bulwark.Deadline;
import dev.bulwark.OutcomeClassifier;
import dev.bulwark.Scheduler;
import dev.bulwark.internal.Check;
import dev.bulwark.internal.Contexts;
import dev.bulwark.internal.Exceptions;
import dev.bulwark.internal.Listeners;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The timeout policy.
 *
 * <pre>
 * Implementation notes
 *
 * Who wins: the call's completion and the expiry race; each side completes a future, and whichever
 * completion succeeds decides the outcome (FutureTask's state CAS for sync calls, CompletableFuture's for
 * async ones). Metrics and events follow only the winning completion, so each call counts exactly once.
 *
 * Sync: the call runs as a FutureTask on the executor; the caller waits in FutureTask.get() (it parks, so a
 * virtual caller does not pin its carrier). The expiry is scheduled before the task is handed to the executor,
 * so a running task always has one; an expiry that fires before the task starts cancels it, and a cancelled
 * FutureTask never runs. Expiry, on the scheduler, first sets `timedOut` and then cancels the task; the caller seeing CancellationException with `timedOut` set knows it timed out. FutureTask only
 * interrupts the runner while the task runs, and a pool clears the flag before its next task, so an
 * interrupt never leaks into someone else's work.
 *
 * Async: AsyncCall is the returned future, the callback of the call's stage and the expiry task in one
 * object. The expiry is scheduled after the callback is attached and cancelled by whichever side completes
 * first; a lost cancellation only means a late no-op.
 *
 * Context: the sync call leaves the caller's thread, so with ContextPropagators configured it captures them on
 * the caller's thread (before the expiry is scheduled: a failing capture starts nothing) and the task installs
 * that snapshot around the call on the executor thread, closing it before the result is published, so the
 * worker is clean when the caller resumes and when the pool reuses it. The async call stays on the caller's
 * thread and completes on the stage's thread, except at expiry, which completes the returned future on the
 * scheduler thread; so AsyncCall keeps the snapshot and installs it around the expiry only (the completion,
 * and so a fallback chained on it, and the cancellation of the stage). Without propagators nothing is
 * captured: the sync task is the same one lambda as before, the async call keeps a null.
 * </pre>
 */
final class TimeoutImpl implements Timeout, Timeout.Metrics {
  private final String name;
  private final TimeoutConfig config;
  private final long timeoutNanos;
  private final boolean cancelRunningWork;
  private final Scheduler scheduler;
  private final Executor executor;
  private final ContextPropagator[] propagators;
  private final Listeners<TimeoutEvent> listeners;
  private final LongAdder successful = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder timedOut = new LongAdder();

  TimeoutImpl(Timeout.Builder b) {
    this.name = b.name;
    this.config = b.config;
    this.timeoutNanos = Check.saturatedNanos(config.timeout());
    this.cancelRunningWork = config.cancelRunningWork();
    this.scheduler = b.scheduler != null ? b.scheduler : Scheduler.defaultScheduler();
    this.executor = b.executor != null ? b.executor : TimeoutThreads.defaultExecutor();
    this.propagators = Contexts.toArray(config.contextPropagators());
    this.listeners = b.listeners.build();
  }

  @Override
  public <T> T call(Callable<? extends T> callable) throws Exception {
    Objects.requireNonNull(callable, "callable");
    Deadline deadline = Deadline.current();
    long remaining = deadline == null ? Long.MAX_VALUE : deadline.remainingNanos();
    boolean byDeadline = remaining < timeoutNanos;
    long limit = byDeadline ? remaining : timeoutNanos;
    if (limit <= 0) {
      recordTimeout(0, true);
      throw new TimeoutExceededException(name, timeoutNanos, 0, true);
    }
    ContextPropagator.Snapshot context = propagators.length == 0 ? null : Contexts.capture(propagators);
    SyncCall<T> task = new SyncCall<>(callable, deadline, context);
    // expiry first: once the work has started, its expiry exists; a task cancelled before it runs never starts
    Scheduler.Cancellable expiry = scheduler.schedule(task::expire, limit);
    try {
      executor.execute(task);
    } catch (RuntimeException | Error notStarted) {
      expiry.cancel();
      throw notStarted;
    }
    try {
      T value = task.get();
      successful.increment();
      return value;
    } catch (ExecutionException e) {
      failed.increment();
      throw Exceptions.sneakyThrow(e.getCause());
    } catch (CancellationException e) {
      if (task.timedOut) {
        recordTimeout(limit, byDeadline);
        throw new TimeoutExceededException(name, timeoutNanos, limit, byDeadline);
      }
      throw e;
    } catch (InterruptedException e) {
      task.cancel(cancelRunningWork);
      Thread.currentThread().interrupt();
      throw e;
    } finally {
      expiry.cancel();
    }
  }

  /** Counts a timeout and tells the listeners; called once the timeout has won. */
  void recordTimeout(long waitedNanos, boolean byDeadline) {
    timedOut.increment();
    if (listeners.wants(TimeoutEvent.TimedOut.class)) {
      listeners.emit(new TimeoutEvent.TimedOut(name, config.timeout(), Duration.ofNanos(Math.max(0, waitedNanos)),
          byDeadline));
    }
  }

  /** The synchronous call, run on another thread; {@code timedOut} is set before expiry cancels it. */
  private final class SyncCall<T> extends FutureTask<T> {
    volatile boolean timedOut;

    SyncCall(Callable<? extends T> callable, Deadline deadline, ContextPropagator.Snapshot context) {
      super(context != null ? inContext(callable, deadline, context)
          : deadline == null ? callable::call : () -> deadline.call(callable));
    }

    void expire() {
      timedOut = true;
      cancel(cancelRunningWork);
    }
  }

  /** The call on the executor thread, inside the caller's context, which is closed before the result is set. */
  private static <T> Callable<T> inContext(Callable<? extends T> callable, Deadline deadline,
      ContextPropagator.Snapshot context) {
    return () -> {
      ContextPropagator.Scope scope = context.install();
      try {
        return deadline == null ? callable.call() : deadline.call(callable);
      } finally {
        Contexts.closeQuietly(scope);
      }
    };
  }

  @Override
  public <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<? extends T>> supplier) {
    Objects.requireNonNull(supplier, "supplier");
    long remaining = Deadline.currentRemainingNanos();
    boolean byDeadline = remaining < timeoutNanos;
    long limit = byDeadline ? remaining : timeoutNanos;
    if (limit <= 0) {
      recordTimeout(0, true);
      return CompletableFuture.failedFuture(new TimeoutExceededException(name, timeoutNanos, 0, true));
    }
    ContextPropagator.Snapshot context = null;
    if (propagators.length != 0) {
      try {
        context = Contexts.capture(propagators);
      } catch (RuntimeException | Error captureFailure) {
        return CompletableFuture.failedFuture(captureFailure);
      }
    }
    CompletionStage<? extends T> stage;
    try {
      stage = Objects.requireNonNull(supplier.get(), "the supplier returned a null CompletionStage");
    } catch (Throwable failure) {
      failed.increment();
      return CompletableFuture.failedFuture(failure);
    }
    AsyncCall<T> call = new AsyncCall<>(stage, limit, byDeadline, context);
    stage.whenComplete(call);
    if (!call.isDone()) {
      Scheduler.Cancellable expiry = scheduler.schedule(call, limit);
      call.expiry = expiry;
      if (call.isDone()) {
        expiry.cancel();
      }
    }
    return call;
  }

  /** The returned future, the callback on the call's stage and the expiry task. */
  private final class AsyncCall<T> extends CompletableFuture<T> implements BiConsumer<T, Throwable>, Runnable {
    private final CompletionStage<? extends T> stage;
    private final long limit;
    private final boolean byDeadline;
    /** The caller's context, installed around the expiry; {@code null} without propagators. */
    private final ContextPropagator.Snapshot context;
    volatile Scheduler.Cancellable expiry;

    AsyncCall(CompletionStage<? extends T> stage, long limit, boolean byDeadline,
        ContextPropagator.Snapshot context) {
      this.stage = stage;
      this.limit = limit;
      this.byDeadline = byDeadline;
      this.context = context;
    }

    @Override
    public void accept(T value, Throwable failure) {
      if (failure == null) {
        if (complete(value)) {
          successful.increment();
        }
      } else if (completeExceptionally(OutcomeClassifier.unwrap(failure))) {
        failed.increment();
      }
      cancelExpiry();
    }

    /** Expiry, on the scheduler thread: completes inside the caller's context, if there is one. */
    @Override
    public void run() {
      if (isDone()) {
        return;
      }
      if (context == null) {
        expire(new TimeoutExceededException(name, timeoutNanos, limit, byDeadline));
        return;
      }
      TimeoutExceededException exception = new TimeoutExceededException(name, timeoutNanos, limit, byDeadline);
      ContextPropagator.Scope scope;
      try {
        scope = context.install();
      } catch (RuntimeException | Error installFailure) { // expire all the same, with what went wrong
        installFailure.addSuppressed(exception);
        expire(installFailure);
        return;
      }
      try {
        expire(exception);
      } finally {
        Contexts.closeQuietly(scope);
      }
    }

    private void expire(Throwable exception) {
      if (completeExceptionally(exception)) {
        recordTimeout(limit, byDeadline);
        if (cancelRunningWork) {
          cancelStage(true);
        }
      }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      if (cancelled) {
        cancelExpiry();
        cancelStage(mayInterruptIfRunning);
      }
      return cancelled;
    }

    private void cancelExpiry() {
      Scheduler.Cancellable scheduled = expiry;
      if (scheduled != null) {
        scheduled.cancel();
      }
    }

    private void cancelStage(boolean mayInterruptIfRunning) {
      try {
        stage.toCompletableFuture().cancel(mayInterruptIfRunning);
      } catch (UnsupportedOperationException cannotCancel) {
        // a stage that cannot be converted cannot be cancelled either
      }
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public TimeoutConfig config() {
    return config;
  }

  @Override
  public Metrics metrics() {
    return this;
  }

  @Override
  public long successfulCalls() {
    return successful.sum();
  }

  @Override
  public long failedCalls() {
    return failed.sum();
  }

  @Override
  public long timedOutCalls() {
    return timedOut.sum();
  }

  @Override
  public String toString() {
    return "Timeout{name=" + name + ", " + config + '}';
  }
}
