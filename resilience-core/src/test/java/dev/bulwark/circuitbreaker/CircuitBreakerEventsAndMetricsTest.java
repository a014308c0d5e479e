package dev.bulwark.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.OutcomeClassifier;
import dev.bulwark.Pipeline;
import dev.bulwark.PolicyKind;
import dev.bulwark.Registry;
import dev.bulwark.circuitbreaker.CircuitBreaker.State;
import dev.bulwark.circuitbreaker.CircuitBreakerEvent.Failure;
import dev.bulwark.circuitbreaker.CircuitBreakerEvent.Ignored;
import dev.bulwark.circuitbreaker.CircuitBreakerEvent.Rejected;
import dev.bulwark.circuitbreaker.CircuitBreakerEvent.Reset;
import dev.bulwark.circuitbreaker.CircuitBreakerEvent.StateTransition;
import dev.bulwark.circuitbreaker.CircuitBreakerEvent.Success;
import dev.bulwark.testing.ManualClock;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Listeners, the metrics view, and how a breaker fits the registry and pipelines. */
class CircuitBreakerEventsAndMetricsTest {
  private final ManualClock clock = new ManualClock();

  private static CircuitBreakerConfig small() {
    return small(50);
  }

  private static CircuitBreakerConfig small(double failureRateThreshold) {
    return CircuitBreakerConfig.builder()
        .failureRateThreshold(failureRateThreshold)
        .slidingWindowSize(4)
        .minimumNumberOfCalls(4)
        .permittedCallsInHalfOpen(1)
        .openDuration(Duration.ofSeconds(5))
        .openDurationJitter(0)
        .classifier(OutcomeClassifier.builder()
            .ignoreExceptions(FileNotFoundException.class)
            .slowCallDuration(Duration.ofMillis(500))
            .build())
        .build();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void listenersSeeEveryEventInOrder(Mode mode) {
    List<CircuitBreakerEvent> events = new ArrayList<>();
    CircuitBreaker breaker = CircuitBreaker.builder("events").config(small()).clock(clock)
        .listener(events::add).build();
    mode.succeed(breaker, clock);
    mode.slow(breaker, clock, Duration.ofSeconds(1));
    mode.call(breaker, clock, Mode.FAST, null, new FileNotFoundException());
    mode.calls(breaker, clock, 2, false);                        // 2 of 4 failed: opens
    mode.succeed(breaker, clock);                                // rejected
    clock.advance(Duration.ofSeconds(5));
    mode.succeed(breaker, clock);                                // the probe closes it
    breaker.reset();

    assertThat(events).extracting(e -> e.getClass().getSimpleName()).containsExactly(
        "Success", "Success", "Ignored", "Failure", "Failure", "StateTransition", "Rejected",
        "StateTransition", "Success", "StateTransition", "Reset");
    assertThat(events.get(2)).isInstanceOf(Ignored.class);
    assertThat(events.get(10)).isEqualTo(new Reset("events"));
    assertThat(events).allSatisfy(e -> assertThat(e.name()).isEqualTo("events"));
    assertThat(((Success) events.get(1)).slow()).isTrue();
    assertThat(((Success) events.get(1)).durationNanos()).isEqualTo(Duration.ofSeconds(1).toNanos());
    assertThat(((Failure) events.get(3)).error()).hasMessage("boom");
    assertThat(events.get(5)).isEqualTo(new StateTransition("events", State.CLOSED, State.OPEN));
    assertThat(((Rejected) events.get(6)).retryAfterNanos()).isEqualTo(Duration.ofSeconds(5).toNanos());
    assertThat(((Rejected) events.get(6)).state()).isEqualTo(State.OPEN);
    assertThat(events.get(7)).isEqualTo(new StateTransition("events", State.OPEN, State.HALF_OPEN));
    assertThat(events.get(9)).isEqualTo(new StateTransition("events", State.HALF_OPEN, State.CLOSED));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aListenerOnlyGetsTheEventsItAskedFor(Mode mode) {
    List<StateTransition> transitions = new ArrayList<>();
    CircuitBreaker breaker = CircuitBreaker.builder("typed").config(small()).clock(clock)
        .listener(StateTransition.class, transitions::add).build();
    mode.calls(breaker, clock, 4, false);
    breaker.transitionToForcedOpen();
    breaker.transitionToDisabled();
    breaker.transitionToMetricsOnly();
    breaker.transitionToClosed();
    assertThat(transitions).extracting(StateTransition::to).containsExactly(
        State.OPEN, State.FORCED_OPEN, State.DISABLED, State.METRICS_ONLY, State.CLOSED);
  }

  /**
   * The core's module does not read {@code java.logging}, so the JUL handler that captures the log is set up
   * reflectively (tests run on the class path, where {@link System.Logger} is backed by JUL).
   */
  @ParameterizedTest
  @EnumSource(Mode.class)
  void aThrowingListenerIsLoggedOnceAndNeverBreaksACall(Mode mode) throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    Class<?> loggerClass = Class.forName("java.util.logging.Logger");
    Class<?> handlerClass = Class.forName("java.util.logging.Handler");
    Class<?> formatterClass = Class.forName("java.util.logging.Formatter");
    Object logger = loggerClass.getMethod("getLogger", String.class).invoke(null, "dev.bulwark");
    Object formatter = Class.forName("java.util.logging.SimpleFormatter").getConstructor().newInstance();
    Object handler = Class.forName("java.util.logging.StreamHandler")
        .getConstructor(OutputStream.class, formatterClass).newInstance(log, formatter);
    loggerClass.getMethod("addHandler", handlerClass).invoke(logger, handler);
    try {
      List<CircuitBreakerEvent> seenByTheOther = new ArrayList<>();
      CircuitBreaker breaker = CircuitBreaker.builder("throwing").config(small()).clock(clock)
          .listener(e -> {
            throw new IllegalStateException("listener bug");
          })
          .listener(seenByTheOther::add)
          .build();
      mode.calls(breaker, clock, 3, true);
      mode.calls(breaker, clock, 2, false);
      assertThat(breaker.state()).isEqualTo(State.OPEN);
      assertThat(mode.succeed(breaker, clock)).isNotNull();
      assertThat(seenByTheOther).hasSize(3 + 2 + 1 + 1);
      handlerClass.getMethod("flush").invoke(handler);
      String text = log.toString(StandardCharsets.UTF_8);
      assertThat(text.split("Bulwark event listener", -1)).hasSize(2);   // logged exactly once
      assertThat(text).contains("WARNING", "listener bug");
    } finally {
      loggerClass.getMethod("removeHandler", handlerClass).invoke(logger, handler);
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void theMetricsViewCountsEveryCallOnce(Mode mode) {
    CircuitBreaker breaker = CircuitBreaker.builder("metrics").config(small(75)).clock(clock).build();
    CircuitBreaker.Metrics metrics = breaker.metrics();
    assertThat(breaker.metrics()).isSameAs(metrics);
    assertThat(metrics.failureRate()).isEqualTo(-1);
    mode.succeed(breaker, clock);
    mode.slow(breaker, clock, Duration.ofMillis(500));
    mode.fail(breaker, clock);
    assertThat(metrics.failureRate()).isEqualTo(-1);              // 3 calls < 4
    mode.call(breaker, clock, Mode.FAST, null, new FileNotFoundException());
    mode.call(breaker, clock, Duration.ofSeconds(2), null, new IllegalStateException("slow failure"));
    assertThat(metrics.state()).isEqualTo(State.CLOSED);
    assertThat(metrics.bufferedCalls()).isEqualTo(4);
    assertThat(metrics.failedCalls()).isEqualTo(2);
    assertThat(metrics.slowCalls()).isEqualTo(2);
    assertThat(metrics.successfulCalls()).isEqualTo(2);
    assertThat(metrics.failureRate()).isEqualTo(50.0);
    assertThat(metrics.slowCallRate()).isEqualTo(50.0);
    assertThat(metrics.totalSuccessfulCalls()).isEqualTo(2);
    assertThat(metrics.totalFailedCalls()).isEqualTo(2);
    assertThat(metrics.totalSlowCalls()).isEqualTo(2);
    assertThat(metrics.totalIgnoredCalls()).isEqualTo(1);
    assertThat(metrics.totalReleasedCalls()).isZero();
    assertThat(metrics.totalNotPermittedCalls()).isZero();
    breaker.acquirePermit().release();
    assertThat(metrics.totalReleasedCalls()).isEqualTo(1);
    breaker.transitionToForcedOpen();
    mode.succeed(breaker, clock);
    assertThat(metrics.totalNotPermittedCalls()).isEqualTo(1);
    assertThat(metrics.state()).isEqualTo(State.FORCED_OPEN);
    assertThat(metrics.bufferedCalls()).isZero();
    assertThat(metrics.toString()).contains("metrics", "FORCED_OPEN");
  }

  @Test
  void aBreakerFitsTheRegistryAndThePipeline() throws Exception {
    Registry<CircuitBreaker, CircuitBreakerConfig> registry = Registry
        .builder(CircuitBreakerConfig.defaults(), CircuitBreaker::of)
        .template("strict", CircuitBreakerConfig.builder().failureRateThreshold(10).build())
        .build();
    CircuitBreaker inventory = registry.get("inventory");
    assertThat(registry.get("inventory")).isSameAs(inventory);
    assertThat(inventory.config()).isEqualTo(CircuitBreakerConfig.defaults());
    assertThat(registry.get("search", "strict").config().failureRateThreshold()).isEqualTo(10.0);
    assertThat(inventory.kind()).isEqualTo(PolicyKind.CIRCUIT_BREAKER);
    assertThat(inventory.name()).isEqualTo("inventory");
    assertThat(inventory.toString()).isEqualTo("CircuitBreaker[inventory, CLOSED]");
    assertThat(Pipeline.of(inventory).call(() -> "through")).isEqualTo("through");
    assertThat(inventory.metrics().totalSuccessfulCalls()).isEqualTo(1);
  }

  @Test
  void theDecoratorConveniencesRunThroughTheBreaker() {
    CircuitBreaker breaker = CircuitBreaker.builder("sugar").config(small()).clock(clock).build();
    assertThat(breaker.get(() -> 1)).isEqualTo(1);
    breaker.run(() -> { });
    assertThat(breaker.decorate(() -> 2).get()).isEqualTo(2);
    assertThat(breaker.decorateAsync(() -> java.util.concurrent.CompletableFuture.completedFuture(3)).get()
        .toCompletableFuture().join()).isEqualTo(3);
    assertThat(breaker.metrics().totalSuccessfulCalls()).isEqualTo(4);
  }
}
