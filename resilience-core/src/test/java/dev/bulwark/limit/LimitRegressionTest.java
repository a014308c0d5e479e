package dev.bulwark.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.OutcomeClassifier;
import dev.bulwark.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The known failures of other adaptive limiters, each pinned down against ours, through the real limiter. */
class LimitRegressionTest {
  static final long MS = 1_000_000L;

  static Stream<Arguments> adaptive() {
    return Stream.of(
        Arguments.of("aimd", LimitAlgorithm.aimd().initialLimit(50).build()),
        Arguments.of("gradient", LimitAlgorithm.gradient().initialLimit(50).build()),
        Arguments.of("vegas", LimitAlgorithm.vegas().initialLimit(50).build()));
  }

  static ConcurrencyLimiter limiter(ManualClock clock, LimitAlgorithm algorithm) {
    return limiter(clock, algorithm, ConcurrencyLimiterConfig.builder());
  }

  static ConcurrencyLimiter limiter(ManualClock clock, LimitAlgorithm algorithm,
      ConcurrencyLimiterConfig.Builder config) {
    return ConcurrencyLimiter.builder("dep")
        .config(config.algorithm(algorithm).window(Duration.ofMillis(100)).build())
        .clock(clock)
        .random(new SplittableRandom(1))
        .build();
  }

