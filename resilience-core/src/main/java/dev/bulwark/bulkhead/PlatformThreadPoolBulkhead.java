package dev.bulwark.bulkhead;

import dev.bulwark.Clock;
import dev.bulwark.internal.Listeners;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/*
 * Implementation notes
 *
 * A JDK ThreadPoolExecutor per bulkhead (its internal locks are the JDK's; this class adds none), with a
 * bounded ArrayBlockingQueue (no node allocated per task) or, for a capacity of zero, a SynchronousQueue.
 * The rejection handler runs on the submitting thread and completes the task with a BulkheadFullException
 * naming this bulkhead, or a BulkheadShutDownException after shutdown.
 *
 * Shutdown: executor.shutdown() refuses new tasks (through the handler), then the queue is drained and
 * every drained task is failed with BulkheadShutDownException(wasQueued = true). A task that a worker took
 * before the drain runs; one the executor itself removes after shutdown goes through the handler. Either
 * way each task is completed exactly once: PoolTask's NEW -> DONE/RUNNING CAS decides.
 */
final class PlatformThreadPoolBulkhead extends AbstractThreadPoolBulkhead {
  private final ThreadPoolExecutor executor;
  private final AtomicBoolean shutdown = new AtomicBoolean();

  PlatformThreadPoolBulkhead(String name, ThreadPoolBulkheadConfig config, Clock clock,
      Listeners<BulkheadEvent> listeners) {
    super(name, config, clock, listeners);
    BlockingQueue<Runnable> queue = config.queueCapacity() == 0
        ? new SynchronousQueue<>()
        : new ArrayBlockingQueue<>(config.queueCapacity());
    this.executor = new ThreadPoolExecutor(config.coreThreadPoolSize(), config.maxThreadPoolSize(),
        config.keepAliveNanos(), TimeUnit.NANOSECONDS, queue, threadFactory(name),
        (runnable, pool) -> {
          PoolTask<?> task = (PoolTask<?>) runnable;
          if (pool.isShutdown()) {
            rejectShutDown(task, false);
          } else {
            rejectFull(task);
          }
        });
  }

  private static ThreadFactory threadFactory(String name) {
    AtomicInteger count = new AtomicInteger();
    String prefix = "bulwark-" + name + "-";
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + count.getAndIncrement());
      thread.setDaemon(true);
      return thread;
    };
  }

  @Override
  void admit(PoolTask<?> task) {
    executor.execute(task);
  }

  @Override
  void dequeue(PoolTask<?> task) {
    executor.remove(task);
  }

  @Override
  public void shutdown() {
    if (!shutdown.compareAndSet(false, true)) {
      return;
    }
    executor.shutdown();
    List<Runnable> pending = new ArrayList<>();
    executor.getQueue().drainTo(pending);
    emitShutDown(rejectPending(pending));
  }

  @Override
  public void shutdownNow() {
    shutdown();
    rejectPending(executor.shutdownNow());
  }

  private int rejectPending(List<Runnable> pending) {
    int count = 0;
    for (Runnable runnable : pending) {
      PoolTask<?> task = (PoolTask<?>) runnable;
      if (!task.isDone()) {
        rejectShutDown(task, true);
        count++;
      }
    }
    return count;
  }

  @Override
  public boolean isShutdown() {
    return shutdown.get();
  }

  @Override
  public boolean isTerminated() {
    return executor.isTerminated();
  }

  @Override
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return executor.awaitTermination(timeoutNanos(timeout), TimeUnit.NANOSECONDS);
  }

  @Override
  public int queueDepth() {
    return executor.getQueue().size();
  }

  @Override
  public int remainingQueueCapacity() {
    return executor.getQueue().remainingCapacity();
  }

  @Override
  public int activeThreads() {
    return executor.getActiveCount();
  }

  @Override
  public int poolSize() {
    return executor.getPoolSize();
  }
}
