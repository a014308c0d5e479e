package dev.bulwark.retry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.Deadline;
import dev.bulwark.retry.Harness.Mode;
import dev.bulwark.retry.Harness.Result;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every scenario runs through the synchronous and the asynchronous path, in virtual time. */
class RetryScenarioTest {
  private static final long MS = 1_000_000L;

  private static RetryConfig.Builder fixed(int attempts, long millis) {
    return RetryConfig.builder().maxAttempts(attempts).backoff(Backoff.fixed(Duration.ofMillis(millis)))
        .budget(RetryBudgetConfig.unlimited());
  }

  /** A body that fails {@code failures} times with the given exceptions, then returns "ok". */
  private static final class Flaky implements java.util.concurrent.Callable<String> {
    final AtomicInteger calls = new AtomicInteger();
    final List<Exception> thrown = new CopyOnWriteArrayList<>();
    final int failures;

    Flaky(int failures) {
      this.failures = failures;
    }

    @Override
    public String call() throws Exception {
      int n = calls.incrementAndGet();
      if (n <= failures) {
        Exception e = new IOException("failure " + n);
        thrown.add(e);
        throw e;
      }
      return "ok";
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void successAtTheFirstAttemptIsOneCallWithoutWaiting(Mode mode) {
    Harness h = new Harness(mode);
    Retry retry = h.retry("r").config(fixed(3, 100).build()).build();
    Flaky body = new Flaky(0);
    assertThat(h.run(retry, body).value()).isEqualTo("ok");
    assertThat(body.calls).hasValue(1);
    assertThat(h.waits()).isEmpty();
    assertThat(retry.metrics().successfulCallsWithoutRetry()).isEqualTo(1);
    assertThat(retry.metrics().retries()).isZero();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void failuresAreRetriedAfterTheBackoffUntilSuccess(Mode mode) {
    Harness h = new Harness(mode);
    Retry retry = h.retry("r").config(fixed(3, 100).build()).build();
    Flaky body = new Flaky(2);
    assertThat(h.run(retry, body).value()).isEqualTo("ok");
    assertThat(body.calls).hasValue(3);
    assertThat(h.waits()).containsExactly(100 * MS, 100 * MS);
    assertThat(retry.metrics().successfulCallsWithRetry()).isEqualTo(1);
    assertThat(retry.metrics().retries()).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void exponentialBackoffWaitsGrow(Mode mode) {
    Harness h = new Harness(mode);
    Retry retry = h.retry("r").config(RetryConfig.builder().maxAttempts(5)
        .backoff(Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofMillis(300)))
        .budget(RetryBudgetConfig.unlimited()).build()).build();
    Result<String> result = h.run(retry, new Flaky(10));
    assertThat(result.failed()).isTrue();
    assertThat(h.waits()).containsExactly(100 * MS, 200 * MS, 300 * MS, 300 * MS);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void whenAllAttemptsFailTheCallerSeesTheLastFailureWithTheEarlierOnesSuppressed(Mode mode) {
    Harness h = new Harness(mode);
    Retry retry = h.retry("r").config(fixed(3, 10).build()).build();
    Flaky body = new Flaky(5);
    Result<String> result = h.run(retry, body);
    assertThat(body.calls).hasValue(3);
    assertThat(result.failure()).isSameAs(body.thrown.get(2));
    assertThat(result.failure().getSuppressed()).containsExactly(body.thrown.get(0), body.thrown.get(1));
    assertThat(retry.metrics().failedCallsWithRetry()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void regressionTheSameExceptionInstanceThrownEveryTimeIsNotSuppressedIntoItselfNorAccumulated(Mode mode) {
    Harness h = new Harness(mode);
    Retry retry = h.retry("r").config(fixed(3, 10).build()).build();
    IllegalStateException shared = new IllegalStateException("shared");
    IllegalStateException other = new IllegalStateException("other");
    AtomicInteger calls = new AtomicInteger();
    for (int i = 0; i < 3; i++) {
      Result<Object> result = h.run(retry, () -> {
        throw calls.incrementAndGet() % 2 == 0 ? other : shared;
      });
      assertThat(result.failure()).isNotNull();
    }
    assertThat(shared.getSuppressed()).hasSizeLessThanOrEqualTo(1);
    assertThat(other.getSuppressed()).hasSizeLessThanOrEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void onlyTheConfiguredExceptionsAreRetried(Mode mode) {
    Harness h = new Harness(mode);
    Retry retry = h.retry("r").config(fixed(3, 10).retryOn(IOException.class).build()).build();
    AtomicInteger calls = new AtomicInteger();
    Result<Object> result = h.run(retry, () -> {
      calls.incrementAndGet();
      throw new IllegalArgumentException("bad request");
    });
    assertThat(result.failure()).isInstanceOf(IllegalArgumentException.class);
    assertThat(calls).hasValue(1);
    assertThat(retry.metrics().failedCallsWithoutRetry()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void ignoredExceptionsAreNotRetriedEvenWhenARetryRuleMatches(Mode mode) {
    Harness h = new Harness(mode);
    Retry retry = h.retry("r").config(fixed(3, 10).retryOn(IOException.class).ignore(FileNotFoundException.class)
        .build()).build();
    AtomicInteger calls = new AtomicInteger();
    Result<Object> result = h.run(retry, () -> {
      calls.incrementAndGet();
      throw new FileNotFoundException("gone");
    });
    assertThat(result.failure()).isInstanceOf(FileNotFoundException.class);
    assertThat(calls).hasValue(1);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void anAbortRuleStopsAtOnceAndBeatsTheRetryRules(Mode mode) {
    Harness h = new Harness(mode);
    List<RetryEvent> events = new CopyOnWriteArrayList<>();
    Retry retry = h.retry("r").config(fixed(5, 10).retryIf(e -> true).abortIf(e -> e.getMessage().equals("fatal"))
        .build()).listener(events::add).build();
    AtomicInteger calls = new AtomicInteger();
    Result<Object> result = h.run(retry, () -> {
      throw new IOException(calls.incrementAndGet() == 2 ? "fatal" : "transient");
    });
    assertThat(result.failure()).hasMessage("fatal");
    assertThat(result.failure().getSuppressed()).hasSize(1);
    assertThat(calls).hasValue(2);
    assertThat(events).last().isInstanceOfSatisfying(RetryEvent.Failed.class,
        e -> assertThat(e.reason()).isEqualTo(StopReason.ABORTED));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void abortOnTypeStopsAtOnce(Mode mode) {
    Harness h = new Harness(mode);
    Retry retry = h.retry("r").config(fixed(5, 10).abortOn(UnsupportedOperationException.class).build()).build();
    AtomicInteger calls = new AtomicInteger();
    Result<Object> result = h.run(retry, () -> {
      calls.incrementAndGet();
      throw new UnsupportedOperationException();
    });
    assertThat(result.failure()).isInstanceOf(UnsupportedOperationException.class);
    assertThat(calls).hasValue(1);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void retriedResultsAreRetriedAndTheLastOneIsReturnedWhenAttemptsRunOut(Mode mode) {
    Harness h = new Harness(mode);
    Retry retry = h.retry("r").config(fixed(3, 10).retryOnResult(r -> ((Integer) r) >= 500).build()).build();
    AtomicInteger calls = new AtomicInteger();
    Result<Integer> result = h.run(retry, () -> 500 + calls.incrementAndGet());
    assertThat(result.value()).isEqualTo(503);
    assertThat(calls).hasValue(3);
    assertThat(retry.metrics().failedCallsWithRetry()).isEqualTo(1);

    AtomicInteger second = new AtomicInteger();
    assertThat(h.run(retry, () -> second.incrementAndGet() < 2 ? 503 : 200).value()).isEqualTo(200);
    assertThat(retry.metrics().successfulCallsWithRetry()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void anAbortResultIsReturnedAtOnce(Mode mode) {
    Harness h = new Harness(mode);
    Retry retry = h.retry("r").config(fixed(3, 10).retryOnResult(r -> ((Integer) r) >= 500)
        .abortOnResult(r -> ((Integer) r) == 501).build()).build();
    AtomicInteger calls = new AtomicInteger();
    assertThat(h.run(retry, () -> {
      calls.incrementAndGet();
      return 501;
    }).value()).isEqualTo(501);
    assertThat(calls).hasValue(1);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void errorsAreNeverRetried(Mode mode) {
    Harness h = new Harness(mode);
    Retry retry = h.retry("r").config(fixed(3, 10).build()).build();
    AtomicInteger calls = new AtomicInteger();
    Result<Object> result = h.run(retry, () -> {
      calls.incrementAndGet();
      throw new AssertionError("boom");
    });
    assertThat(result.failure()).isInstanceOf(AssertionError.class);
    assertThat(calls).hasValue(1);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void maxDurationStopsBeforeAWaitThatWouldNotEndInsideIt(Mode mode) {
    Harness h = new Harness(mode);
    List<RetryEvent> events = new CopyOnWriteArrayList<>();
    Retry retry = h.retry("r").config(fixed(10, 300).maxDuration(Duration.ofSeconds(1)).build())
        .listener(events::add).build();
    AtomicInteger calls = new AtomicInteger();
    Result<Object> result = h.run(retry, () -> {
      calls.incrementAndGet();
      h.work(Duration.ofMillis(100)); // each attempt takes 100 ms
      throw new IOException("down");
    });
    // t=100 fail, wait to 400; t=500 fail, wait to 800; t=900 fail: 300 ms more would end at 1200 > 1000
    assertThat(calls).hasValue(3);
    assertThat(h.waits()).containsExactly(300 * MS, 300 * MS);
    assertThat(result.failure()).isInstanceOf(IOException.class);
    assertThat(retry.metrics().callsStoppedByTime()).isEqualTo(1);
    assertThat(events).last().isInstanceOfSatisfying(RetryEvent.Failed.class,
        e -> assertThat(e.reason()).isEqualTo(StopReason.MAX_DURATION));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aWaitEndingExactlyAtTheMaxDurationIsNotBegunSinceNoAttemptCouldRun(Mode mode) {
    Harness h = new Harness(mode);
    Retry retry = h.retry("r").config(fixed(10, 500).maxDuration(Duration.ofSeconds(1)).build()).build();
    AtomicInteger calls = new AtomicInteger();
    h.run(retry, () -> {
      calls.incrementAndGet();
      h.work(Duration.ofMillis(250));
      throw new IOException("down");
    });
    // t=250 fail, wait to 750; t=1000 fail: no time left at all
    assertThat(calls).hasValue(2);
    assertThat(h.waits()).containsExactly(500 * MS);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void theAttemptsRunUnderADeadlineAtTheEndOfTheMaxDuration(Mode mode) {
    Harness h = new Harness(mode);
    Retry retry = h.retry("r").config(fixed(3, 100).maxDuration(Duration.ofSeconds(1)).build()).build();
    List<Long> remaining = new CopyOnWriteArrayList<>();
    h.run(retry, () -> {
      remaining.add(Deadline.currentRemainingNanos());
      h.work(Duration.ofMillis(200));
      throw new IOException("down");
    });
    assertThat(remaining).containsExactly(1000 * MS, 700 * MS, 400 * MS);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aSurroundingDeadlineStopsRetriesAndWaitsThatWouldRunPastIt(Mode mode) throws Exception {
    Harness h = new Harness(mode);
    List<RetryEvent> events = new CopyOnWriteArrayList<>();
    Retry retry = h.retry("r").config(fixed(10, 200).build()).listener(events::add).build();
    AtomicInteger calls = new AtomicInteger();
    Deadline deadline = Deadline.after(Duration.ofMillis(700), h.clock);
    java.util.concurrent.Callable<Object> body = () -> {
      calls.incrementAndGet();
      h.work(Duration.ofMillis(100));
      throw new IOException("down");
    };
    if (mode == Mode.SYNC) {
      deadline.call(() -> h.run(retry, body));
    } else {
      // the async call captures the deadline when it starts; its retries run later, outside deadline.call
      CompletableFuture<Object> future = deadline.call(() -> h.start(retry, body));
      h.drive(future);
      assertThat(future).isCompletedExceptionally();
    }
    // t=100 fail, wait to 300; t=400 fail, wait to 600; t=700 fail: deadline
    assertThat(calls).hasValue(3);
    assertThat(h.waits()).containsExactly(200 * MS, 200 * MS);
    assertThat(events).last().isInstanceOfSatisfying(RetryEvent.Failed.class,
        e -> assertThat(e.reason()).isEqualTo(StopReason.DEADLINE));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aHintFromTheFailureReplacesTheComputedDelay(Mode mode) {
    Harness h = new Harness(mode);
    Retry retry = h.retry("r").config(fixed(3, 100)
        .hintFromFailure(e -> e instanceof TooManyRequests t ? t.retryAfter : null).build()).build();
    AtomicInteger calls = new AtomicInteger();
    Result<String> result = h.run(retry, () -> {
      int n = calls.incrementAndGet();
      if (n == 1) {
        throw new TooManyRequests(Duration.ofMillis(750));
      }
      if (n == 2) {
        throw new IOException("no hint");
      }
      return "ok";
    });
    assertThat(result.value()).isEqualTo("ok");
    assertThat(h.waits()).containsExactly(750 * MS, 100 * MS);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aHintBeyondTheRemainingTotalDurationFailsNowWithoutWaiting(Mode mode) {
    Harness h = new Harness(mode);
    Retry retry = h.retry("r").config(fixed(3, 100).maxDuration(Duration.ofSeconds(2))
        .hintFromFailure(e -> e instanceof TooManyRequests t ? t.retryAfter : null).build()).build();
    AtomicInteger calls = new AtomicInteger();
    Result<Object> result = h.run(retry, () -> {
      calls.incrementAndGet();
      throw new TooManyRequests(Duration.ofSeconds(5));
    });
    assertThat(result.failure()).isInstanceOf(TooManyRequests.class);
    assertThat(calls).hasValue(1);
    assertThat(h.waits()).isEmpty();
    assertThat(retry.metrics().callsStoppedByTime()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aHintLongerThanMaxRetryAfterFailsNow(Mode mode) {
    Harness h = new Harness(mode);
    List<RetryEvent> events = new CopyOnWriteArrayList<>();
    Retry retry = h.retry("r").config(fixed(3, 100).maxRetryAfter(Duration.ofSeconds(1))
        .hintFromFailure(e -> e instanceof TooManyRequests t ? t.retryAfter : null).build())
        .listener(events::add).build();
    Result<Object> result = h.run(retry, () -> {
      throw new TooManyRequests(Duration.ofMillis(1001));
    });
    assertThat(result.failure()).isInstanceOf(TooManyRequests.class);
    assertThat(h.waits()).isEmpty();
    assertThat(events).singleElement().isInstanceOfSatisfying(RetryEvent.Failed.class,
        e -> assertThat(e.reason()).isEqualTo(StopReason.HINT_TOO_LONG));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aHintFromAResultIsUsed(Mode mode) {
    Harness h = new Harness(mode);
    Retry retry = h.retry("r").config(fixed(3, 100).retryOnResult(r -> r instanceof Duration)
        .hintFromResult(r -> (Duration) r).build()).build();
    AtomicInteger calls = new AtomicInteger();
    Result<Object> result = h.run(retry, () -> calls.incrementAndGet() == 1 ? Duration.ofMillis(40) : "ok");
    assertThat(result.value()).isEqualTo("ok");
    assertThat(h.waits()).containsExactly(40 * MS);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void jitteredWaitsAreReproducibleUnderASeed(Mode mode) {
    List<List<Long>> runs = new ArrayList<>();
    for (int run = 0; run < 2; run++) {
      Harness h = new Harness(mode);
      Retry retry = h.retry("r").config(RetryConfig.builder().maxAttempts(6).budget(RetryBudgetConfig.unlimited())
          .backoff(Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofSeconds(1))
              .withJitter(Jitter.DECORRELATED)).build()).build();
      h.run(retry, new Flaky(10));
      runs.add(h.waits());
    }
    assertThat(runs.get(0)).hasSize(5).isEqualTo(runs.get(1));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void eventsDescribeEachRetryTheSuccessAndNothingForAFirstTimeSuccess(Mode mode) {
    Harness h = new Harness(mode);
    List<RetryEvent> events = new CopyOnWriteArrayList<>();
    Retry retry = h.retry("events").config(fixed(3, 100).build()).listener(events::add).build();
    h.run(retry, new Flaky(0));
    assertThat(events).isEmpty();
    Flaky body = new Flaky(1);
    h.run(retry, body);
    assertThat(events).containsExactly(
        new RetryEvent.Retrying("events", 1, Duration.ofMillis(100), false, body.thrown.get(0)),
        new RetryEvent.Succeeded("events", 2));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aListenerThatThrowsDoesNotBreakTheCall(Mode mode) {
    Harness h = new Harness(mode);
    Retry retry = h.retry("r").config(fixed(3, 10).build()).listener(e -> {
      throw new IllegalStateException("listener bug");
    }).build();
    assertThat(h.run(retry, new Flaky(1)).value()).isEqualTo("ok");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void checkedAndWrappedFailuresAreClassifiedByTheirCause(Mode mode) {
    Harness h = new Harness(mode);
    Retry retry = h.retry("r").config(fixed(3, 10).retryOn(IOException.class).build()).build();
    AtomicInteger calls = new AtomicInteger();
    Result<Object> result = h.run(retry, () -> {
      calls.incrementAndGet();
      throw new java.util.concurrent.CompletionException(new IOException("wrapped"));
    });
    assertThat(calls).hasValue(3);
    assertThat(OutcomeClassifierUnwrap.of(result.failure())).isInstanceOf(IOException.class);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void maxAttemptsOfOneNeverRetries(Mode mode) {
    Harness h = new Harness(mode);
    Retry retry = h.retry("r").config(fixed(1, 10).build()).build();
    Flaky body = new Flaky(1);
    assertThat(h.run(retry, body).failure()).isInstanceOf(IOException.class);
    assertThat(body.calls).hasValue(1);
    assertThat(retry.metrics().failedCallsWithoutRetry()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void uncheckedFailuresPassThroughUnchanged(Mode mode) {
    Harness h = new Harness(mode);
    Retry retry = h.retry("r").config(fixed(2, 10).build()).build();
    UncheckedIOException boom = new UncheckedIOException(new IOException("x"));
    assertThat(h.run(retry, () -> {
      throw boom;
    }).failure()).isSameAs(boom);
  }

  @org.junit.jupiter.api.Test
  void asyncSupplierThatThrowsOrReturnsNullCountsAsAFailedAttempt() {
    Harness h = new Harness(Mode.ASYNC);
    Retry retry = h.retry("r").config(fixed(3, 10).build()).build();
    AtomicInteger calls = new AtomicInteger();
    CompletableFuture<String> future = retry.<String>callAsync(() -> {
      int n = calls.incrementAndGet();
      if (n == 1) {
        throw new IllegalStateException("supplier threw");
      }
      if (n == 2) {
        return null;
      }
      return CompletableFuture.completedFuture("ok");
    }).toCompletableFuture();
    h.drive(future);
    assertThat(future).isCompletedWithValue("ok");
    assertThat(calls).hasValue(3);
  }

  @org.junit.jupiter.api.Test
  void asyncZeroDelayRetriesOfSynchronouslyCompletedStagesDoNotGrowTheStack() {
    Harness h = new Harness(Mode.ASYNC);
    Retry retry = h.retry("r").config(RetryConfig.builder().maxAttempts(20_000).backoff(Backoff.none())
        .budget(RetryBudgetConfig.unlimited()).build()).build();
    AtomicInteger calls = new AtomicInteger();
    IOException again = new IOException("again");
    CompletionStage<String> stage = retry.callAsync(() -> calls.incrementAndGet() < 20_000
        ? CompletableFuture.failedFuture(again)
        : CompletableFuture.completedFuture("done"));
    assertThat(stage.toCompletableFuture()).isCompletedWithValue("done");
    assertThat(calls).hasValue(20_000);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void atMost32EarlierFailuresAreAttachedSoHugeMaxAttemptsCannotHoldUnboundedMemory(Mode mode) {
    Harness h = new Harness(mode);
    Retry retry = h.retry("r").config(RetryConfig.builder().maxAttempts(100).backoff(Backoff.none())
        .budget(RetryBudgetConfig.unlimited()).build()).build();
    Flaky body = new Flaky(1000);
    Result<String> result = h.run(retry, body);
    assertThat(body.calls).hasValue(100);
    assertThat(result.failure()).isSameAs(body.thrown.get(99));
    assertThat(result.failure().getSuppressed()).hasSize(32).startsWith(body.thrown.get(0), body.thrown.get(1));
  }

  @org.junit.jupiter.api.Test
  void asyncCallFailsWithTheBrokenRuleAndKeepsTheOriginalFailureWhenARuleThrows() {
    Harness h = new Harness(Mode.ASYNC);
    IllegalStateException bug = new IllegalStateException("bug in abortIf");
    Retry retry = h.retry("r").config(fixed(3, 10).abortIf(e -> {
      throw bug;
    }).build()).build();
    IOException down = new IOException("down");
    Result<Object> result = h.run(retry, () -> {
      throw down;
    });
    assertThat(result.failure()).isSameAs(bug);
    assertThat(bug.getSuppressed()).containsExactly(down);
  }

  /** An exception that carries a Retry-After, as an HTTP 429 would. */
  static final class TooManyRequests extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient Duration retryAfter;

    TooManyRequests(Duration retryAfter) {
      super("429, retry after " + retryAfter);
      this.retryAfter = retryAfter;
    }
  }

  /** Unwraps like the classifier does, for assertions. */
  static final class OutcomeClassifierUnwrap {
    static Throwable of(Throwable t) {
      return dev.bulwark.OutcomeClassifier.unwrap(t);
    }
  }
}
