package dev.bulwark.retry;

import dev.bulwark.Deadline;
import dev.bulwark.OutcomeClassifier;
import dev.bulwark.Scheduler;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * One asynchronous retried call: the future returned to the caller, the callback of each attempt's stage
 * and the task scheduled between attempts, all in one object.
 *
 * <pre>
 * Implementation notes
 *
 * Attempts run one at a time. `attempts` and the other plain fields are handed between threads only through
 * a stage's completion, the scheduler, or the `wip` counter, each of which is a happens-before edge.
 *
 * `wip` is a trampoline: drain() starts an attempt only when it raises wip from 0; an attempt that
 * completes synchronously and asks for an immediate retry just raises wip again, and the loop in the
 * draining frame starts the next attempt. So the stack does not grow with the number of attempts.
 *
 * Cancellation: cancel() completes this future first, then cancels the scheduled task and the stage in
 * flight. Everything else checks isDone() before acting, so a cancelled call starts no further attempt; a
 * scheduled task that runs anyway (cancel lost the race) sees isDone() and returns.
 * </pre>
 */
final class AsyncRetry<T> extends CompletableFuture<T> implements BiConsumer<T, Throwable>, Runnable {
  private static final VarHandle WIP;

  static {
    try {
      WIP = MethodHandles.lookup().findVarHandle(AsyncRetry.class, "wip", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final RetryImpl retry;
  private final Supplier<? extends CompletionStage<? extends T>> supplier;
  private final long startNanos;
  private final Deadline deadline;
  private final Deadline attemptDeadline;
  private RetryImpl.Attempts attempts;
  private volatile Scheduler.Cancellable pending;
  private volatile CompletionStage<? extends T> current;
  @SuppressWarnings("unused") // accessed through WIP
  private volatile int wip;

  AsyncRetry(RetryImpl retry, Supplier<? extends CompletionStage<? extends T>> supplier, long startNanos,
      Deadline deadline, Deadline attemptDeadline) {
    this.retry = retry;
    this.supplier = supplier;
    this.startNanos = startNanos;
    this.deadline = deadline;
    this.attemptDeadline = attemptDeadline;
  }

  /** Starts attempts until none is wanted right now; only the thread that raises wip from 0 runs them. */
  void drain() {
    if ((int) WIP.getAndAdd(this, 1) != 0) {
      return;
    }
    do {
      attempt();
    } while ((int) WIP.getAndAdd(this, -1) != 1);
  }

  private void attempt() {
    if (isDone()) {
      return;
    }
    CompletionStage<? extends T> stage;
    try {
      stage = attemptDeadline == null ? supplier.get() : attemptDeadline.call(supplier::get);
      if (stage == null) {
        throw new NullPointerException("the supplier returned a null CompletionStage");
      }
    } catch (Throwable failure) {
      accept(null, failure);
      return;
    }
    current = stage;
    stage.whenComplete(this);
    if (isCancelled()) {
      cancelStage(stage, true);
    }
  }

  /** Called when an attempt's stage completes. */
  @Override
  public void accept(T value, Throwable failure) {
    if (isDone()) {
      return;
    }
    try {
      int action = failure == null ? retry.resultAction(value) : RetryImpl.RETRY;
      if (action == RetryImpl.ACCEPT) {
        if (attempts == null) {
          retry.succeededFirstTime();
        } else {
          retry.succeededAfterRetry(attempts);
        }
        complete(value);
        return;
      }
      if (attempts == null) {
        retry.firstAttemptFailed();
        attempts = new RetryImpl.Attempts(startNanos, deadline);
      }
      if (!retry.shouldRetry(attempts, failure, value, action, false)) {
        retry.stopped(attempts, failure);
        if (failure == null) {
          complete(value);
        } else {
          Throwable cause = OutcomeClassifier.unwrap(failure);
          attempts.attachTo(cause);
          completeExceptionally(cause);
        }
        return;
      }
      retry.emitRetrying(attempts, failure);
      attempts.remember(failure == null ? null : OutcomeClassifier.unwrap(failure));
      long delay = attempts.delayNanos;
      if (delay > 0) {
        Scheduler.Cancellable scheduled = retry.scheduler.schedule(this, delay);
        pending = scheduled;
        if (isDone()) {
          scheduled.cancel();
        }
      } else {
        next();
      }
    } catch (Throwable unexpected) { // a user predicate or hint function threw, or the scheduler refused
      if (failure != null && failure != unexpected) {
        unexpected.addSuppressed(OutcomeClassifier.unwrap(failure));
      }
      completeExceptionally(unexpected);
    }
  }

  /** The scheduled wait is over. */
  @Override
  public void run() {
    pending = null;
    next();
  }

  private void next() {
    if (isDone()) {
      return;
    }
    attempts.attempt++;
    retry.retries.increment();
    drain();
  }

  @Override
  public boolean cancel(boolean mayInterruptIfRunning) {
    boolean cancelled = super.cancel(mayInterruptIfRunning);
    if (cancelled) {
      Scheduler.Cancellable scheduled = pending;
      if (scheduled != null) {
        scheduled.cancel();
      }
      CompletionStage<? extends T> stage = current;
      if (stage != null) {
        cancelStage(stage, mayInterruptIfRunning);
      }
    }
    return cancelled;
  }

  private static void cancelStage(CompletionStage<?> stage, boolean mayInterruptIfRunning) {
    try {
      stage.toCompletableFuture().cancel(mayInterruptIfRunning);
    } catch (UnsupportedOperationException cannotCancel) {
      // a stage that cannot be converted cannot be cancelled either; its outcome is ignored
    }
  }
}
