package dev.bulwark.retry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.CallNotPermittedException;
import dev.bulwark.Pipeline;
import dev.bulwark.retry.Harness.Mode;
import dev.bulwark.retry.Harness.Result;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A retry around a circuit breaker (a test-only stand-in) in a pipeline, sync and async. */
class RetryCompositionTest {
  private static final long MS = 1_000_000L;

  private static RetryConfig.Builder config() {
    return RetryConfig.builder().maxAttempts(4).backoff(Backoff.fixed(Duration.ofMillis(100)));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aRetryAroundAnOpenBreakerDoesNotHammerIt(Mode mode) {
    Harness h = new Harness(mode);
    FakeBreaker breaker = new FakeBreaker(h.clock, 5, Duration.ofSeconds(60), true);
    List<RetryEvent> events = new CopyOnWriteArrayList<>();
    Retry retry = h.retry("r").config(config().build()).listener(RetryEvent.Failed.class, events::add).build();
    Pipeline pipeline = Pipeline.of(breaker, retry); // nested as retry(breaker(call)) whatever the order given
    assertThat(pipeline.name()).isEqualTo("pipeline[retry:r > circuit_breaker:cb]");
    breaker.openFor(Duration.ofSeconds(60));
    AtomicInteger dependency = new AtomicInteger();
    for (int i = 0; i < 100; i++) {
      Result<String> result = h.run(pipeline, () -> {
        dependency.incrementAndGet();
        return "ok";
      });
      assertThat(result.failure()).isInstanceOf(CallNotPermittedException.class);
    }
    assertThat(breaker.acquisitions).hasValue(100); // one per call: no retry knocks on the open breaker
    assertThat(dependency).hasValue(0);
    assertThat(h.waits()).isEmpty();
    assertThat(events).hasSize(100).allSatisfy(e ->
        assertThat(((RetryEvent.Failed) e).reason()).isEqualTo(StopReason.HINT_TOO_LONG));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aFailingDependencyBehindABreakerIsHitOnlyUntilTheBreakerOpens(Mode mode) {
    Harness h = new Harness(mode);
    FakeBreaker breaker = new FakeBreaker(h.clock, 5, Duration.ofSeconds(30), true);
    Retry retry = h.retry("r").config(config().budget(RetryBudgetConfig.unlimited()).build()).build();
    Pipeline pipeline = Pipeline.of(retry, breaker);
    AtomicInteger dependency = new AtomicInteger();
    for (int i = 0; i < 1000; i++) {
      h.run(pipeline, () -> {
        dependency.incrementAndGet();
        throw new IOException("down");
      });
    }
    // the first call's attempts and the second call's first attempt open the breaker; then only rejections
    assertThat(dependency).hasValue(5);
    assertThat(breaker.acquisitions.get()).isLessThanOrEqualTo(1000 + 4);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void regressionWithoutHintHandlingEveryRejectionWouldBeRetried(Mode mode) {
    // the contrast: a retry that retries rejections at its own pace knocks maxAttempts times per call
    Harness h = new Harness(mode);
    FakeBreaker breaker = new FakeBreaker(h.clock, 5, Duration.ofSeconds(60), false);
    Retry retry = h.retry("r").config(config().onRejection(RetryOnRejection.ALWAYS)
        .budget(RetryBudgetConfig.unlimited()).build()).build();
    breaker.openFor(Duration.ofSeconds(60));
    for (int i = 0; i < 10; i++) {
      h.run(Pipeline.of(retry, breaker), () -> "ok");
    }
    assertThat(breaker.acquisitions).hasValue(40);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aRejectionWhoseHintFitsIsRetriedAfterExactlyTheHint(Mode mode) {
    Harness h = new Harness(mode);
    FakeBreaker breaker = new FakeBreaker(h.clock, 5, Duration.ofSeconds(60), true);
    Retry retry = h.retry("r").config(config().build()).build();
    breaker.openFor(Duration.ofSeconds(2));
    AtomicInteger dependency = new AtomicInteger();
    Result<String> result = h.run(Pipeline.of(retry, breaker), () -> {
      dependency.incrementAndGet();
      return "ok";
    });
    assertThat(result.value()).isEqualTo("ok");
    assertThat(h.waits()).containsExactly(2000 * MS);
    assertThat(breaker.acquisitions).hasValue(2);
    assertThat(dependency).hasValue(1);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aRejectionWhoseHintIsBeyondTheRemainingDurationFailsNow(Mode mode) {
    Harness h = new Harness(mode);
    FakeBreaker breaker = new FakeBreaker(h.clock, 5, Duration.ofSeconds(60), true);
    Retry retry = h.retry("r").config(config().maxDuration(Duration.ofSeconds(1)).build()).build();
    breaker.openFor(Duration.ofSeconds(2));
    Result<String> result = h.run(Pipeline.of(retry, breaker), () -> "ok");
    assertThat(result.failure()).isInstanceOf(CallNotPermittedException.class);
    assertThat(h.waits()).isEmpty();
    assertThat(breaker.acquisitions).hasValue(1);
    assertThat(retry.metrics().callsStoppedByTime()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aRejectionWithoutAHintIsNotRetriedByDefault(Mode mode) {
    Harness h = new Harness(mode);
    FakeBreaker breaker = new FakeBreaker(h.clock, 5, Duration.ofSeconds(60), false);
    List<RetryEvent> events = new CopyOnWriteArrayList<>();
    Retry retry = h.retry("r").config(config().build()).listener(events::add).build();
    breaker.openFor(Duration.ofMillis(500));
    assertThat(h.run(Pipeline.of(retry, breaker), () -> "ok").failure())
        .isInstanceOf(CallNotPermittedException.class);
    assertThat(breaker.acquisitions).hasValue(1);
    assertThat(events).singleElement().isInstanceOfSatisfying(RetryEvent.Failed.class,
        e -> assertThat(e.reason()).isEqualTo(StopReason.REJECTED));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void rejectionsAreNeverRetriedWhenSoConfiguredEvenWithAFittingHint(Mode mode) {
    Harness h = new Harness(mode);
    FakeBreaker breaker = new FakeBreaker(h.clock, 5, Duration.ofSeconds(60), true);
    Retry retry = h.retry("r").config(config().onRejection(RetryOnRejection.NEVER).build()).build();
    breaker.openFor(Duration.ofMillis(500));
    assertThat(h.run(Pipeline.of(retry, breaker), () -> "ok").failure())
        .isInstanceOf(CallNotPermittedException.class);
    assertThat(breaker.acquisitions).hasValue(1);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void rejectionsDoNotCostTokenBucketTokens(Mode mode) {
    Harness h = new Harness(mode);
    FakeBreaker breaker = new FakeBreaker(h.clock, 5, Duration.ofSeconds(60), true);
    Retry retry = h.retry("r").config(config().budget(RetryBudgetConfig.tokenBucket(10, 0.1)).build()).build();
    breaker.openFor(Duration.ofMillis(300));
    assertThat(h.run(Pipeline.of(retry, breaker), () -> "ok").value()).isEqualTo("ok");
    assertThat(retry.budget().metrics().balance()).isEqualTo(10.0);
  }
}
