package dev.bulwark.bulkhead;

import dev.bulwark.Clock;
import dev.bulwark.Scheduler;
import dev.bulwark.Sleeper;
import dev.bulwark.internal.Listeners;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;

/*
 * Implementation notes
 *
 * Each call runs on a new virtual thread; the concurrency cap and the FIFO queue are a SemaphoreBulkhead
 * with maxThreadPoolSize slots and queueCapacity waiters. A task that finds a free slot starts a virtual
 * thread at once; otherwise it becomes a waiter node in the semaphore's queue, holding no thread, and the
 * call that frees a slot hands it over (grantedFromQueue) and starts the thread. The slot is released
 * exactly once, in PoolTask.run()'s finally (reached by every started thread, even for a task cancelled
 * meanwhile), or at once if the thread cannot be started.
 *
 * Shutdown closes the semaphore (limit 0: nothing more is admitted) and rejects its waiters with
 * BulkheadShutDownException. Termination is "shut down, no slot held, nobody waiting"; the flag and the
 * counts are written and read in opposite orders by shutdown() and by finishing tasks (a Dekker pattern on
 * volatiles), so whichever comes last completes `terminated`.
 */
final class VirtualThreadPoolBulkhead extends AbstractThreadPoolBulkhead {
  private final SemaphoreBulkhead slots;
  private final ThreadFactory threads;
  private final Set<PoolTask<?>> running = ConcurrentHashMap.newKeySet();
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();
  private volatile boolean shutdown;

  VirtualThreadPoolBulkhead(String name, ThreadPoolBulkheadConfig config, Clock clock,
      Listeners<BulkheadEvent> listeners) {
    super(name, config, clock, listeners);
    BulkheadConfig.Builder slotConfig = BulkheadConfig.builder()
        .maxConcurrentCalls(config.maxThreadPoolSize());
    if (config.queueCapacity() > 0) {
      slotConfig.maxWait(Duration.ofNanos(Long.MAX_VALUE)).maxWaitingCalls(config.queueCapacity());
    }
    this.slots = new SemaphoreBulkhead(name, slotConfig.build(), clock, Sleeper.parking(),
        Scheduler.defaultScheduler(), Listeners.none());
    this.threads = VirtualThreads.factory("bulwark-" + name + "-");
  }

  @Override
  void admit(PoolTask<?> task) {
    if (shutdown) {
      rejectShutDown(task, false);
    } else if (slots.tryAcquireSlot()) {
      task.resolve(SemaphoreBulkhead.Waiter.GRANTED); // never queued: a later cancel must not "leave" the queue
      start(task);
    } else if (config.queueCapacity() == 0 || !slots.enterWaiting()) {
      rejectFull(task);
    } else {
      slots.enqueue(task); // may be granted at once, or rejected at once if a shutdown raced
    }
  }

  private void start(PoolTask<?> task) {
    running.add(task);
    try {
      threads.newThread(task).start();
    } catch (RuntimeException | Error e) {
      running.remove(task);
      slots.releaseSlot();
      task.completeExceptionally(e);
      checkTerminated();
    }
  }

  @Override
  void grantedFromQueue(PoolTask<?> task) {
    start(task);
  }

  @Override
  void shutDownWhileQueued(PoolTask<?> task) {
    rejectShutDown(task, true);
    checkTerminated();
  }

  @Override
  void dequeue(PoolTask<?> task) {
    if (task.resolve(SemaphoreBulkhead.Waiter.CANCELLED)) {
      slots.abandon(task);
      checkTerminated();
    }
  }

  @Override
  void finished(PoolTask<?> task, boolean started) {
    running.remove(task);
    slots.releaseSlot();
    super.finished(task, started);
    checkTerminated();
  }

  private void checkTerminated() {
    if (shutdown && slots.concurrentCalls() == 0 && slots.waitingCalls() == 0) {
      terminated.complete(null);
    }
  }

  @Override
  public void shutdown() {
    if (shutdown) {
      return;
    }
    shutdown = true;
    int rejectedWaiters = slots.close();
    emitShutDown(rejectedWaiters);
    checkTerminated();
  }

  @Override
  public void shutdownNow() {
    shutdown();
    for (PoolTask<?> task : running) {
      task.cancel(true);
    }
  }

  @Override
  public boolean isShutdown() {
    return shutdown;
  }

  @Override
  public boolean isTerminated() {
    return terminated.isDone();
  }

  @Override
  public boolean awaitTermination(Duration timeout) throws InterruptedException {
    return await(terminated, timeout);
  }

  @Override
  public int queueDepth() {
    return slots.waitingCalls();
  }

  @Override
  public int remainingQueueCapacity() {
    return Math.max(0, config.queueCapacity() - slots.waitingCalls());
  }

  @Override
  public int activeThreads() {
    return slots.concurrentCalls();
  }

  @Override
  public int poolSize() {
    return slots.concurrentCalls();
  }
}
