package dev.bulwark.timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.bulwark.Deadline;
import dev.bulwark.PolicyKind;
import dev.bulwark.Registry;
import dev.bulwark.testing.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real threads are involved: a hang fails the test instead of the build. */
@org.junit.jupiter.api.Timeout(120)
class TimeoutTest {
  private final ManualClock clock = new ManualClock();
  private final List<TimeoutEvent> events = new CopyOnWriteArrayList<>();
  private final ExecutorService callers = Executors.newCachedThreadPool();

  @AfterEach
  void stopCallers() {
    callers.shutdownNow();
  }

  private Timeout timeout(long millis) {
    return timeout(millis, true);
  }

  private Timeout timeout(long millis, boolean cancelRunningWork) {
    return Timeout.builder("inventory")
        .config(TimeoutConfig.builder().timeout(Duration.ofMillis(millis)).cancelRunningWork(cancelRunningWork).build())
        .scheduler(clock)
        .listener(TimeoutEvent.TimedOut.class, events::add)
        .build();
  }

  // ------------------------------------------------------------------------------------------ async

  @Test
  void asyncCallThatCompletesInTimeKeepsItsValueAndCancelsTheExpiry() {
    Timeout timeout = timeout(250);
    CompletableFuture<String> inner = new CompletableFuture<>();
    CompletableFuture<String> outer = timeout.<String>callAsync(() -> inner).toCompletableFuture();
    assertThat(clock.pendingTasks()).isEqualTo(1);
    clock.advance(Duration.ofMillis(249));
    inner.complete("stock");
    assertThat(outer).isCompletedWithValue("stock");
    assertThat(clock.pendingTasks()).isZero();
    assertThat(timeout.metrics().successfulCalls()).isEqualTo(1);
  }

  @Test
  void asyncCallThatRunsOutOfTimeFailsWithTheNameAndTheDurationAndIsCancelled() {
    Timeout timeout = timeout(250);
    CompletableFuture<String> inner = new CompletableFuture<>();
    CompletableFuture<String> outer = timeout.<String>callAsync(() -> inner).toCompletableFuture();
    clock.advance(Duration.ofMillis(250));
    assertThat(outer).isCompletedExceptionally();
    assertThatThrownBy(outer::join).hasCauseInstanceOf(TimeoutExceededException.class)
        .cause().hasMessage("timeout 'inventory' expired after 250 ms");
    assertThat(inner).isCancelled();
    inner.obtrudeValue("late"); // a late result changes nothing
    assertThat(timeout.metrics().timedOutCalls()).isEqualTo(1);
    assertThat(timeout.metrics().successfulCalls()).isZero();
    assertThat(events).containsExactly(
        new TimeoutEvent.TimedOut("inventory", Duration.ofMillis(250), Duration.ofMillis(250), false));
  }

  @Test
  void asyncFailureInTimeIsPassedOnUnwrapped() {
    Timeout timeout = timeout(250);
    IOException failure = new IOException("refused");
    CompletableFuture<String> outer = timeout.<String>callAsync(() -> CompletableFuture.supplyAsync(() -> {
      throw new CompletionException(failure);
    })).toCompletableFuture();
    await().atMost(Duration.ofSeconds(30)).until(outer::isDone);
    assertThatThrownBy(outer::join).hasCause(failure);
    assertThat(timeout.metrics().failedCalls()).isEqualTo(1);
  }

  @Test
  void asyncCallIsCutShortByAnEarlierDeadline() throws Exception {
    Timeout timeout = timeout(1000);
    Deadline deadline = Deadline.after(Duration.ofMillis(300), clock);
    CompletableFuture<String> inner = new CompletableFuture<>();
    CompletableFuture<String> outer =
        deadline.call(() -> timeout.<String>callAsync(() -> inner).toCompletableFuture());
    clock.advance(Duration.ofMillis(300));
    assertThatThrownBy(outer::join).cause().isInstanceOfSatisfying(TimeoutExceededException.class, e -> {
      assertThat(e.deadlineReached()).isTrue();
      assertThat(e.timeout()).isEqualTo(Duration.ofSeconds(1));
      assertThat(e.expiredAfter()).isEqualTo(Duration.ofMillis(300));
      assertThat(e).hasMessage("timeout 'inventory' (1000 ms) stopped the call at the deadline, after 300 ms");
    });
  }

  @Test
  void asyncCallIsNotStartedOnceTheDeadlineHasPassed() throws Exception {
    Timeout timeout = timeout(1000);
    Deadline deadline = Deadline.after(Duration.ofMillis(10), clock);
    clock.advance(Duration.ofMillis(10));
    AtomicInteger started = new AtomicInteger();
    CompletableFuture<String> outer = deadline.call(() -> timeout.<String>callAsync(() -> {
      started.incrementAndGet();
      return new CompletableFuture<>();
    }).toCompletableFuture());
    assertThat(started).hasValue(0);
    assertThatThrownBy(outer::join).cause().isInstanceOf(TimeoutExceededException.class)
        .hasMessage("timeout 'inventory' (1000 ms) did not start the call: the deadline had passed");
  }

