package dev.bulwark.bulkhead;

import dev.bulwark.Clock;
import dev.bulwark.ContextPropagator;
import dev.bulwark.Deadline;
import dev.bulwark.internal.Check;
import dev.bulwark.internal.Contexts;
import dev.bulwark.internal.Listeners;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * What the platform-thread and virtual-thread bulkheads share: submission (context capture, deadline
 * capture, one {@link PoolTask} per call), the synchronous bridge, rejection, events and counters.
 * Subclasses decide how a task is admitted, queued, started and shut down.
 */
abstract class AbstractThreadPoolBulkhead implements ThreadPoolBulkhead, ThreadPoolBulkhead.Metrics {
  final String name;
  final ThreadPoolBulkheadConfig config;
  final Clock clock;
  final Listeners<BulkheadEvent> listeners;
  private final ContextPropagator[] propagators;
  private final boolean emitPermitted;
  private final boolean emitRejected;
  private final boolean emitFinished;
  final LongAdder rejected = new LongAdder();
  final LongAdder completed = new LongAdder();

  AbstractThreadPoolBulkhead(String name, ThreadPoolBulkheadConfig config, Clock clock,
      Listeners<BulkheadEvent> listeners) {
    this.name = Check.name("name", name);
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.listeners = Objects.requireNonNull(listeners, "listeners");
    this.propagators = Contexts.toArray(config.contextPropagators());
    this.emitPermitted = listeners.wants(BulkheadEvent.CallPermitted.class);
    this.emitRejected = listeners.wants(BulkheadEvent.CallRejected.class);
    this.emitFinished = listeners.wants(BulkheadEvent.CallFinished.class);
  }

  /** Runs the task now, queues it, or rejects it (completing it exceptionally). Never throws. */
  abstract void admit(PoolTask<?> task);

  /** Takes a task cancelled before it started out of the queue. */
  abstract void dequeue(PoolTask<?> task);

  /** A queued task was given a slot (virtual threads only). */
  void grantedFromQueue(PoolTask<?> task) {
    throw new IllegalStateException("not a queued waiter: " + task);
  }

  /** A queued task was rejected by the shutdown (virtual threads only). */
  void shutDownWhileQueued(PoolTask<?> task) {
    throw new IllegalStateException("not a queued waiter: " + task);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public ThreadPoolBulkheadConfig config() {
    return config;
  }

  @Override
  public Metrics metrics() {
    return this;
  }

  @Override
  public <T> CompletableFuture<T> submit(Callable<? extends T> task) {
    Objects.requireNonNull(task, "task");
    return submit(task, null);
  }

  @Override
  public <T> CompletableFuture<T> callAsync(Supplier<? extends CompletionStage<? extends T>> supplier) {
    Objects.requireNonNull(supplier, "supplier");
    return submit(null, supplier);
  }

  private <T> CompletableFuture<T> submit(Callable<? extends T> callable,
      Supplier<? extends CompletionStage<? extends T>> supplier) {
    ContextPropagator.Snapshot snapshot;
    try {
      snapshot = Contexts.capture(propagators);
    } catch (RuntimeException | Error failure) {
      return CompletableFuture.failedFuture(failure);
    }
    PoolTask<T> task = new PoolTask<>(this, snapshot, callable, supplier, Deadline.current(), clock.nanoTime());
    admit(task);
    return task;
  }

  @Override
  public <T> T call(Callable<? extends T> callable) throws Exception {
    CompletableFuture<T> future = submit(callable);
    try {
      return future.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception) {
        throw (Exception) cause;
      }
      if (cause instanceof Error) {
        throw (Error) cause;
      }
      throw e;
    } catch (InterruptedException e) {
      future.cancel(true);
      throw e;
    }
  }

  @Override
  public void close() {
    shutdown();
    boolean interrupted = false;
    while (!isTerminated()) {
      try {
        awaitTermination(Duration.ofDays(1));
      } catch (InterruptedException e) {
        if (!interrupted) {
          shutdownNow();
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- hooks called by PoolTask ---------------------------------------------------------------------------

  void started(PoolTask<?> task) {
    if (emitPermitted) {
      listeners.emit(new BulkheadEvent.CallPermitted(name, clock.nanoTime() - task.submittedAt));
    }
  }

  /** Called once per task the executor ran, whether it started the call or found it cancelled. */
  void finished(PoolTask<?> task, boolean started) {
    if (started) {
      completed.increment();
      if (emitFinished) {
        listeners.emit(new BulkheadEvent.CallFinished(name));
      }
    }
  }

  BulkheadFullException deadlinePassed(PoolTask<?> task) {
    return rejection(BulkheadFullException.Rejection.DEADLINE_EXCEEDED, clock.nanoTime() - task.submittedAt);
  }

  void rejectFull(PoolTask<?> task) {
    task.rejectIfNew(rejection(BulkheadFullException.Rejection.POOL_FULL, 0));
  }

  void rejectShutDown(PoolTask<?> task, boolean wasQueued) {
    if (task.rejectIfNew(new BulkheadShutDownException(name, wasQueued))) {
      countRejection(null);
    }
  }

  BulkheadFullException rejection(BulkheadFullException.Rejection why, long waitedNanos) {
    countRejection(why);
    return new BulkheadFullException(name, why, config.maxThreadPoolSize(), config.queueCapacity(),
        waitedNanos);
  }

  private void countRejection(BulkheadFullException.Rejection why) {
    rejected.increment();
    if (why != null && emitRejected) {
      listeners.emit(new BulkheadEvent.CallRejected(name, why));
    }
  }

  void emitShutDown(int rejectedPending) {
    if (listeners.wants(BulkheadEvent.ShutDown.class)) {
      listeners.emit(new BulkheadEvent.ShutDown(name, rejectedPending));
    }
  }

  static long timeoutNanos(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    return Math.max(0, Check.saturatedNanos(timeout));
  }

  static boolean await(CompletableFuture<?> done, Duration timeout) throws InterruptedException {
    try {
      done.get(timeoutNanos(timeout), TimeUnit.NANOSECONDS);
      return true;
    } catch (java.util.concurrent.TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public long rejectedCalls() {
    return rejected.sum();
  }

  @Override
  public long completedCalls() {
    return completed.sum();
  }

  @Override
  public int coreThreadPoolSize() {
    return config.coreThreadPoolSize();
  }

  @Override
  public int maxThreadPoolSize() {
    return config.maxThreadPoolSize();
  }

  @Override
  public int queueCapacity() {
    return config.queueCapacity();
  }

  @Override
  public String toString() {
    return "ThreadPoolBulkhead[" + name + ", active=" + activeThreads() + ", pool=" + poolSize()
        + ", queued=" + queueDepth() + "/" + queueCapacity() + (isShutdown() ? ", shut down" : "") + "]";
  }
}
