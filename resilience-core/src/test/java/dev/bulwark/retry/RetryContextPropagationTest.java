package dev.bulwark.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.ContextPropagator;
import dev.bulwark.Pipeline;
import dev.bulwark.bulkhead.ThreadPoolBulkhead;
import dev.bulwark.bulkhead.ThreadPoolBulkheadConfig;
import dev.bulwark.fallback.Fallback;
import dev.bulwark.testing.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Regression: an asynchronous retry ran its next attempt, after the backoff, on the scheduler thread, where
 * the caller's thread-locals are absent; a thread-pool bulkhead inside it then captured that empty context,
 * so attempts 2 and later and the fallback ran without the caller's MDC or security context.
 *
 * <p>The retry's scheduler is a {@link ManualClock} advanced by the test thread, which plays the scheduler
 * thread: it drops the caller's context right after the call starts, as a caller that moves on would.
 */
class RetryContextPropagationTest {
  static final ThreadLocal<String> USER = new ThreadLocal<>();
  static final ContextPropagator PROPAGATE_USER = ContextPropagator.ofThreadLocal(USER);
  private static final Duration BACKOFF = Duration.ofMillis(100);

  private final ManualClock clock = new ManualClock();
  private ThreadPoolBulkhead bulkhead;

  @AfterEach
  void tearDown() {
    USER.remove();
    if (bulkhead != null) {
      bulkhead.close();
    }
  }

  private ThreadPoolBulkhead bulkhead(boolean virtualThreads) {
    ThreadPoolBulkheadConfig.Builder config = ThreadPoolBulkheadConfig.builder()
        .maxThreadPoolSize(2).queueCapacity(10).contextPropagators(PROPAGATE_USER);
    if (virtualThreads) {
      Assumptions.assumeTrue(ThreadPoolBulkheadConfig.virtualThreadsSupported(),
          "virtual threads need Java 21 or later; this run uses Java " + Runtime.version()
              + " (run with -Djvm=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java to cover them)");
      config.virtualThreads(true);
    }
    bulkhead = ThreadPoolBulkhead.of("ctx", config.build());
    return bulkhead;
  }

  private Retry retry() {
    return Retry.builder("ctx")
        .config(RetryConfig.builder().maxAttempts(3).backoff(Backoff.fixed(BACKOFF))
            .budget(RetryBudgetConfig.unlimited()).contextPropagators(PROPAGATE_USER).build())
        .clock(clock).scheduler(clock).build();
  }

  /** Runs the scheduled backoff waits on this (context-free) thread, one per retry. */
  private void runBackoffs(int retries) {
    for (int i = 0; i < retries; i++) {
      await().atMost(Duration.ofSeconds(10)).until(() -> clock.pendingTasks() == 1);
      clock.advance(BACKOFF);
      assertThat(USER.get()).as("the scheduler thread after a retry").isNull();
    }
  }

  @ParameterizedTest(name = "virtualThreads={0}")
  @ValueSource(booleans = {false, true})
  void asyncRetryAroundAThreadPoolBulkheadKeepsTheCallersContextInEveryAttemptAndTheFallback(
      boolean virtualThreads) throws Exception {
    bulkhead(virtualThreads);
    Fallback<String> fallback = Fallback.of("ctx", failure -> "fallback for " + USER.get());
    Pipeline pipeline = Pipeline.of(bulkhead, retry(), fallback);
    List<String> attempts = new CopyOnWriteArrayList<>();
    AtomicInteger attempt = new AtomicInteger();

    USER.set("alice");
    CompletableFuture<String> result = pipeline.<String>callAsync(() -> {
      attempts.add(attempt.incrementAndGet() + ":" + USER.get());
      return CompletableFuture.failedFuture(new IOException("transient"));
    }).toCompletableFuture();
    USER.remove(); // the caller's thread moves on; from here on it is the scheduler thread

    runBackoffs(2);
    assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("fallback for alice");
    assertThat(attempts).containsExactly("1:alice", "2:alice", "3:alice");
    assertWorkersAreClean();
  }