  @Test
  void cancellingTheReturnedStageCancelsTheWorkAndTheExpiry() {
    Timeout timeout = timeout(250);
    CompletableFuture<String> inner = new CompletableFuture<>();
    CompletableFuture<String> outer = timeout.<String>callAsync(() -> inner).toCompletableFuture();
    outer.cancel(true);
    assertThat(inner).isCancelled();
    assertThat(clock.pendingTasks()).isZero();
    assertThat(timeout.metrics().timedOutCalls()).isZero();
  }

  @Test
  void asyncWorkIsLeftRunningWhenSoConfigured() {
    Timeout timeout = timeout(250, false);
    CompletableFuture<String> inner = new CompletableFuture<>();
    CompletableFuture<String> outer = timeout.<String>callAsync(() -> inner).toCompletableFuture();
    clock.advance(Duration.ofMillis(250));
    assertThat(outer).isCompletedExceptionally();
    assertThat(inner).isNotDone();
  }

  @Test
  void asyncSupplierThatThrowsFailsTheStage() {
    Timeout timeout = timeout(250);
    IllegalStateException failure = new IllegalStateException("no connection");
    CompletableFuture<Object> outer = timeout.callAsync(() -> {
      throw failure;
    }).toCompletableFuture();
    assertThatThrownBy(outer::join).hasCause(failure);
    assertThat(clock.pendingTasks()).isZero();
  }

  // ------------------------------------------------------------------------------------------- sync

  @Test
  void syncCallThatCompletesInTimeReturnsItsValueFromAnotherThread() throws Exception {
    Timeout timeout = timeout(250);
    Thread caller = Thread.currentThread();
    assertThat(timeout.call(() -> Thread.currentThread() != caller)).isTrue();
    assertThat(clock.pendingTasks()).isZero();
    assertThat(timeout.metrics().successfulCalls()).isEqualTo(1);
  }

  @Test
  void syncFailureIsThrownUnchanged() {
    Timeout timeout = timeout(250);
    IOException failure = new IOException("refused");
    assertThatThrownBy(() -> timeout.call(() -> {
      throw failure;
    })).isSameAs(failure);
    assertThat(timeout.metrics().failedCalls()).isEqualTo(1);
  }

  @Test
  void syncCallThatRunsOutOfTimeIsInterruptedAndTheCallerReturnsAtOnce() throws Exception {
    Timeout timeout = timeout(250);
    CountDownLatch started = new CountDownLatch(1);
    AtomicBoolean workerInterrupted = new AtomicBoolean();
    CompletableFuture<Object> caller = CompletableFuture.supplyAsync(() -> {
      try {
        return timeout.call(() -> {
          started.countDown();
          while (!Thread.currentThread().isInterrupted()) {
            LockSupport.park();
          }
          workerInterrupted.set(true);
          return "too late";
        });
      } catch (Exception e) {
        throw new CompletionException(e);
      }
    }, callers);
    assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
    clock.advance(Duration.ofMillis(250)); // expiry: virtual time, on this thread
    assertThatThrownBy(caller::join).cause().isInstanceOf(TimeoutExceededException.class)
        .hasMessage("timeout 'inventory' expired after 250 ms");
    await().atMost(Duration.ofSeconds(30)).untilTrue(workerInterrupted);
    assertThat(timeout.metrics().timedOutCalls()).isEqualTo(1);
    assertThat(events).hasSize(1);
  }

  @Test
  void regressionTheExpiryIsScheduledBeforeTheWorkStarts() throws Exception {
    // the work used to start first, so a caller could advance time before its expiry existed
    Timeout timeout = Timeout.builder("t").config(TimeoutConfig.builder().timeout(Duration.ofMillis(250)).build())
        .scheduler(clock)
        .executor(task -> {
          assertThat(clock.pendingTasks()).as("expiry scheduled before the work starts").isEqualTo(1);
          task.run();
        })
        .build();
    assertThat(timeout.call(() -> "ok")).isEqualTo("ok");
    assertThat(clock.pendingTasks()).isZero();
  }

  @Test
  void anExecutorThatRefusesTheWorkLeavesNoExpiryBehind() {
    Timeout timeout = Timeout.builder("t").scheduler(clock).executor(task -> {
      throw new java.util.concurrent.RejectedExecutionException("shut down");
    }).build();
    assertThatThrownBy(() -> timeout.call(() -> "ok"))
        .isInstanceOf(java.util.concurrent.RejectedExecutionException.class);
    assertThat(clock.pendingTasks()).isZero();
  }

