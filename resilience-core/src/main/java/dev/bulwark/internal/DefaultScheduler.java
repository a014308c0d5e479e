package dev.bulwark.internal;

import dev.bulwark.Scheduler;
import java.util.Objects;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** The lazily created, process-wide scheduler: one daemon thread, cancelled tasks removed at once. */
public final class DefaultScheduler implements Scheduler {
  /** The single instance; its thread starts with the first scheduled task. */
  public static final DefaultScheduler INSTANCE = new DefaultScheduler();

  private DefaultScheduler() {}

  private static final class Holder {
    static final ScheduledThreadPoolExecutor EXECUTOR = create();

    private static ScheduledThreadPoolExecutor create() {
      var executor = new ScheduledThreadPoolExecutor(1, runnable -> {
        Thread thread = new Thread(runnable, "bulwark-scheduler");
        thread.setDaemon(true);
        return thread;
      });
      executor.setRemoveOnCancelPolicy(true);
      return executor;
    }
  }

  @Override
  public Cancellable schedule(Runnable task, long delayNanos) {
    Objects.requireNonNull(task, "task");
    var future = Holder.EXECUTOR.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    return () -> future.cancel(false);
  }
}