  /** Fills the limit, lets {@code rtt} pass, completes every call with {@code outcome}; one round per call. */
  static void rounds(ManualClock clock, ConcurrencyLimiter limiter, int rounds, long rttNanos,
      java.util.function.Consumer<LimiterPermit> outcome) {
    for (int r = 0; r < rounds; r++) {
      List<LimiterPermit> permits = new ArrayList<>();
      LimiterPermit p;
      while ((p = limiter.tryAcquirePermit()) != null) {
        permits.add(p);
      }
      clock.advance(rttNanos);
      permits.forEach(outcome);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("adaptive")
  void regression137_clientsTimingOutAtAFixedRttDoNotDriveTheLimitToItsMaximum(String name,
      LimitAlgorithm algorithm) {
    ManualClock clock = new ManualClock();
    ConcurrencyLimiter limiter = limiter(clock, algorithm);
    // the backend is swamped by other clients: every call times out after exactly 5 s
    rounds(clock, limiter, 60, 5_000 * MS, LimiterPermit::onDropped);

    assertThat(limiter.metrics().limit()).as(name).isLessThanOrEqualTo(algorithm.minLimit() + 1);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("adaptive")
  void regression137_timeoutsThroughTheDecoratorLayerAreDropsSyncAndAsync(String name, LimitAlgorithm algorithm) {
    for (boolean async : new boolean[] {false, true}) {
      ManualClock clock = new ManualClock();
      ConcurrencyLimiter limiter = limiter(clock, algorithm);
      for (int i = 0; i < 60; i++) {
        int limit = limiter.metrics().limit();
        List<CompletableFuture<Object>> pending = new ArrayList<>();
        for (int c = 0; c < limit; c++) {
          if (async) {
            CompletableFuture<Object> f = new CompletableFuture<>();
            pending.add(f);
            limiter.callAsync(() -> f);
          } else {
            pending.add(null);
          }
        }
        clock.advance(5_000 * MS);
        for (CompletableFuture<Object> f : pending) {
          if (async) {
            f.completeExceptionally(new TimeoutException("5 s"));
          } else {
            assertThatThrownBy(() -> limiter.call(() -> {
              clock.advance(1);
              throw new TimeoutException("5 s");
            })).isInstanceOf(TimeoutException.class);
          }
        }
      }
      assertThat(limiter.metrics().droppedCalls()).isPositive();
      assertThat(limiter.metrics().limit()).as(name + (async ? " async" : " sync"))
          .isLessThanOrEqualTo(algorithm.minLimit() + 1);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("adaptive")
  void regression137_successesSlowerThanTheSlowCallDurationCountAsDrops(String name, LimitAlgorithm algorithm) {
    ManualClock clock = new ManualClock();
    ConcurrencyLimiter limiter = limiter(clock, algorithm, ConcurrencyLimiterConfig.builder()
        .classifier(OutcomeClassifier.builder().slowCallDuration(Duration.ofSeconds(5)).build()));
    // an integration that reports its client timeouts as successes: the classifier still sees them as slow
    rounds(clock, limiter, 60, 5_000 * MS, LimiterPermit::onSuccess);

    assertThat(limiter.metrics().droppedCalls()).isPositive();
    assertThat(limiter.metrics().successfulCalls()).isZero();
    assertThat(limiter.metrics().limit()).as(name).isLessThanOrEqualTo(algorithm.minLimit() + 1);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("adaptive")
  void regression176_fastRejectionsDoNotLookLikeFastSuccesses(String name, LimitAlgorithm algorithm) {
    ManualClock clock = new ManualClock();
    ConcurrencyLimiter limiter = limiter(clock, algorithm);
    // settle on calls of 50 ms
    rounds(clock, limiter, 20, 50 * MS, LimiterPermit::onSuccess);
    int settled = limiter.metrics().limit();
    long rtt = limiter.metrics().rttNanos();
    assertThat(rtt).isBetween(45 * MS, 55 * MS);

    // now a fifth of the calls are refused by the overloaded dependency within 1 ms
    for (int r = 0; r < 10; r++) {
      List<LimiterPermit> permits = new ArrayList<>();
      LimiterPermit p;
      while ((p = limiter.tryAcquirePermit()) != null) {
        permits.add(p);
      }
      clock.advance(MS);
      for (int i = 0; i < permits.size(); i += 5) {
        permits.get(i).onDropped();
      }
      clock.advance(49 * MS);
      permits.forEach(LimiterPermit::onSuccess); // the refused ones: a second completion, ignored
    }

    assertThat(limiter.metrics().rttNanos()).as(name).isBetween(45 * MS, 55 * MS);
    assertThat(limiter.metrics().limit()).as(name).isLessThan(settled);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("adaptive")
  void dropsLowerTheLimitWhereGradient2IgnoresThem(String name, LimitAlgorithm algorithm) {
    WindowSample healthy = WindowSample.builder(0, 100 * MS).addRtt(20 * MS, 100).maxInflight(50).build();
    WindowSample dropping = WindowSample.builder(100 * MS, 200 * MS).addRtt(20 * MS, 95).drops(5)
        .maxInflight(50).build();
    LimitAlgorithm.Controller controller = algorithm.newController(new SplittableRandom(1));
    int limit = 50;
    for (int i = 0; i < 5; i++) { // past the first probe
      limit = controller.update(WindowSample.builder(i * 100 * MS, (i + 1) * 100 * MS).addRtt(20 * MS, 100)
          .maxInflight(limit).build(), limit);
    }
    int before = controller.update(healthy, limit);
    int after = controller.update(dropping, before);
    assertThat(after).as(name).isLessThan(before);
  }

  @Test
  void envoy46532_theProbeLevelIsItsOwnOptionApartFromTheFloorAndNeverRaisesTheLimit() {
    GradientLimit gradient = LimitAlgorithm.gradient().initialLimit(100).minLimit(30).probeLimit(10)
        .probeInterval(Duration.ofSeconds(10)).build();
    LimitAlgorithm.Controller controller = gradient.newController(new SplittableRandom(3));
    long t = 0;
    // first window: the probe pins the limit to the probe level, below the floor
    int limit = controller.update(sample(t, t += 100 * MS, 20 * MS, 100), 100);
    assertThat(limit).isEqualTo(10);
    assertThat(controller.sampleCallsStartedFromNanos()).isEqualTo(t);
    // the probe's window: the limit goes back where it was, and the baseline is measured
    limit = controller.update(sample(t, t += 100 * MS, 20 * MS, 10), limit);
    assertThat(limit).isEqualTo(100);
    assertThat(controller.noLoadRttNanos()).isBetween(19 * MS, 21 * MS);
    assertThat(controller.sampleCallsStartedFromNanos()).isEqualTo(Long.MIN_VALUE);

    // a limit already below the probe level is not raised by a probe
    GradientLimit low = LimitAlgorithm.gradient().initialLimit(5).minLimit(1).probeLimit(10).build();
    LimitAlgorithm.Controller lowController = low.newController(new SplittableRandom(3));
    assertThat(lowController.update(sample(0, 100 * MS, 20 * MS, 5), 5)).isEqualTo(5);
  }

  @Test
  void envoy46532_probesAreJitteredSoAFleetDoesNotProbeInStep() {
    List<Long> starts = new ArrayList<>();
    for (int seed = 0; seed < 8; seed++) {
      GradientLimit gradient = LimitAlgorithm.gradient().initialLimit(40).probeInterval(Duration.ofSeconds(10))
          .probeJitter(0.5).build();
      LimitAlgorithm.Controller controller = gradient.newController(new SplittableRandom(seed));
      long t = 0;
      int limit = 40;
      long secondProbe = -1;
      for (int w = 0; w < 200 && secondProbe < 0; w++) {
        long end = t + 100 * MS;
        limit = controller.update(sample(t, end, 20 * MS, limit), limit);
        if (w > 1 && controller.sampleCallsStartedFromNanos() != Long.MIN_VALUE) {
          secondProbe = end;
        }
        t = end;
      }
      starts.add(secondProbe);
    }
    // the first probe ends at 200 ms; the next starts 10 s to 15 s later, at a different time per instance
    assertThat(starts).allSatisfy(s -> assertThat(s).isBetween(10_200 * MS, 15_300 * MS));
    assertThat(starts.stream().distinct().count()).isGreaterThan(4);
  }

  @Test
  void regression233_aLowPriorityFloodNeverTakesTheLastSlotsOfTheGlobalLimit() {
    ManualClock clock = new ManualClock();
    LoadShedder shedder = LoadShedder.builder("api")
        .config(LoadShedderConfig.builder()
            .limiter(ConcurrencyLimiterConfig.builder().algorithm(LimitAlgorithm.fixed(10)).build())
            .build())
        .clock(clock)
        .build();
    List<LimiterPermit> held = new ArrayList<>();
    LimiterPermit p;
    while ((p = shedder.tryAcquirePermit(Priority.BEST_EFFORT)) != null) {
      held.add(p);
    }
    assertThat(held).hasSize(5); // best effort may fill half
    while ((p = shedder.tryAcquirePermit(Priority.CRITICAL)) != null) {
      held.add(p);
    }
    assertThat(held).hasSize(10); // critical fills the rest, never more
    assertThat(shedder.metrics().inflight()).isEqualTo(10);
  }

  private static WindowSample sample(long start, long end, long rtt, int inflight) {
    return WindowSample.builder(start, end).addRtt(rtt, 100).maxInflight(inflight).build();
  }
}