  @Test
  void syncWorkIsNotInterruptedWhenSoConfigured() throws Exception {
    Timeout timeout = timeout(250, false);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean finished = new AtomicBoolean();
    CompletableFuture<Object> caller = CompletableFuture.supplyAsync(() -> {
      try {
        return timeout.call(() -> {
          started.countDown();
          release.await();
          finished.set(true);
          return "done";
        });
      } catch (Exception e) {
        throw new CompletionException(e);
      }
    }, callers);
    assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
    clock.advance(Duration.ofMillis(250));
    assertThatThrownBy(caller::join).cause().isInstanceOf(TimeoutExceededException.class);
    release.countDown();
    await().atMost(Duration.ofSeconds(30)).untilTrue(finished); // it ran to completion, uninterrupted
  }

  @Test
  void syncCallSeesTheCallersDeadlineOnItsThread() throws Exception {
    Timeout timeout = timeout(5000);
    Deadline deadline = Deadline.after(Duration.ofSeconds(2), clock);
    Deadline seen = deadline.call(() -> timeout.call(Deadline::current));
    assertThat(seen).isSameAs(deadline);
  }

  @Test
  void syncCallIsNotStartedOnceTheDeadlineHasPassed() throws Exception {
    Timeout timeout = timeout(1000);
    Deadline deadline = Deadline.after(Duration.ofMillis(10), clock);
    clock.advance(Duration.ofMillis(20));
    AtomicInteger started = new AtomicInteger();
    assertThatThrownBy(() -> deadline.call(() -> timeout.call(started::incrementAndGet)))
        .isInstanceOfSatisfying(TimeoutExceededException.class, e -> assertThat(e.deadlineReached()).isTrue());
    assertThat(started).hasValue(0);
    assertThat(events).containsExactly(
        new TimeoutEvent.TimedOut("inventory", Duration.ofSeconds(1), Duration.ZERO, true));
  }

  @Test
  void anInterruptedCallerCancelsTheWorkAndKeepsItsFlag() throws Exception {
    Timeout timeout = timeout(60_000);
    CountDownLatch started = new CountDownLatch(1);
    AtomicBoolean workerInterrupted = new AtomicBoolean();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicBoolean flagKept = new AtomicBoolean();
    Thread caller = new Thread(() -> {
      try {
        timeout.call(() -> {
          started.countDown();
          while (!Thread.currentThread().isInterrupted()) {
            LockSupport.park();
          }
          workerInterrupted.set(true);
          return null;
        });
      } catch (Throwable t) {
        thrown.set(t);
      }
      flagKept.set(Thread.currentThread().isInterrupted());
    });
    caller.start();
    assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
    caller.interrupt();
    caller.join(30_000);
    assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
    assertThat(flagKept).isTrue();
    await().atMost(Duration.ofSeconds(30)).untilTrue(workerInterrupted);
    assertThat(clock.pendingTasks()).isZero();
  }

  // ------------------------------------------------------------------------------------------ config

  @Test
  void badInputFailsNamingTheOptionTheRuleAndTheValue() {
    assertThatThrownBy(() -> TimeoutConfig.builder().timeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("timeout must be > 0, was PT0S");
    assertThatThrownBy(() -> TimeoutConfig.builder().timeout(Duration.ofMillis(-5)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("timeout must be > 0, was PT-0.005S");
    assertThatThrownBy(() -> Timeout.of("t", (Duration) null)).isInstanceOf(NullPointerException.class)
        .hasMessage("timeout");
    assertThatThrownBy(() -> Timeout.builder("t").executor(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("executor");
  }

  @Test
  void configAndRegistry() {
    assertThat(TimeoutConfig.defaults().timeout()).isEqualTo(Duration.ofSeconds(1));
    assertThat(TimeoutConfig.defaults().cancelRunningWork()).isTrue();
    assertThat(TimeoutConfig.builder().timeout(Duration.ofSeconds(1)).build()).isEqualTo(TimeoutConfig.defaults())
        .hasSameHashCodeAs(TimeoutConfig.defaults());
    Registry<Timeout, TimeoutConfig> registry = Registry.builder(TimeoutConfig.defaults(), Timeout::of).build();
    Timeout timeout = registry.get("inventory");
    assertThat(timeout.kind()).isEqualTo(PolicyKind.TIMEOUT);
    assertThat(timeout.config()).isEqualTo(TimeoutConfig.defaults());
  }

  @Test
  void exceptionIsCheapAndNamesThePolicyAndTheDuration() {
    TimeoutExceededException e = new TimeoutExceededException("search", 1_500_000, 1_500_000, false);
    assertThat(e.getStackTrace()).isEmpty();
    assertThat(e).hasMessage("timeout 'search' expired after 1.5 ms");
    assertThat(e.policyName()).isEqualTo("search");
  }
}
