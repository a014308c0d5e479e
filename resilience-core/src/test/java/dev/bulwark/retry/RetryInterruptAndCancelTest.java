package dev.bulwark.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.Scheduler;
import dev.bulwark.Sleeper;
import dev.bulwark.retry.Harness.Mode;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Real threads are involved: a hang fails the test instead of the build. */
@org.junit.jupiter.api.Timeout(120)
class RetryInterruptAndCancelTest {

  private static RetryConfig fixed(int attempts, Duration delay) {
    return RetryConfig.builder().maxAttempts(attempts).backoff(Backoff.fixed(delay))
        .budget(RetryBudgetConfig.unlimited()).build();
  }

  @Test
  void anInterruptDuringTheWaitStopsRetryingKeepsTheFlagAndThrowsTheLastFailure() {
    Sleeper interrupted = nanos -> {
      throw new InterruptedException("interrupted while waiting");
    };
    List<RetryEvent> events = new CopyOnWriteArrayList<>();
    Retry retry = Retry.builder("r").config(fixed(5, Duration.ofMillis(100))).sleeper(interrupted)
        .listener(events::add).build();
    AtomicInteger calls = new AtomicInteger();
    IOException failure = new IOException("down");
    try {
      retry.call(() -> {
        calls.incrementAndGet();
        throw failure;
      });
      throw new AssertionError("expected a failure");
    } catch (Exception e) {
      assertThat(e).isSameAs(failure);
      assertThat(e.getSuppressed()).singleElement().isInstanceOf(InterruptedException.class);
    } finally {
      assertThat(Thread.interrupted()).as("the interrupt flag is kept").isTrue();
    }
    assertThat(calls).hasValue(1);
    assertThat(events).last().isInstanceOfSatisfying(RetryEvent.Failed.class,
        e -> assertThat(e.reason()).isEqualTo(StopReason.INTERRUPTED));
  }

  @Test
  void aRealParkedWaitIsInterruptedPromptly() throws Exception {
    Retry retry = Retry.builder("r").config(fixed(3, Duration.ofHours(1))).build(); // Sleeper.parking()
    AtomicInteger calls = new AtomicInteger();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicBoolean flagAfterwards = new AtomicBoolean();
    Thread caller = new Thread(() -> {
      try {
        retry.call(() -> {
          calls.incrementAndGet();
          throw new IOException("down");
        });
      } catch (Throwable t) {
        thrown.set(t);
      }
      flagAfterwards.set(Thread.currentThread().isInterrupted());
    }, "retry-caller");
    caller.start();
    await().atMost(Duration.ofSeconds(30)).until(() -> caller.getState() == Thread.State.TIMED_WAITING);
    caller.interrupt();
    caller.join(Duration.ofSeconds(30).toMillis());
    assertThat(caller.isAlive()).isFalse();
    assertThat(thrown.get()).isInstanceOf(IOException.class);
    assertThat(flagAfterwards).isTrue();
    assertThat(calls).hasValue(1);
  }

  @Test
  void anAttemptThatLeavesTheThreadInterruptedIsNotRetried() {
    Harness h = new Harness(Mode.SYNC);
    Retry retry = h.retry("r").config(fixed(5, Duration.ofMillis(10))).build();
    AtomicInteger calls = new AtomicInteger();
    try {
      Harness.Result<Object> result = h.run(retry, () -> {
        calls.incrementAndGet();
        Thread.currentThread().interrupt();
        throw new IOException("interrupted I/O");
      });
      assertThat(result.failure()).isInstanceOf(IOException.class);
    } finally {
      assertThat(Thread.interrupted()).isTrue();
    }
    assertThat(calls).hasValue(1);
    assertThat(h.waits()).isEmpty();
  }

  @Test
  void anInterruptedExceptionIsNeverRetried() {
    Harness h = new Harness(Mode.SYNC);
    Retry retry = h.retry("r").config(fixed(5, Duration.ofMillis(10))).build();
    AtomicInteger calls = new AtomicInteger();
    Harness.Result<Object> result = h.run(retry, () -> {
      calls.incrementAndGet();
      throw new InterruptedException();
    });
    assertThat(result.failure()).isInstanceOf(InterruptedException.class);
    assertThat(calls).hasValue(1);
  }

  @Test
  void cancellingDuringTheWaitCancelsThePendingRetry() {
    Harness h = new Harness(Mode.ASYNC);
    Retry retry = h.retry("r").config(fixed(5, Duration.ofSeconds(1))).build();
    AtomicInteger calls = new AtomicInteger();
    CompletableFuture<Object> future = h.start(retry, () -> {
      calls.incrementAndGet();
      throw new IOException("down");
    });
    assertThat(calls).hasValue(1);
    assertThat(h.clock.pendingTasks()).isEqualTo(1); // the retry waits without a thread: a scheduled task
    assertThat(future.cancel(true)).isTrue();
    assertThat(h.clock.pendingTasks()).isZero();
    h.clock.advance(Duration.ofMinutes(1));
    assertThat(calls).hasValue(1);
    assertThat(future).isCancelled();
  }

  @Test
  void cancellingDuringAnAttemptCancelsTheAttemptAndStartsNoOther() {
    Harness h = new Harness(Mode.ASYNC);
    Retry retry = h.retry("r").config(fixed(5, Duration.ofMillis(10))).build();
    List<CompletableFuture<String>> attempts = new CopyOnWriteArrayList<>();
    CompletableFuture<String> future = retry.<String>callAsync(() -> {
      CompletableFuture<String> attempt = new CompletableFuture<>();
      attempts.add(attempt);
      return attempt;
    }).toCompletableFuture();
    attempts.get(0).completeExceptionally(new IOException("first fails"));
    h.clock.advance(Duration.ofMillis(10));
    assertThat(attempts).hasSize(2);
    future.cancel(true);
    assertThat(attempts.get(1)).isCancelled();
    h.clock.advance(Duration.ofMinutes(1));
    assertThat(attempts).hasSize(2);
    assertThat(retry.metrics().failedCallsWithRetry() + retry.metrics().successfulCallsWithRetry()).isZero();
  }

  @Test
  void aScheduledRetryThatRunsAfterCancellationAnywayStartsNoAttempt() {
    // a scheduler whose cancel loses the race: the task still runs
    List<Runnable> tasks = new CopyOnWriteArrayList<>();
    Scheduler stubborn = (task, delay) -> {
      tasks.add(task);
      return () -> false;
    };
    Retry retry = Retry.builder("r").config(fixed(5, Duration.ofMillis(10))).scheduler(stubborn).build();
    AtomicInteger calls = new AtomicInteger();
    CompletableFuture<Object> future = retry.callAsync(() -> {
      calls.incrementAndGet();
      return CompletableFuture.failedFuture(new IOException("down"));
    }).toCompletableFuture();
    future.cancel(false);
    tasks.forEach(Runnable::run);
    assertThat(calls).hasValue(1);
  }

  @Test
  void asyncRetriesOfAStageCompletedLaterOnAnotherThreadWork() {
    Harness h = new Harness(Mode.ASYNC);
    Retry retry = h.retry("r").config(fixed(3, Duration.ofMillis(10))).build();
    AtomicInteger calls = new AtomicInteger();
    CompletableFuture<String> future = retry.<String>callAsync(() -> CompletableFuture.supplyAsync(() -> {
      if (calls.incrementAndGet() < 3) {
        throw new IllegalStateException("not yet");
      }
      return "ok";
    })).toCompletableFuture();
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      h.clock.advance(Duration.ofMillis(10));
      assertThat(future).isCompletedWithValue("ok");
    });
    assertThat(calls).hasValue(3);
  }
}
