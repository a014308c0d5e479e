package dev.bulwark.circuitbreaker;

import static dev.bulwark.circuitbreaker.CircuitBreaker.State.CLOSED;
import static dev.bulwark.circuitbreaker.CircuitBreaker.State.HALF_OPEN;
import static dev.bulwark.circuitbreaker.CircuitBreaker.State.OPEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.CallNotPermittedException;
import dev.bulwark.OutcomeClassifier;
import dev.bulwark.PolicyKind;
import dev.bulwark.testing.ManualClock;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every state transition, threshold edge and half-open rule, through the sync and the async path. */
class CircuitBreakerStateTest {
  private static final Duration OPEN_FOR = Duration.ofSeconds(10);
  private static final Duration MAX_HALF_OPEN = Duration.ofSeconds(20);

  private final ManualClock clock = new ManualClock();

  private static CircuitBreakerConfig.Builder config() {
    return config(3);
  }

  private static CircuitBreakerConfig.Builder config(int probes) {
    return CircuitBreakerConfig.builder()
        .slidingWindowSize(10)
        .minimumNumberOfCalls(10)
        .permittedCallsInHalfOpen(probes)
        .openDuration(OPEN_FOR)
        .openDurationJitter(0)
        .maxHalfOpenDuration(MAX_HALF_OPEN);
  }

  private CircuitBreaker breaker(CircuitBreakerConfig config) {
    return CircuitBreaker.builder("test").config(config).clock(clock).build();
  }

  private CircuitBreaker openBreaker(Mode mode, CircuitBreakerConfig config) {
    CircuitBreaker breaker = breaker(config);
    mode.calls(breaker, clock, config.minimumNumberOfCalls(), false);
    assertThat(breaker.state()).isEqualTo(OPEN);
    return breaker;
  }

  private CircuitBreaker halfOpenBreaker(Mode mode, CircuitBreakerConfig config) {
    CircuitBreaker breaker = openBreaker(mode, config);
    clock.advance(config.openDuration());
    assertThat(breaker.state()).isEqualTo(HALF_OPEN);
    return breaker;
  }

