package dev.bulwark.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.CallNotPermittedException;
import dev.bulwark.OutcomeClassifier;
import dev.bulwark.Pipeline;
import dev.bulwark.PolicyKind;
import dev.bulwark.Registry;
import dev.bulwark.testing.ManualClock;
import java.io.FileNotFoundException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ConcurrencyLimiterTest {
  static final long MS = 1_000_000L;

  enum Path { SYNC, ASYNC }

  private final ManualClock clock = new ManualClock();

  private ConcurrencyLimiter fixed(int limit) {
    return fixed(limit, ConcurrencyLimiterConfig.builder());
  }

  private ConcurrencyLimiter fixed(int limit, ConcurrencyLimiterConfig.Builder config) {
    return ConcurrencyLimiter.builder("db")
        .config(config.algorithm(LimitAlgorithm.fixed(limit)).window(Duration.ofMillis(100)).build())
        .clock(clock)
        .build();
  }

  /** Runs {@code callable} through the sync or the async decorator path, rethrowing what it threw. */
  static <T> T run(Path path, ConcurrencyLimiter limiter, Callable<T> callable) throws Exception {
    if (path == Path.SYNC) {
      return limiter.call(callable);
    }
    CompletableFuture<T> future = limiter.<T>callAsync(() -> {
      try {
        return CompletableFuture.completedFuture(callable.call());
      } catch (Exception e) {
        return CompletableFuture.failedFuture(e);
      }
    }).toCompletableFuture();
    try {
      return future.join();
    } catch (CompletionException e) {
      throw (Exception) e.getCause();
    }
  }

  @Test
  void admitsUpToTheLimitThenRefusesWithoutAnException() {
    ConcurrencyLimiter limiter = fixed(3);
    List<LimiterPermit> permits = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      permits.add(limiter.tryAcquirePermit());
    }
    assertThat(permits).doesNotContainNull();
    assertThat(limiter.tryAcquirePermit()).isNull();
    assertThat(limiter.metrics().inflight()).isEqualTo(3);
    assertThat(limiter.metrics().rejectedCalls()).isEqualTo(1);

    permits.get(0).onSuccess();
    assertThat(limiter.metrics().inflight()).isEqualTo(2);
    assertThat(limiter.tryAcquirePermit()).isNotNull();
  }

  @Test
  void aRejectionNamesTheLimiterItsLimitAndCarriesTheMedianRoundTripAsRetryHint() {
    ConcurrencyLimiter limiter = fixed(2, ConcurrencyLimiterConfig.builder().minWindowSamples(1));
    LimiterPermit a = limiter.acquirePermit();
    clock.advance(30 * MS);
    a.onSuccess();
    clock.advance(100 * MS);
    LimiterPermit b = limiter.acquirePermit();
    clock.advance(30 * MS);
    b.onSuccess(); // closes the window: p50 = 30 ms (within a histogram bucket)
    limiter.acquirePermit();
    limiter.acquirePermit();

    assertThatThrownBy(limiter::acquirePermit)
        .isInstanceOfSatisfying(LimitExceededException.class, e -> {
          assertThat(e.policyName()).isEqualTo("db");
          assertThat(e.policyKind()).isEqualTo(PolicyKind.LOAD_SHEDDER);
          assertThat(e.priority()).isNull();
          assertThat(e.limit()).isEqualTo(2);
          assertThat(e.inflight()).isEqualTo(2);
          assertThat(e.retryAfter()).hasValueSatisfying(d -> assertThat(d.toMillis()).isBetween(28L, 33L));
          assertThat(e.getStackTrace()).isEmpty();
          assertThat(e.getMessage()).startsWith(
              "load shedder 'db' is at its concurrency limit of 2 (2 calls in flight); a call may be admitted in");
        });
  }

  @Test
  void completingAPermitTwiceIsHarmlessEvenAfterItsSlotIsReused() {
    ConcurrencyLimiter limiter = fixed(1);
    LimiterPermit first = limiter.acquirePermit();
    first.onSuccess();
    first.onDropped();
    first.onSuccess(5);
    assertThat(limiter.metrics().inflight()).isZero();

    LimiterPermit second = limiter.acquirePermit(); // reuses the one slot
    first.onSuccess();
    first.release();
    assertThat(limiter.metrics().inflight()).isEqualTo(1);
    assertThat(limiter.tryAcquirePermit()).isNull();
    assertThat(second.toString()).contains("held");
    assertThat(first.toString()).contains("completed");

    second.onIgnore();
    assertThat(limiter.metrics().inflight()).isZero();
    assertThat(limiter.metrics().successfulCalls()).isEqualTo(1);
    assertThat(limiter.metrics().droppedCalls()).isZero();
    assertThat(limiter.metrics().ignoredCalls()).isEqualTo(1);
  }

  @Test
  void oneThreadHoldingEveryPermitGetsDistinctSlotsBeyondItsHomeGroupAndReusesThem() {
    // slots are looked for from a per-thread home group: a thread holding many calls at once must scan past
    // it (and wrap around the table) to distinct slots, and every completion must free exactly its own
    ConcurrencyLimiter limiter = fixed(1000);
    for (int round = 0; round < 3; round++) {
      List<LimiterPermit> held = new ArrayList<>();
      for (int i = 0; i < 1000; i++) {
        LimiterPermit permit = limiter.tryAcquirePermit();
        assertThat(permit).as("permit %d of round %d", i, round).isNotNull();
        held.add(permit);
      }
      assertThat(limiter.tryAcquirePermit()).isNull();
      assertThat(limiter.metrics().inflight()).isEqualTo(1000);
      for (int i = 0; i < held.size(); i += 2) {
        held.get(i).onSuccess();
        held.get(i).onSuccess(); // a duplicate must not free another call's slot
      }
      assertThat(limiter.metrics().inflight()).isEqualTo(500);
      assertThat(held.get(1).toString()).contains("held");
      assertThat(held.get(0).toString()).contains("completed");
      for (int i = 1; i < held.size(); i += 2) {
        held.get(i).onDropped();
      }
      assertThat(limiter.metrics().inflight()).isZero();
    }
    assertThat(limiter.metrics().successfulCalls()).isEqualTo(1500);
    assertThat(limiter.metrics().droppedCalls()).isEqualTo(1500);
  }

  @Test
  void theLimiterMeasuresTheRoundTripItselfAndIgnoresTheReportedDuration() {
    ConcurrencyLimiter limiter = fixed(10, ConcurrencyLimiterConfig.builder().minWindowSamples(1));
    LimiterPermit permit = limiter.acquirePermit();
    clock.advance(42 * MS);
    permit.onSuccess(1); // claims 1 ns
    clock.advance(100 * MS);
    limiter.acquirePermit().onResult(999_999_999_999L, "ok"); // closes the window

    WindowSample window = limiter.metrics().lastWindow();
    assertThat(window.successes()).isEqualTo(2);
    assertThat(window.rttNanos(1.0)).isBetween(40 * MS, 45 * MS); // a bucket is within about 6%
    assertThat(window.minRttNanos()).isZero();
  }

  @ParameterizedTest
  @EnumSource(Path.class)
  void outcomesAreClassifiedAsSuccessDroppedOrIgnored(Path path) throws Exception {
    ConcurrencyLimiter limiter = fixed(5, ConcurrencyLimiterConfig.builder()
        .classifier(OutcomeClassifier.builder()
            .recordExceptions(TimeoutException.class)
            .ignoreExceptions(FileNotFoundException.class)
            .recordResult("overloaded"::equals)
            .build()));

    assertThat(run(path, limiter, () -> "fine")).isEqualTo("fine");
    assertThat(run(path, limiter, () -> "overloaded")).isEqualTo("overloaded");
    assertThatThrownBy(() -> run(path, limiter, () -> {
      throw new TimeoutException();
    })).isInstanceOf(TimeoutException.class);
    assertThatThrownBy(() -> run(path, limiter, () -> {
      throw new FileNotFoundException();
    })).isInstanceOf(FileNotFoundException.class);
    assertThatThrownBy(() -> run(path, limiter, () -> {
      throw new IllegalArgumentException("the dependency answered: bad request");
    })).isInstanceOf(IllegalArgumentException.class);

    ConcurrencyLimiter.Metrics m = limiter.metrics();
    assertThat(m.successfulCalls()).isEqualTo(2);
    assertThat(m.droppedCalls()).isEqualTo(2);
    assertThat(m.ignoredCalls()).isEqualTo(1);
    assertThat(m.inflight()).isZero();
  }

  @ParameterizedTest
  @EnumSource(Path.class)
  void theDefaultClassifierDropsTimeoutsAndInnerRejectionsButNotOtherErrors(Path path) throws Exception {
    ConcurrencyLimiter limiter = fixed(5);
    assertThatThrownBy(() -> run(path, limiter, () -> {
      throw new TimeoutException();
    })).isInstanceOf(TimeoutException.class);
    assertThatThrownBy(() -> run(path, limiter, () -> {
      throw new java.net.SocketTimeoutException();
    })).isInstanceOf(java.net.SocketTimeoutException.class);
    assertThatThrownBy(() -> run(path, limiter, () -> {
      throw new CallNotPermittedException(PolicyKind.BULKHEAD, "pool", -1);
    })).isInstanceOf(CallNotPermittedException.class);
    assertThatThrownBy(() -> run(path, limiter, () -> {
      throw new IllegalStateException();
    })).isInstanceOf(IllegalStateException.class);

    assertThat(limiter.metrics().droppedCalls()).isEqualTo(3);
    assertThat(limiter.metrics().successfulCalls()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Path.class)
  void atTheLimitTheCallIsRejectedAndNeverRuns(Path path) {
    ConcurrencyLimiter limiter = fixed(1);
    LimiterPermit held = limiter.acquirePermit();
    boolean[] ran = {false};
    assertThatThrownBy(() -> run(path, limiter, () -> ran[0] = true))
        .isInstanceOf(LimitExceededException.class);
    assertThat(ran[0]).isFalse();
    held.onSuccess();
    assertThat(limiter.metrics().rejectedCalls()).isEqualTo(1);
  }

  @Test
  void cancellingAnAsyncCallReleasesItsSlotWithoutASample() {
    ConcurrencyLimiter limiter = fixed(1);
    CompletableFuture<String> work = new CompletableFuture<>();
    CompletableFuture<String> call = limiter.<String>callAsync(() -> work).toCompletableFuture();
    assertThat(limiter.metrics().inflight()).isEqualTo(1);

    call.cancel(true);
    assertThat(limiter.metrics().inflight()).isZero();
    assertThat(work).isCancelled();
    assertThat(limiter.metrics().ignoredCalls()).isEqualTo(1);
    work.complete("late"); // nothing more is recorded
    assertThat(limiter.metrics().successfulCalls()).isZero();
  }

  @Test
  void anAsyncSupplierThatThrowsFreesItsSlot() {
    ConcurrencyLimiter limiter = fixed(1);
    CompletableFuture<Object> call = limiter.callAsync(() -> {
      throw new CallNotPermittedException(PolicyKind.BULKHEAD, "inner", -1); // an overload signal: dropped
    }).toCompletableFuture();
    assertThat(call).isCompletedExceptionally();
    assertThat(limiter.metrics().inflight()).isZero();
    assertThat(limiter.metrics().droppedCalls()).isEqualTo(1);
    assertThatThrownBy(() -> limiter.callAsync(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> limiter.call(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void getAndRunAndDecorateUseTheSamePath() {
    ConcurrencyLimiter limiter = fixed(1);
    assertThat(limiter.get(() -> 7)).isEqualTo(7);
    limiter.run(() -> clock.advance(MS));
    assertThat(limiter.decorate(() -> "x").get()).isEqualTo("x");
    assertThat(limiter.metrics().successfulCalls()).isEqualTo(3);
  }

  @Test
  void aWindowWithTooFewCallsIsExtendedNotJudged() {
    List<LimiterEvent.LimitChanged> changes = new ArrayList<>();
    ConcurrencyLimiter limiter = ConcurrencyLimiter.builder("svc")
        .config(ConcurrencyLimiterConfig.builder()
            .algorithm(LimitAlgorithm.aimd().initialLimit(4).build())
            .window(Duration.ofMillis(100))
            .minWindowSamples(5)
            .build())
        .clock(clock)
        .listener(LimiterEvent.LimitChanged.class, changes::add)
        .build();

    for (int i = 0; i < 4; i++) { // four calls over 400 ms: never five in a window
      LimiterPermit p = limiter.acquirePermit();
      clock.advance(100 * MS);
      p.onDropped();
    }
    assertThat(limiter.metrics().windows()).isZero();
    assertThat(limiter.metrics().limit()).isEqualTo(4);

    // extended windows are re-checked a quarter window later
    LimiterPermit fifth = limiter.acquirePermit();
    clock.advance(100 * MS);
    fifth.onDropped(); // the fifth drop: judged, and AIMD backs off
    assertThat(limiter.metrics().windows()).isEqualTo(1);
    assertThat(limiter.metrics().limit()).isEqualTo(3);
    assertThat(changes).singleElement().satisfies(e -> {
      assertThat(e.name()).isEqualTo("svc");
      assertThat(e.previousLimit()).isEqualTo(4);
      assertThat(e.newLimit()).isEqualTo(3);
      assertThat(e.sample().drops()).isEqualTo(5);
      assertThat(e.sample().durationNanos()).isEqualTo(500 * MS);
      assertThat(e.sample().successes()).isZero();
    });
  }

  @Test
  void aLoweredLimitAdmitsNothingUntilInFlightFallsBelowIt() {
    ConcurrencyLimiter limiter = ConcurrencyLimiter.builder("svc")
        .config(ConcurrencyLimiterConfig.builder()
            .algorithm(LimitAlgorithm.aimd().initialLimit(10).backoffRatio(0.5).build())
            .window(Duration.ofMillis(100)).minWindowSamples(1).build())
        .clock(clock)
        .build();
    List<LimiterPermit> held = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      held.add(limiter.acquirePermit());
    }
    clock.advance(100 * MS);
    held.remove(0).onDropped(); // window closes: limit 10 -> 5, 9 still in flight
    assertThat(limiter.metrics().limit()).isEqualTo(5);
    assertThat(limiter.metrics().inflight()).isEqualTo(9);
    for (int i = 0; i < 4; i++) {
      assertThat(limiter.tryAcquirePermit()).isNull();
      held.remove(0).onIgnore();
    }
    assertThat(limiter.metrics().inflight()).isEqualTo(5);
    assertThat(limiter.tryAcquirePermit()).isNull();
    held.remove(0).onIgnore();
    assertThat(limiter.tryAcquirePermit()).isNotNull();
  }

  @Test
  void listenersHearRejectionsAndAThrowingListenerBreaksNothing() {
    List<LimiterEvent> events = new ArrayList<>();
    ConcurrencyLimiter limiter = ConcurrencyLimiter.builder("svc")
        .config(ConcurrencyLimiterConfig.builder().algorithm(LimitAlgorithm.fixed(1)).build())
        .clock(clock)
        .listener(LimiterEvent.class, e -> {
          throw new IllegalStateException("listener bug");
        })
        .listener(LimiterEvent.Rejected.class, events::add)
        .build();
    LimiterPermit held = limiter.acquirePermit();
    assertThat(limiter.tryAcquirePermit()).isNull();
    assertThatThrownBy(limiter::acquirePermit).isInstanceOf(LimitExceededException.class);
    held.onSuccess();
    assertThat(events).hasSize(2).allSatisfy(e -> {
      assertThat(e).isEqualTo(new LimiterEvent.Rejected("svc", null, 1, 1, 0));
    });
  }

  @Test
  void aThrowingAlgorithmKeepsTheLimit() {
    LimitAlgorithm broken = new LimitAlgorithm() {
      @Override
      public int initialLimit() {
        return 3;
      }

      @Override
      public int minLimit() {
        return 1;
      }

      @Override
      public int maxLimit() {
        return 10;
      }

      @Override
      public Controller newController(RandomGenerator random) {
        return (sample, limit) -> {
          throw new ArithmeticException("bug");
        };
      }
    };
    ConcurrencyLimiter limiter = ConcurrencyLimiter.builder("svc")
        .config(ConcurrencyLimiterConfig.builder().algorithm(broken).window(Duration.ofMillis(10))
            .minWindowSamples(1).build())
        .clock(clock)
        .build();
    for (int i = 0; i < 3; i++) {
      clock.advance(20 * MS);
      limiter.acquirePermit().onSuccess();
    }
    assertThat(limiter.metrics().limit()).isEqualTo(3);
    assertThat(limiter.metrics().windows()).isEqualTo(3);
  }

  @Test
  void aCustomAlgorithmsLimitIsClampedToItsMaximum() {
    LimitAlgorithm doubling = new LimitAlgorithm() {
      @Override
      public int initialLimit() {
        return 2;
      }

      @Override
      public int minLimit() {
        return 1;
      }

      @Override
      public int maxLimit() {
        return 6;
      }

      @Override
      public Controller newController(RandomGenerator random) {
        return (sample, limit) -> limit * 2;
      }
    };
    ConcurrencyLimiter limiter = ConcurrencyLimiter.builder("svc")
        .config(ConcurrencyLimiterConfig.builder().algorithm(doubling).window(Duration.ofMillis(10))
            .minWindowSamples(1).build())
        .clock(clock)
        .build();
    for (int i = 0; i < 3; i++) {
      clock.advance(20 * MS);
      limiter.acquirePermit().onSuccess();
    }
    assertThat(limiter.metrics().limit()).isEqualTo(6);
  }

  @Test
  void theMetricsViewShowsBoundsLimitInflightAndLatencyEstimates() {
    ConcurrencyLimiter limiter = ConcurrencyLimiter.builder("svc")
        .config(ConcurrencyLimiterConfig.builder()
            .algorithm(LimitAlgorithm.gradient().initialLimit(8).minLimit(2).maxLimit(50).build())
            .window(Duration.ofMillis(100)).minWindowSamples(1).build())
        .clock(clock)
        .random(new SplittableRandom(5))
        .build();
    ConcurrencyLimiter.Metrics m = limiter.metrics();
    assertThat(m.initialLimit()).isEqualTo(8);
    assertThat(m.minLimit()).isEqualTo(2);
    assertThat(m.maxLimit()).isEqualTo(50);
    assertThat(m.limit()).isEqualTo(8);
    assertThat(m.rttNanos()).isEqualTo(-1);
    assertThat(m.noLoadRttNanos()).isEqualTo(-1);
    assertThat(m.lastWindow()).isNull();

    for (int i = 0; i < 5; i++) {
      LimiterPermit p = limiter.acquirePermit();
      clock.advance(60 * MS);
      p.onSuccess();
    }
    assertThat(m.rttNanos()).isBetween(57 * MS, 63 * MS);
    assertThat(m.noLoadRttNanos()).isBetween(57 * MS, 63 * MS);
    assertThat(m.windows()).isPositive();
    assertThat(limiter.toString()).contains("svc").contains("GradientLimit");
  }

  @Test
  void itIsALoadShedderInPipelinesAndRegistries() throws Exception {
    Registry<ConcurrencyLimiter, ConcurrencyLimiterConfig> registry = Registry
        .builder(ConcurrencyLimiterConfig.defaults(), ConcurrencyLimiter::of)
        .template("fixed", ConcurrencyLimiterConfig.builder().algorithm(LimitAlgorithm.fixed(7)).build())
        .build();
    ConcurrencyLimiter a = registry.get("a");
    ConcurrencyLimiter b = registry.get("b", "fixed");
    assertThat(a.kind()).isEqualTo(PolicyKind.LOAD_SHEDDER);
    assertThat(a.config().algorithm()).isInstanceOf(GradientLimit.class);
    assertThat(b.metrics().limit()).isEqualTo(7);
    assertThat(Pipeline.of(b).call(() -> "through")).isEqualTo("through");
    assertThat(ConcurrencyLimiter.ofDefaults("d").name()).isEqualTo("d");
  }

  @Test
  void aProbeLeavesOutCallsAdmittedBeforeItStarted() {
    ConcurrencyLimiter limiter = ConcurrencyLimiter.builder("svc")
        .config(ConcurrencyLimiterConfig.builder()
            .algorithm(LimitAlgorithm.gradient().initialLimit(20).probeLimit(2).build())
            .window(Duration.ofMillis(100)).minWindowSamples(3).build())
        .clock(clock)
        .random(new SplittableRandom(5))
        .build();
    // a slow crowd admitted before the first window closes
    List<LimiterPermit> crowd = new ArrayList<>();
    for (int i = 0; i < 15; i++) {
      crowd.add(limiter.acquirePermit());
    }
    clock.advance(99 * MS);
    for (int i = 0; i < 3; i++) {
      crowd.remove(0).onSuccess();
    }
    clock.advance(MS);
    crowd.remove(0).onSuccess(); // closes the first window: the probe pins the limit to 2
    assertThat(limiter.metrics().limit()).isEqualTo(2);
    clock.advance(400 * MS);
    crowd.forEach(LimiterPermit::onSuccess); // 500 ms calls of the old concurrency: left out
    for (int i = 0; i < 3; i++) { // three calls of 10 ms at probe concurrency
      LimiterPermit p = limiter.acquirePermit();
      clock.advance(10 * MS);
      p.onSuccess();
    }
    assertThat(limiter.metrics().noLoadRttNanos()).isBetween(9 * MS, 11 * MS);
    assertThat(limiter.metrics().limit()).isEqualTo(20);
    assertThat(limiter.metrics().successfulCalls()).isEqualTo(18);
    assertThat(limiter.metrics().lastWindow().successes()).isEqualTo(3);
  }

  @Test
  void cancellationOfTheFutureIsNotADrop() {
    ConcurrencyLimiter limiter = fixed(2);
    CompletableFuture<Object> call = limiter.callAsync(() -> CompletableFuture.failedFuture(
        new CancellationException())).toCompletableFuture();
    assertThat(call).isCompletedExceptionally();
    assertThat(limiter.metrics().droppedCalls()).isZero();
    assertThat(limiter.metrics().ignoredCalls()).isEqualTo(1);
  }

  /** Runs {@code calls} calls of {@code rttNanos} each, one after another. */
  private static void calls(ManualClock clock, ConcurrencyLimiter limiter, int calls, long rttNanos) {
    for (int i = 0; i < calls; i++) {
      LimiterPermit p = limiter.acquirePermit();
      clock.advance(i % 2 == 0 ? rttNanos : 2 * rttNanos);
      p.onSuccess();
    }
  }

  @Test
  void atHighCallRatesOnlyASampleIsTimedButEveryCallIsCounted() {
    long[] reads = {0};
    ConcurrencyLimiter limiter = ConcurrencyLimiter.builder("hot")
        .config(ConcurrencyLimiterConfig.builder().algorithm(LimitAlgorithm.fixed(10))
            .window(Duration.ofMillis(100)).build())
        .clock(() -> {
          reads[0]++;
          return clock.nanoTime();
        })
        .build();
    calls(clock, limiter, 80_000, 1_000); // 120 ms of calls of 1 or 2 us: the first window, all timed
    assertThat(limiter.metrics().windows()).isEqualTo(1);
    assertThat(reads[0]).isGreaterThan(2 * 66_000);

    reads[0] = 0;
    calls(clock, limiter, 80_000, 1_000);
    // after a window of about 66 700 calls, every 256th use of a slot is timed: two clock readings each
    assertThat(reads[0]).isLessThan(1_000);
    WindowSample window = limiter.metrics().lastWindow();
    assertThat(window.successes()).isBetween(66_000L, 67_500L);
    assertThat(window.timedSuccesses()).isBetween(200L, 350L);
    assertThat(window.rttNanos(0.25)).isBetween(950L, 1_050L);
    assertThat(window.rttNanos(0.75)).isBetween(1_900L, 2_100L);
    assertThat(window.toString()).contains("timed=");
    assertThat(limiter.metrics().successfulCalls()).isEqualTo(160_000);
  }

  @Test
  void everyCallIsTimedWhenASlowCallCountsAsADrop() {
    long[] reads = {0};
    ConcurrencyLimiter limiter = ConcurrencyLimiter.builder("hot")
        .config(ConcurrencyLimiterConfig.builder().algorithm(LimitAlgorithm.fixed(10))
            .window(Duration.ofMillis(100))
            .classifier(OutcomeClassifier.builder().slowCallDuration(Duration.ofNanos(1_500)).build())
            .build())
        .clock(() -> {
          reads[0]++;
          return clock.nanoTime();
        })
        .build();
    calls(clock, limiter, 100_000, 1_000);
    assertThat(reads[0]).isGreaterThanOrEqualTo(200_000);
    assertThat(limiter.metrics().successfulCalls()).isEqualTo(50_000);
    assertThat(limiter.metrics().droppedCalls()).isEqualTo(50_000);
  }

  @Test
  void theSampleShiftTimesAFewHundredCallsPerWindow() {
    assertThat(LimiterCore.sampleShiftFor(0)).isZero();
    assertThat(LimiterCore.sampleShiftFor(511)).isZero();
    assertThat(LimiterCore.sampleShiftFor(1024)).isEqualTo(2);
    assertThat(LimiterCore.sampleShiftFor(50_000)).isEqualTo(7);
    assertThat(LimiterCore.sampleShiftFor(Long.MAX_VALUE)).isEqualTo(LimiterCore.MAX_SAMPLE_SHIFT);
  }
}
