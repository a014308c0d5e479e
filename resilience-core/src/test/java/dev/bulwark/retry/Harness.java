package dev.bulwark.retry;

import dev.bulwark.OutcomeClassifier;
import dev.bulwark.Policy;
import dev.bulwark.Scheduler;
import dev.bulwark.testing.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Runs one scenario through either the synchronous or the asynchronous path, in virtual time, and reports
 * the waits the retry made in both cases the same way.
 */
final class Harness {
  enum Mode { SYNC, ASYNC }

  final Mode mode;
  final ManualClock clock = new ManualClock();
  private final List<Long> scheduled = new CopyOnWriteArrayList<>();
  private final PriorityQueue<Long> dues = new PriorityQueue<>();
  /** Records every delay and due time, then schedules on the manual clock. */
  final Scheduler scheduler = (task, delayNanos) -> {
    scheduled.add(delayNanos);
    synchronized (dues) {
      dues.add(clock.nanoTime() + Math.max(0, delayNanos));
    }
    return clock.schedule(task, delayNanos);
  };

  Harness(Mode mode) {
    this.mode = mode;
  }

  Retry.Builder retry(String name) {
    return Retry.builder(name).clock(clock).sleeper(clock).scheduler(scheduler).random(new SplittableRandom(42));
  }

  /** The waits between attempts, in nanoseconds: sleeps (sync) or scheduled delays (async). */
  List<Long> waits() {
    return mode == Mode.SYNC ? clock.sleeps() : List.copyOf(scheduled);
  }

  /** Lets the call take {@code duration} of virtual time. */
  void work(Duration duration) {
    clock.advance(duration);
  }

  /** The outcome of one call. */
  record Result<T>(T value, Throwable failure) {
    boolean failed() {
      return failure != null;
    }
  }

  <T> Result<T> run(Policy policy, Callable<T> body) {
    if (mode == Mode.SYNC) {
      try {
        return new Result<>(policy.call(body), null);
      } catch (Throwable t) {
        return new Result<>(null, t);
      }
    }
    CompletableFuture<T> future = start(policy, body);
    drive(future);
    if (!future.isDone()) {
      throw new AssertionError("the async call did not complete; pending tasks: " + clock.pendingTasks());
    }
    try {
      return new Result<>(future.join(), null);
    } catch (Throwable t) {
      return new Result<>(null, OutcomeClassifier.unwrap(t));
    }
  }

  /** Starts an async call whose stage completes (or fails) with the body's outcome at once. */
  <T> CompletableFuture<T> start(Policy policy, Callable<T> body) {
    return policy.<T>callAsync(() -> {
      try {
        return CompletableFuture.completedFuture(body.call());
      } catch (Throwable t) {
        return CompletableFuture.failedFuture(t);
      }
    }).toCompletableFuture();
  }

  /** Advances virtual time from one scheduled task to the next until {@code future} is done. */
  void drive(CompletableFuture<?> future) {
    while (!future.isDone()) {
      Long due;
      synchronized (dues) {
        due = dues.poll();
      }
      if (due == null) {
        return;
      }
      clock.advance(Math.max(0, due - clock.nanoTime()));
    }
  }

  @Override
  public String toString() {
    return mode.name();
  }
}
