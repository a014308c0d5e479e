package dev.bulwark.testing;

import dev.bulwark.Clock;
import dev.bulwark.Scheduler;
import dev.bulwark.Sleeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Virtual time for tests: a {@link Clock}, a {@link Sleeper} and a {@link Scheduler} that only move when the
 * test says so. Nothing sleeps, nothing flakes.
 *
 * <p>{@link #sleep(long)} advances the clock by the requested amount (so a single-threaded retry loop runs
 * instantly); scheduled tasks run, in due order, on the thread that advances the clock past their time.
 * Safe to use from several threads; tasks run outside the internal lock.
 *
 * <pre>{@code
 * ManualClock clock = new ManualClock();
 * CircuitBreaker breaker = CircuitBreaker.builder("x").clock(clock).build();
 * clock.advance(Duration.ofSeconds(30));
 * }</pre>
 */
public final class ManualClock implements Clock, Sleeper, Scheduler {
  private final AtomicLong nanos;
  private final Object lock = new Object();
  private final PriorityQueue<Task> tasks = new PriorityQueue<>();
  private final List<Long> sleeps = new ArrayList<>();
  private long sequence;

  /** Starts at an arbitrary non-zero instant, so code that treats 0 as special is caught. */
  public ManualClock() {
    this(1_000_000_000_000L);
  }

  /**
   * Starts at {@code startNanos}.
   *
   * @param startNanos the first reading
   */
  public ManualClock(long startNanos) {
    this.nanos = new AtomicLong(startNanos);
  }

  @Override
  public long nanoTime() {
    return nanos.get();
  }

  /**
   * Moves time forward, running every task that falls due, in order of due time.
   *
   * @param duration how far to move
   */
  public void advance(Duration duration) {
    advance(duration.toNanos());
  }

  /**
   * Moves time forward by {@code delta} nanoseconds, running every task that falls due.
   *
   * @param delta how far to move, not negative
   */
  public void advance(long delta) {
    if (delta < 0) {
      throw new IllegalArgumentException("time only moves forward, delta was " + delta);
    }
    long target = nanos.get() + delta;
    while (true) {
      Task next;
      synchronized (lock) {
        next = tasks.peek();
        if (next == null || next.due > target) {
          break;
        }
        tasks.poll();
      }
      nanos.accumulateAndGet(next.due, Math::max);
      if (!next.cancelled) {
        next.task.run();
      }
    }
    nanos.accumulateAndGet(target, Math::max);
  }

  /**
   * Runs the tasks due now without moving time.
   */
  public void runDue() {
    advance(0);
  }

  /** Advances the clock by {@code nanos} and records the sleep; never blocks. */
  @Override
  public void sleep(long nanos) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    synchronized (lock) {
      sleeps.add(nanos);
    }
    advance(Math.max(0, nanos));
  }

  /**
   * Returns the durations of every {@link #sleep(long)} so far, in nanoseconds.
   *
   * @return a snapshot
   */
  public List<Long> sleeps() {
    synchronized (lock) {
      return List.copyOf(sleeps);
    }
  }

  @Override
  public Cancellable schedule(Runnable task, long delayNanos) {
    Task scheduled;
    synchronized (lock) {
      scheduled = new Task(nanos.get() + Math.max(0, delayNanos), sequence++, task);
      tasks.add(scheduled);
    }
    return () -> {
      synchronized (lock) {
        boolean pending = tasks.remove(scheduled);
        scheduled.cancelled = true;
        return pending;
      }
    };
  }

  /**
   * Returns how many scheduled tasks have not run yet.
   *
   * @return the number of pending tasks
   */
  public int pendingTasks() {
    synchronized (lock) {
      return tasks.size();
    }
  }

  private static final class Task implements Comparable<Task> {
    final long due;
    final long sequence;
    final Runnable task;
    volatile boolean cancelled;

    Task(long due, long sequence, Runnable task) {
      this.due = due;
      this.sequence = sequence;
      this.task = task;
    }

    @Override
    public int compareTo(Task other) {
      int byDue = Long.compare(due, other.due);
      return byDue != 0 ? byDue : Long.compare(sequence, other.sequence);
    }
  }
}
