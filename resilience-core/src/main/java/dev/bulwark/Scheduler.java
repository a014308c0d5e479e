package dev.bulwark;

import dev.bulwark.internal.DefaultScheduler;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task after a delay without holding a thread while waiting: how asynchronous policies wait.
 *
 * <p>An asynchronous retry or rate-limiter wait schedules its continuation here instead of blocking.
 * Tests substitute a scheduler driven by virtual time.
 *
 * <pre>{@code
 * Scheduler scheduler = Scheduler.of(Executors.newSingleThreadScheduledExecutor());
 * Scheduler.Cancellable pending = scheduler.schedule(() -> System.out.println("later"),
 *     TimeUnit.MILLISECONDS.toNanos(100));
 * pending.cancel();
 * }</pre>
 */
@FunctionalInterface
public interface Scheduler {

  /**
   * Schedules {@code task} to run once after {@code delayNanos}.
   *
   * @param task the task to run; it should be short and must not block
   * @param delayNanos the delay in nanoseconds; zero or negative runs the task as soon as possible
   * @return a handle that cancels the task if it has not started yet
   */
  Cancellable schedule(Runnable task, long delayNanos);

  /**
   * Adapts a {@link ScheduledExecutorService}; the caller owns its lifecycle.
   *
   * @param executor the executor to run tasks on
   * @return a scheduler backed by {@code executor}
   */
  static Scheduler of(ScheduledExecutorService executor) {
    Objects.requireNonNull(executor, "executor");
    return (task, delayNanos) -> {
      Objects.requireNonNull(task, "task");
      var future = executor.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
      return () -> future.cancel(false);
    };
  }

  /**
   * Returns the process-wide default scheduler: one daemon thread that only hands tasks over when they are
   * due, so tasks must be short and non-blocking.
   *
   * @return the shared default scheduler
   */
  static Scheduler defaultScheduler() {
    return DefaultScheduler.INSTANCE;
  }

  /** A handle on a scheduled task. */
  @FunctionalInterface
  interface Cancellable {
    /**
     * Cancels the task if it has not started yet.
     *
     * @return {@code true} if this call prevented the task from running
     */
    boolean cancel();
  }
}