  @ParameterizedTest(name = "virtualThreads={0}")
  @ValueSource(booleans = {false, true})
  void aRetriedCallThatSucceedsReturnsInTheCallersContext(boolean virtualThreads) throws Exception {
    bulkhead(virtualThreads);
    Retry retry = retry();
    List<String> attempts = new CopyOnWriteArrayList<>();
    AtomicInteger attempt = new AtomicInteger();

    USER.set("bob");
    CompletableFuture<String> result = retry.<String>callAsync(() -> bulkhead.submit(() -> {
      int n = attempt.incrementAndGet();
      attempts.add(n + ":" + USER.get());
      if (n < 3) {
        throw new IOException("transient " + n);
      }
      return "ok";
    })).toCompletableFuture().thenApply(value -> value + " for " + USER.get());
    USER.remove();

    runBackoffs(2);
    assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("ok for bob");
    assertThat(attempts).containsExactly("1:bob", "2:bob", "3:bob");
    assertWorkersAreClean();
  }

  @Test
  void attemptsCompletedOnAForeignThreadRetryAndCompleteInTheCallersContext() throws Exception {
    // no bulkhead: each attempt fails later on a thread of its own that never had the caller's context
    Retry retry = Retry.builder("ctx")
        .config(RetryConfig.builder().maxAttempts(3).backoff(Backoff.none())
            .budget(RetryBudgetConfig.unlimited()).contextPropagators(PROPAGATE_USER).build())
        .clock(clock).scheduler(clock).build();
    List<String> attempts = new CopyOnWriteArrayList<>();
    List<Thread> foreign = new CopyOnWriteArrayList<>();
    AtomicInteger attempt = new AtomicInteger();

    USER.set("carol");
    CompletableFuture<String> result = retry.<String>callAsync(() -> {
      attempts.add(attempt.incrementAndGet() + ":" + USER.get());
      CompletableFuture<String> stage = new CompletableFuture<>();
      Thread thread = new Thread(() -> stage.completeExceptionally(new IOException("late")));
      foreign.add(thread);
      thread.start();
      return stage;
    }).toCompletableFuture().exceptionally(e -> "fallback for " + USER.get());
    USER.remove();

    assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo("fallback for carol");
    assertThat(attempts).containsExactly("1:carol", "2:carol", "3:carol");
    for (Thread thread : foreign) {
      thread.join();
    }
  }

  @Test
  void aPropagatorThatFailsToCaptureFailsTheAsyncCallWithoutAnAttempt() {
    Retry retry = Retry.builder("ctx").config(RetryConfig.builder().contextPropagators(() -> {
      throw new IllegalStateException("no security context");
    }).build()).clock(clock).scheduler(clock).build();
    AtomicInteger attempts = new AtomicInteger();
    CompletableFuture<String> result = retry.<String>callAsync(() -> {
      attempts.incrementAndGet();
      return CompletableFuture.completedFuture("x");
    }).toCompletableFuture();
    assertThat(result).failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class)
        .havingCause().isInstanceOf(IllegalStateException.class).withMessage("no security context");
    assertThat(attempts).hasValue(0);
  }

  @Test
  void synchronousCallsNeverTouchThePropagators() throws Exception {
    AtomicInteger captures = new AtomicInteger();
    Retry retry = Retry.builder("ctx").config(RetryConfig.builder().maxAttempts(2).backoff(Backoff.none())
        .contextPropagators(() -> {
          captures.incrementAndGet();
          return () -> () -> { };
        }).build()).clock(clock).sleeper(clock).scheduler(clock).build();
    AtomicInteger attempts = new AtomicInteger();
    assertThat(retry.call(() -> {
      if (attempts.incrementAndGet() == 1) {
        throw new IOException("once");
      }
      return "ok";
    })).isEqualTo("ok");
    assertThat(captures).hasValue(0);
  }

  /** Calls from this thread, which has no context now, see none: no worker kept the caller's value. */
  private void assertWorkersAreClean() throws Exception {
    assertThat(USER.get()).isNull();
    for (int i = 0; i < 10; i++) {
      assertThat(bulkhead.submit(USER::get).get(10, TimeUnit.SECONDS)).as("a worker's context").isNull();
    }
  }
}
