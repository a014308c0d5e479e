package dev.bulwark.retry;

import dev.bulwark.ContextPropagator;
import dev.bulwark.Deadline;
import dev.bulwark.OutcomeClassifier;
import dev.bulwark.Scheduler;
import dev.bulwark.internal.Contexts;
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
 *
 * Context: `context` is the caller's, captured when the call started. run() (on the scheduler thread) and
 * accept() (on the thread that completed an attempt) install it around everything they do: the decision,
 * the wait's scheduling, the next attempt's start and the completion of this future, so an inner bulkhead
 * captures the caller's context for every attempt and a fallback on this future runs with it. The only
 * other place an attempt starts is the first drain(), on the caller's own thread; a zero-delay retry starts
 * inside accept()'s scope, and a drain loop that another thread's accept() extended (wip above 1) is itself
 * running on the caller's thread or inside a scope. Installing on a thread that already has the context
 * (a bulkhead worker completing inside its own scope) is harmless: the scope restores the value it found.
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
  private final ContextPropagator.Snapshot context;
  private RetryImpl.Attempts attempts;
  private volatile Scheduler.Cancellable pending;
  private volatile CompletionStage<? extends T> current;
  @SuppressWarnings("unused") // accessed through WIP
  private volatile int wip;

  AsyncRetry(RetryImpl retry, Supplier<? extends CompletionStage<? extends T>> supplier, long startNanos,
      Deadline deadline, Deadline attemptDeadline, ContextPropagator.Snapshot context) {
    this.retry = retry;
    this.supplier = supplier;
    this.startNanos = startNanos;
    this.deadline = deadline;
    this.attemptDeadline = attemptDeadline;
    this.context = context;
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

  /** Called when an attempt's stage completes, on the completing thread: decides inside the caller's context. */
  @Override
  public void accept(T value, Throwable failure) {
    if (isDone()) {
      return;
    }
    ContextPropagator.Scope scope = install(failure);
    if (scope == null) {
      return;
    }
    try {
      decide(value, failure);
    } finally {
      Contexts.closeQuietly(scope);
    }
  }

  /** Installs the caller's context; if a propagator fails, fails this call and returns {@code null}. */
  private ContextPropagator.Scope install(Throwable failure) {
    try {
      return context.install();
    } catch (Throwable installFailure) {
      if (failure != null && failure != installFailure) {
        installFailure.addSuppressed(OutcomeClassifier.unwrap(failure));
      }
      completeExceptionally(installFailure);
      return null;
    }
  }

  private void decide(T value, Throwable failure) {
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

  /** The scheduled wait is over: starts the next attempt on the scheduler thread, in the caller's context. */
  @Override
  public void run() {
    pending = null;
    if (isDone()) {
      return;
    }
    ContextPropagator.Scope scope = install(null);
    if (scope == null) {
      return;
    }
    try {
      next();
    } finally {
      Contexts.closeQuietly(scope);
    }
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