  // ---- closed -> open ---------------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(Mode.class)
  void tripsWhenTheFailureRateIsExactlyAtTheThreshold(Mode mode) {
    CircuitBreaker breaker = breaker(config().failureRateThreshold(50).build());
    mode.calls(breaker, clock, 5, true);
    mode.calls(breaker, clock, 4, false);
    assertThat(breaker.state()).isEqualTo(CLOSED);
    assertThat(mode.fail(breaker, clock)).isNull();   // 10 calls, 5 failed: 50 % >= 50 %
    assertThat(breaker.state()).isEqualTo(OPEN);
    assertThat(breaker.metrics().failureRate()).isEqualTo(50.0);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void staysClosedJustBelowTheThreshold(Mode mode) {
    CircuitBreaker breaker = breaker(config().failureRateThreshold(30.1).build());
    mode.calls(breaker, clock, 7, true);
    mode.calls(breaker, clock, 3, false);              // 30 % < 30.1 %
    assertThat(breaker.state()).isEqualTo(CLOSED);
    assertThat(breaker.metrics().failureRate()).isEqualTo(30.0);

    CircuitBreaker atThreshold = breaker(config().failureRateThreshold(30).build());
    mode.calls(atThreshold, clock, 7, true);
    mode.calls(atThreshold, clock, 3, false);          // 30 % >= 30 %
    assertThat(atThreshold.state()).isEqualTo(OPEN);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void computesNoRateBelowTheMinimumNumberOfCalls(Mode mode) {
    CircuitBreaker breaker = breaker(
        CircuitBreakerConfig.builder().slidingWindowSize(10).minimumNumberOfCalls(5).openDurationJitter(0).build());
    mode.calls(breaker, clock, 4, false);
    assertThat(breaker.state()).isEqualTo(CLOSED);
    assertThat(breaker.metrics().failureRate()).isEqualTo(-1);
    assertThat(breaker.metrics().slowCallRate()).isEqualTo(-1);
    assertThat(breaker.metrics().bufferedCalls()).isEqualTo(4);
    mode.fail(breaker, clock);
    assertThat(breaker.state()).isEqualTo(OPEN);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void theCountWindowForgetsCallsOlderThanItsSize(Mode mode) {
    CircuitBreaker breaker = breaker(config().build());
    mode.calls(breaker, clock, 4, false);
    mode.calls(breaker, clock, 10, true);              // the 4 failures are evicted
    assertThat(breaker.metrics().failedCalls()).isZero();
    assertThat(breaker.metrics().bufferedCalls()).isEqualTo(10);
    mode.calls(breaker, clock, 4, false);              // 4 of the last 10
    assertThat(breaker.state()).isEqualTo(CLOSED);
    assertThat(breaker.metrics().failureRate()).isEqualTo(40.0);
    mode.fail(breaker, clock);
    assertThat(breaker.state()).isEqualTo(OPEN);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void tripsOnTheSlowCallRate(Mode mode) {
    OutcomeClassifier classifier = OutcomeClassifier.builder().slowCallDuration(Duration.ofMillis(100)).build();
    CircuitBreaker breaker = breaker(config().classifier(classifier).slowCallRateThreshold(50).build());
    mode.calls(breaker, clock, 5, true);
    for (int i = 0; i < 4; i++) {
      mode.slow(breaker, clock, Duration.ofMillis(100));   // exactly the slow-call duration: slow
    }
    mode.slow(breaker, clock, Duration.ofMillis(99));      // just below: not slow
    assertThat(breaker.state()).isEqualTo(CLOSED);
    assertThat(breaker.metrics().slowCallRate()).isEqualTo(40.0);
    mode.slow(breaker, clock, Duration.ofSeconds(5));      // evicts a fast call: 5 of 10 slow
    assertThat(breaker.state()).isEqualTo(OPEN);
    assertThat(breaker.metrics().slowCalls()).isEqualTo(5);
    assertThat(breaker.metrics().totalSlowCalls()).isEqualTo(5);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void slowFailuresCountForBothRates(Mode mode) {
    OutcomeClassifier classifier = OutcomeClassifier.builder().slowCallDuration(Duration.ofMillis(100)).build();
    CircuitBreaker breaker = breaker(config().classifier(classifier).failureRateThreshold(100)
        .slowCallRateThreshold(100).build());
    for (int i = 0; i < 9; i++) {
      mode.call(breaker, clock, Duration.ofMillis(200), null, new IOException("slow and failed"));
    }
    mode.call(breaker, clock, Duration.ofMillis(200), "ok", null);
    assertThat(breaker.state()).isEqualTo(OPEN); // 100 % slow
    assertThat(breaker.metrics().failureRate()).isEqualTo(90.0);
    assertThat(breaker.metrics().slowCallRate()).isEqualTo(100.0);
  }

  // ---- classification ---------------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(Mode.class)
  void ignoredExceptionsCountForNothingAndIgnoreBeatsRecord(Mode mode) {
    OutcomeClassifier classifier = OutcomeClassifier.builder()
        .recordExceptions(IOException.class)
        .ignoreExceptions(FileNotFoundException.class)
        .recordResult(result -> "503".equals(result))
        .build();
    CircuitBreaker breaker = breaker(config().classifier(classifier).build());
    for (int i = 0; i < 20; i++) {
      mode.call(breaker, clock, Mode.FAST, null, new FileNotFoundException("ignored"));
    }
    assertThat(breaker.metrics().bufferedCalls()).isZero();
    assertThat(breaker.metrics().totalIgnoredCalls()).isEqualTo(20);

    mode.call(breaker, clock, Mode.FAST, null, new IllegalArgumentException("not recorded: a success"));
    mode.call(breaker, clock, Mode.FAST, "503", null);                 // a failed result
    mode.call(breaker, clock, Mode.FAST, null, new IOException("recorded"));
    assertThat(breaker.metrics().bufferedCalls()).isEqualTo(3);
    assertThat(breaker.metrics().failedCalls()).isEqualTo(2);
    assertThat(breaker.metrics().successfulCalls()).isEqualTo(1);
  }

  // ---- open ---------------------------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(Mode.class)
  void openRejectsAndSaysWhenItMayAdmitAgain(Mode mode) {
    CircuitBreaker breaker = openBreaker(mode, config().build());
    clock.advance(Duration.ofSeconds(4));
    CircuitBreakerOpenException rejected = mode.succeed(breaker, clock);
    assertThat(rejected).isNotNull();
    assertThat(rejected.state()).isEqualTo(OPEN);
    assertThat(rejected.policyName()).isEqualTo("test");
    assertThat(rejected.policyKind()).isEqualTo(PolicyKind.CIRCUIT_BREAKER);
    assertThat(rejected).isInstanceOf(CallNotPermittedException.class);
    assertThat(rejected.getStackTrace()).isEmpty();
    assertThat(rejected.retryAfter()).contains(Duration.ofSeconds(6));
    assertThat(rejected.getMessage())
        .isEqualTo("circuit breaker 'test' is OPEN; a call may be admitted in 6000 ms");
    assertThat(breaker.metrics().totalNotPermittedCalls()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void openBecomesHalfOpenLazilyOnTheNextCallOnceTheOpenDurationElapsed(Mode mode) {
    CircuitBreaker breaker = openBreaker(mode, config().build());
    clock.advance(OPEN_FOR.minusNanos(1));
    assertThat(mode.succeed(breaker, clock)).isNotNull();
    clock.advance(1);
    assertThat(mode.succeed(breaker, clock)).isNull();     // the first probe: no state() read before it
    assertThat(breaker.state()).isEqualTo(HALF_OPEN);
  }

  @Test
  void theTryAcquireRejectionAllocatesNoExceptionAndCounts() {
    CircuitBreaker breaker = openBreaker(Mode.SYNC, config().build());
    assertThat(breaker.tryAcquirePermit()).isNull();
    assertThat(breaker.metrics().totalNotPermittedCalls()).isEqualTo(1);
  }

  // ---- half-open --------------------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(Mode.class)
  void halfOpenAdmitsExactlyThePermittedNumberOfProbes(Mode mode) {
    CircuitBreaker breaker = halfOpenBreaker(mode, config().build());
    List<Mode.InFlight> probes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      probes.add(mode.start(breaker, clock));
    }
    assertThatThrownBy(() -> mode.start(breaker, clock))
        .isInstanceOfSatisfying(CircuitBreakerOpenException.class, e -> {
          assertThat(e.state()).isEqualTo(HALF_OPEN);
          assertThat(e.retryAfter()).contains(MAX_HALF_OPEN);
          assertThat(e.getMessage()).contains("HALF_OPEN", "probe");
        });
    assertThat(breaker.tryAcquirePermit()).isNull();
    probes.forEach(Mode.InFlight::succeed);
    assertThat(breaker.state()).isEqualTo(CLOSED);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void halfOpenClosesAsSoonAsFailingTheRemainingProbesCouldNotReopenIt(Mode mode) {
    CircuitBreaker breaker = halfOpenBreaker(mode, config().failureRateThreshold(50).build());
    Mode.InFlight first = mode.start(breaker, clock);
    Mode.InFlight second = mode.start(breaker, clock);
    Mode.InFlight third = mode.start(breaker, clock);
    first.succeed();
    assertThat(breaker.state()).isEqualTo(HALF_OPEN);       // 2 failures of 3 would still reopen
    second.succeed();
    assertThat(breaker.state()).isEqualTo(CLOSED);          // 1 failure of 3 could not
    third.fail();                                           // a late probe: recorded nowhere
    assertThat(breaker.metrics().bufferedCalls()).isZero();
    assertThat(breaker.metrics().totalFailedCalls()).isEqualTo(11);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void halfOpenReopensAsSoonAsTheFailuresReachTheThreshold(Mode mode) {
    CircuitBreaker breaker = halfOpenBreaker(mode, config().failureRateThreshold(50).build());
    Mode.InFlight first = mode.start(breaker, clock);
    Mode.InFlight second = mode.start(breaker, clock);
    Mode.InFlight third = mode.start(breaker, clock);
    first.fail();
    assertThat(breaker.state()).isEqualTo(HALF_OPEN);
    second.fail();                                          // 2 of 3 >= 50 % whatever the third does
    assertThat(breaker.state()).isEqualTo(OPEN);
    third.succeed();
    assertThat(breaker.state()).isEqualTo(OPEN);
    assertThat(breaker.metrics().failedCalls()).isEqualTo(2); // the probes that tripped it
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void halfOpenWithAllProbesInDecidesOnTheirRate(Mode mode) {
    CircuitBreaker breaker = halfOpenBreaker(mode, config().failureRateThreshold(34).build());
    mode.succeed(breaker, clock);
    assertThat(breaker.state()).isEqualTo(HALF_OPEN);
    mode.fail(breaker, clock);                              // 1 of 3 = 33.3 % < 34 % at most, if the last succeeds
    assertThat(breaker.state()).isEqualTo(HALF_OPEN);
    mode.succeed(breaker, clock);
    assertThat(breaker.state()).isEqualTo(CLOSED);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void releasedAndIgnoredProbesGiveTheirSlotBack(Mode mode) {
    OutcomeClassifier classifier = OutcomeClassifier.builder().ignoreExceptions(FileNotFoundException.class).build();
    CircuitBreaker breaker = halfOpenBreaker(mode, config(1).classifier(classifier).build());
    Mode.InFlight probe = mode.start(breaker, clock);
    assertThat(breaker.tryAcquirePermit()).isNull();
    probe.cancel();
    probe = mode.start(breaker, clock);                     // the slot came back
    probe.fail(new FileNotFoundException("ignored"));
    assertThat(breaker.state()).isEqualTo(HALF_OPEN);
    probe = mode.start(breaker, clock);                     // and again
    probe.succeed();
    assertThat(breaker.state()).isEqualTo(CLOSED);
    assertThat(breaker.metrics().totalReleasedCalls()).isEqualTo(1);
    assertThat(breaker.metrics().totalIgnoredCalls()).isEqualTo(1);
  }

  @Test
  void completingAProbeTwiceCountsOnce() {
    CircuitBreaker breaker = halfOpenBreaker(Mode.SYNC, config(2).build());
    var permit = breaker.acquirePermit();
    permit.onSuccess(1);
    permit.onSuccess(1);
    permit.onFailure(1, new IOException());
    permit.release();
    assertThat(breaker.state()).isEqualTo(HALF_OPEN);       // one success of two: not yet decided
    assertThat(breaker.metrics().bufferedCalls()).isEqualTo(1);
    assertThat(breaker.acquirePermit()).isNotNull();        // exactly one slot left
    assertThat(breaker.tryAcquirePermit()).isNull();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void hungProbesStopBlockingRecoveryAfterTheMaximumHalfOpenDuration(Mode mode) {
    CircuitBreaker breaker = halfOpenBreaker(mode, config(4).build());
    mode.start(breaker, clock).succeed();
    mode.start(breaker, clock).succeed();
    Mode.InFlight hung = mode.start(breaker, clock);
    clock.advance(MAX_HALF_OPEN.minusNanos(1));
    assertThat(breaker.state()).isEqualTo(HALF_OPEN);
    clock.advance(1);
    // 3 probes issued, the hung one counts as a failure: 33 % < 50 %
    assertThat(breaker.state()).isEqualTo(CLOSED);
    hung.succeed();
    assertThat(breaker.metrics().bufferedCalls()).isZero();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void hungProbesCountAsFailuresWhenTheMaximumHalfOpenDurationRunsOut(Mode mode) {
    CircuitBreaker breaker = halfOpenBreaker(mode, config(4).build());
    mode.start(breaker, clock).succeed();
    mode.start(breaker, clock);
    clock.advance(MAX_HALF_OPEN);
    assertThat(mode.succeed(breaker, clock)).isNotNull();    // the acquire ends the episode: 1 of 2 failed
    assertThat(breaker.state()).isEqualTo(OPEN);
    assertThat(breaker.metrics().failureRate()).isEqualTo(50.0);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aHalfOpenEpisodeWithoutProbesStartsAfreshAtItsDeadline(Mode mode) {
    CircuitBreaker breaker = halfOpenBreaker(mode, config(1).build());
    clock.advance(MAX_HALF_OPEN.multipliedBy(3));
    assertThat(breaker.state()).isEqualTo(HALF_OPEN);
    Mode.InFlight probe = mode.start(breaker, clock);
    clock.advance(MAX_HALF_OPEN.minusNanos(1));
    assertThat(breaker.state()).isEqualTo(HALF_OPEN);         // the fresh episode's own deadline
    probe.succeed();
    assertThat(breaker.state()).isEqualTo(CLOSED);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aProbeCompletingAfterTheDeadlineDecidesAtOnce(Mode mode) {
    CircuitBreaker breaker = halfOpenBreaker(mode, config(4).build());
    Mode.InFlight first = mode.start(breaker, clock);
    mode.start(breaker, clock);                               // hangs
    clock.advance(MAX_HALF_OPEN);
    first.succeed();                                          // 1 success + 1 hung of 2: 50 % -> open
    assertThat(breaker.state()).isEqualTo(OPEN);
  }

  // ---- open duration ------------------------------------------------------------------------------------

  private static long retryAfter(CircuitBreakerOpenException e) {
    assertThat(e).isNotNull();
    return e.retryAfterNanos();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void theOpenDurationGrowsWithConsecutiveTripsUpToItsCapAndResetsOnClose(Mode mode) {
    CircuitBreakerConfig config = config(1).openDurationMultiplier(2)
        .maxOpenDuration(Duration.ofSeconds(30)).build();
    CircuitBreaker breaker = openBreaker(mode, config);
    long[] expected = {10, 20, 30, 30};
    for (int trip = 0; trip < expected.length; trip++) {
      assertThat(retryAfter(mode.succeed(breaker, clock))).isEqualTo(Duration.ofSeconds(expected[trip]).toNanos());
      clock.advance(Duration.ofSeconds(expected[trip]));
      mode.fail(breaker, clock);                              // the probe fails: a consecutive trip
      assertThat(breaker.state()).isEqualTo(OPEN);
    }
    clock.advance(Duration.ofSeconds(30));
    mode.succeed(breaker, clock);
    assertThat(breaker.state()).isEqualTo(CLOSED);
    mode.calls(breaker, clock, 10, false);
    assertThat(retryAfter(mode.succeed(breaker, clock))).isEqualTo(Duration.ofSeconds(10).toNanos());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void jitterShortensTheOpenDurationBySeededRandomAmounts(Mode mode) {
    CircuitBreakerConfig config = CircuitBreakerConfig.builder().slidingWindowSize(10).openDuration(OPEN_FOR)
        .openDurationJitter(0.2).build();
    CircuitBreaker breaker = CircuitBreaker.builder("jittered").config(config).clock(clock)
        .random(new SplittableRandom(42)).build();
    mode.calls(breaker, clock, 10, false);
    double u = new SplittableRandom(42).nextDouble();
    long expected = (long) (OPEN_FOR.toNanos() * (1 - 0.2 * u));
    assertThat(retryAfter(mode.succeed(breaker, clock))).isEqualTo(expected)
        .isBetween((long) (OPEN_FOR.toNanos() * 0.8), OPEN_FOR.toNanos());
  }

  @Test
  void breakersWithDifferentRandomSourcesOpenForDifferentDurations() {
    CircuitBreakerConfig config = CircuitBreakerConfig.builder().slidingWindowSize(10).build();
    List<Long> durations = new ArrayList<>();
    for (int seed = 0; seed < 5; seed++) {
      CircuitBreaker breaker = CircuitBreaker.builder("fleet-" + seed).config(config).clock(clock)
          .random(new SplittableRandom(seed)).build();
      Mode.SYNC.calls(breaker, clock, 10, false);
      durations.add(retryAfter(Mode.SYNC.succeed(breaker, clock)));
    }
    assertThat(durations).doesNotHaveDuplicates()
        .allSatisfy(d -> assertThat(d).isBetween(27_000_000_000L, 30_000_000_000L));
  }

  // ---- windows ------------------------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(Mode.class)
  void theTimeWindowForgetsCallsOlderThanItsSeconds(Mode mode) {
    CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.TIME_BASED).slidingWindowSize(10)
        .minimumNumberOfCalls(10).openDurationJitter(0).build());
    mode.calls(breaker, clock, 5, false);                     // in the first second
    clock.advance(Duration.ofMillis(9_400));
    assertThat(breaker.metrics().failedCalls()).isEqualTo(5); // still in the window
    clock.advance(Duration.ofMillis(600));                    // 10 s: the first second leaves the window
    assertThat(breaker.metrics().bufferedCalls()).isZero();
    mode.calls(breaker, clock, 6, true);
    mode.calls(breaker, clock, 3, false);                     // 9 calls: below the minimum
    assertThat(breaker.metrics().failureRate()).isEqualTo(-1);
    mode.fail(breaker, clock);                                // 4 of 10 now; with the old ones, 9 of 15
    assertThat(breaker.state()).isEqualTo(CLOSED);
    assertThat(breaker.metrics().failureRate()).isEqualTo(40.0);
    mode.fail(breaker, clock);                                // 5 of 11
    assertThat(breaker.state()).isEqualTo(CLOSED);
    mode.fail(breaker, clock);                                // 6 of 12 = 50 %
    assertThat(breaker.state()).isEqualTo(OPEN);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void theTimeWindowSpansItsBucketsAndExpiresThemAfterIdleTime(Mode mode) {
    CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.TIME_BASED).slidingWindowSize(5)
        .minimumNumberOfCalls(4).openDurationJitter(0).build());
    for (int second = 0; second < 3; second++) {
      mode.fail(breaker, clock);
      clock.advance(Duration.ofSeconds(1));
    }
    assertThat(breaker.metrics().failedCalls()).isEqualTo(3);
    clock.advance(Duration.ofSeconds(100));                   // long idle: every bucket is stale
    mode.calls(breaker, clock, 3, true);
    mode.fail(breaker, clock);
    assertThat(breaker.state()).isEqualTo(CLOSED);            // 1 of 4; with stale buckets 4 of 7
    assertThat(breaker.metrics().failureRate()).isEqualTo(25.0);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void consecutiveFailuresTripOnARunAndSuccessesResetIt(Mode mode) {
    CircuitBreaker breaker = breaker(CircuitBreakerConfig.builder()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.CONSECUTIVE_FAILURES)
        .consecutiveFailureThreshold(3).openDurationJitter(0).permittedCallsInHalfOpen(1).build());
    mode.calls(breaker, clock, 2, false);
    mode.succeed(breaker, clock);
    mode.calls(breaker, clock, 2, false);
    assertThat(breaker.state()).isEqualTo(CLOSED);
    assertThat(breaker.metrics().bufferedCalls()).isEqualTo(2);
    assertThat(breaker.metrics().failureRate()).isEqualTo(-1);
    mode.fail(breaker, clock);
    assertThat(breaker.state()).isEqualTo(OPEN);
    clock.advance(Duration.ofSeconds(30));
    mode.succeed(breaker, clock);                             // the single probe closes it
    assertThat(breaker.state()).isEqualTo(CLOSED);
  }

  // ---- special states and manual transitions ----------------------------------------------------------

  @ParameterizedTest
  @EnumSource(Mode.class)
  void forcedOpenRejectsEverythingWithoutARetryHint(Mode mode) {
    CircuitBreaker breaker = breaker(config().build());
    breaker.transitionToForcedOpen();
    clock.advance(Duration.ofDays(1));
    CircuitBreakerOpenException rejected = mode.succeed(breaker, clock);
    assertThat(rejected.state()).isEqualTo(CircuitBreaker.State.FORCED_OPEN);
    assertThat(rejected.retryAfter()).isEmpty();
    assertThat(rejected.getMessage()).isEqualTo(
        "circuit breaker 'test' is FORCED_OPEN and rejects every call until it is transitioned manually");
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.FORCED_OPEN);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void disabledPermitsEverythingAndRecordsNothing(Mode mode) {
    CircuitBreaker breaker = breaker(config().build());
    breaker.transitionToDisabled();
    mode.calls(breaker, clock, 100, false);
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.DISABLED);
    CircuitBreaker.Metrics metrics = breaker.metrics();
    assertThat(metrics.bufferedCalls()).isZero();
    assertThat(metrics.totalFailedCalls()).isZero();
    assertThat(metrics.failureRate()).isEqualTo(-1);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void metricsOnlyRecordsButNeverOpens(Mode mode) {
    CircuitBreaker breaker = breaker(config().build());
    breaker.transitionToMetricsOnly();
    mode.calls(breaker, clock, 30, false);
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.METRICS_ONLY);
    assertThat(breaker.metrics().failureRate()).isEqualTo(100.0);
    assertThat(breaker.metrics().totalFailedCalls()).isEqualTo(30);
    breaker.transitionToClosed();
    assertThat(breaker.metrics().bufferedCalls()).isZero();   // a fresh window
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void manualTransitionsGoWhereTheySay(Mode mode) {
    CircuitBreaker breaker = breaker(config().build());
    breaker.transitionToOpen();
    assertThat(breaker.state()).isEqualTo(OPEN);
    assertThat(retryAfter(mode.succeed(breaker, clock))).isEqualTo(OPEN_FOR.toNanos());
    breaker.transitionToHalfOpen();
    assertThat(breaker.state()).isEqualTo(HALF_OPEN);
    Mode.InFlight probe = mode.start(breaker, clock);
    breaker.transitionToClosed();
    assertThat(breaker.state()).isEqualTo(CLOSED);
    probe.fail();                                             // a probe of a finished episode
    assertThat(breaker.metrics().bufferedCalls()).isZero();
    breaker.transitionToClosed();                             // same state: nothing happens
    assertThat(breaker.state()).isEqualTo(CLOSED);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void resetClearsTheWindowAndTheGrowthOfTheOpenDuration(Mode mode) {
    CircuitBreakerConfig config = config(1).openDurationMultiplier(3).build();
    CircuitBreaker breaker = openBreaker(mode, config);
    clock.advance(OPEN_FOR);
    mode.fail(breaker, clock);
    assertThat(retryAfter(mode.succeed(breaker, clock))).isEqualTo(OPEN_FOR.toNanos() * 3);
    breaker.reset();
    assertThat(breaker.state()).isEqualTo(CLOSED);
    mode.calls(breaker, clock, 9, false);
    assertThat(breaker.metrics().failedCalls()).isEqualTo(9);
    breaker.reset();                                          // from CLOSED too
    assertThat(breaker.metrics().bufferedCalls()).isZero();
    mode.calls(breaker, clock, 10, false);
    assertThat(retryAfter(mode.succeed(breaker, clock))).isEqualTo(OPEN_FOR.toNanos());
  }

  @Test
  void aLatePermitOfAnEarlierClosedEpisodeRecordsIntoItsDeadWindow() {
    CircuitBreaker breaker = breaker(config().build());
    var stale = breaker.acquirePermit();
    breaker.transitionToOpen();
    breaker.transitionToClosed();
    stale.onFailure(1, new IOException());
    assertThat(breaker.metrics().bufferedCalls()).isZero();
    assertThat(breaker.metrics().totalFailedCalls()).isEqualTo(1);
  }

  /**
   * Regression: a probe's completion seals the half-open word and then swaps the phase; an acquire that came
   * in between was rejected although the verdict was CLOSE. Now anyone who meets the sealed verdict carries
   * it out. The decider paused between its two CASes is simulated by sealing the word directly.
   */
  @Test
  void anAcquireThatMeetsASealedButUnfinishedVerdictCarriesItOutInsteadOfBeingRejected() throws Exception {
    for (int verdict : new int[] {DefaultCircuitBreaker.CLOSE, DefaultCircuitBreaker.OPEN_AGAIN}) {
      CircuitBreaker breaker = breaker(config().build());
      breaker.transitionToHalfOpen();
      var field = DefaultCircuitBreaker.class.getDeclaredField("phase");
      field.setAccessible(true);
      DefaultCircuitBreaker.HalfOpenPhase half = (DefaultCircuitBreaker.HalfOpenPhase) field.get(breaker);
      half.word = DefaultCircuitBreaker.seal(half.word, verdict);
      if (verdict == DefaultCircuitBreaker.CLOSE) {
        assertThat(breaker.tryAcquirePermit()).isNotNull();
        assertThat(breaker.state()).isEqualTo(CLOSED);
      } else {
        assertThat(breaker.tryAcquirePermit()).isNull();
        assertThat(breaker.state()).isEqualTo(OPEN);
      }
    }
  }

  @Test
  void anAcquireThatMeetsAManualSealIsRejectedRatherThanSpinning() throws Exception {
    CircuitBreaker breaker = breaker(config().build());
    breaker.transitionToHalfOpen();
    var field = DefaultCircuitBreaker.class.getDeclaredField("phase");
    field.setAccessible(true);
    DefaultCircuitBreaker.HalfOpenPhase half = (DefaultCircuitBreaker.HalfOpenPhase) field.get(breaker);
    half.seal(); // a manual transition that has not swapped the phase yet
    assertThat(breaker.tryAcquirePermit()).isNull();
    clock.advance(MAX_HALF_OPEN);
    assertThat(breaker.state()).isEqualTo(HALF_OPEN); // the deadline cannot decide a manually sealed episode
  }
}
