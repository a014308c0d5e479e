package dev.bulwark.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.OutcomeClassifier;
import dev.bulwark.Registry;
import dev.bulwark.circuitbreaker.CircuitBreaker;
import dev.bulwark.circuitbreaker.CircuitBreakerConfig;
import dev.bulwark.circuitbreaker.CircuitBreakerEvent;
import dev.bulwark.circuitbreaker.CircuitBreakerOpenException;
import dev.bulwark.testing.ManualClock;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A breaker driven through a scripted scenario in virtual time, its meters read after each step. */
class CircuitBreakerMetersTest {
  private final ManualClock clock = new ManualClock();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  /** Four-call window, opens at 50 % failures, 1 s is slow, one probe after 10 s open; no jitter. */
  private static final CircuitBreakerConfig CONFIG = CircuitBreakerConfig.builder()
      .slidingWindowSize(4)
      .minimumNumberOfCalls(4)
      .failureRateThreshold(50)
      .slowCallRateThreshold(100)
      .openDuration(Duration.ofSeconds(10))
      .openDurationJitter(0)
      .permittedCallsInHalfOpen(1)
      .classifier(OutcomeClassifier.builder()
          .ignoreExceptions(IllegalArgumentException.class)
          .slowCallDuration(Duration.ofSeconds(1))
          .build())
      .build();

  private CircuitBreaker breaker(String name) {
    return CircuitBreaker.builder(name).config(CONFIG).clock(clock).build();
  }

  @ParameterizedTest
  @EnumSource(Calls.class)
  void scriptedScenarioShowsEveryOutcomeStateAndRate(Calls calls) {
    CircuitBreaker breaker = breaker("inventory");
    PolicyMeters bound = BulwarkMetrics.bind(breaker, meters);
    assertThat(bound.meters()).hasSize(15);
    assertThat(MeterDump.lines(meters)).containsExactly(
        "bulwark.circuitbreaker.buffered.calls{name=inventory} gauge 0",
        "bulwark.circuitbreaker.calls{name=inventory,outcome=cancelled} counter 0",
        "bulwark.circuitbreaker.calls{name=inventory,outcome=failed} counter 0",
        "bulwark.circuitbreaker.calls{name=inventory,outcome=ignored} counter 0",
        "bulwark.circuitbreaker.calls{name=inventory,outcome=not_permitted} counter 0",
        "bulwark.circuitbreaker.calls{name=inventory,outcome=successful} counter 0",
        "bulwark.circuitbreaker.failure.rate{name=inventory} gauge NaN",
        "bulwark.circuitbreaker.slow.call.rate{name=inventory} gauge NaN",
        "bulwark.circuitbreaker.slow.calls{name=inventory} counter 0",
        "bulwark.circuitbreaker.state{name=inventory,state=closed} gauge 1",
        "bulwark.circuitbreaker.state{name=inventory,state=disabled} gauge 0",
        "bulwark.circuitbreaker.state{name=inventory,state=forced_open} gauge 0",
        "bulwark.circuitbreaker.state{name=inventory,state=half_open} gauge 0",
        "bulwark.circuitbreaker.state{name=inventory,state=metrics_only} gauge 0",
        "bulwark.circuitbreaker.state{name=inventory,state=open} gauge 0");

    calls.succeed(breaker, clock);                                       // successful
    calls.succeed(breaker, clock, Duration.ofSeconds(2));               // successful, slow
    calls.fail(breaker, clock, new IllegalArgumentException("caller")); // ignored
    calls.fail(breaker, clock, new IllegalStateException("down"));      // failed
    assertThat(MeterDump.lines(meters, "bulwark.circuitbreaker.calls")).containsExactly(
        "bulwark.circuitbreaker.calls{name=inventory,outcome=cancelled} counter 0",
        "bulwark.circuitbreaker.calls{name=inventory,outcome=failed} counter 1",
        "bulwark.circuitbreaker.calls{name=inventory,outcome=ignored} counter 1",
        "bulwark.circuitbreaker.calls{name=inventory,outcome=not_permitted} counter 0",
        "bulwark.circuitbreaker.calls{name=inventory,outcome=successful} counter 2");
    assertThat(value("bulwark.circuitbreaker.failure.rate")).isNaN(); // 3 of 4 minimum calls
    assertThat(value("bulwark.circuitbreaker.buffered.calls")).isEqualTo(3);

    calls.fail(breaker, clock, Duration.ofSeconds(3), new IllegalStateException("down")); // failed, slow: 2/4
    assertThat(MeterDump.lines(meters)).containsExactly(
        "bulwark.circuitbreaker.buffered.calls{name=inventory} gauge 4",
        "bulwark.circuitbreaker.calls{name=inventory,outcome=cancelled} counter 0",
        "bulwark.circuitbreaker.calls{name=inventory,outcome=failed} counter 2",
        "bulwark.circuitbreaker.calls{name=inventory,outcome=ignored} counter 1",
        "bulwark.circuitbreaker.calls{name=inventory,outcome=not_permitted} counter 0",
        "bulwark.circuitbreaker.calls{name=inventory,outcome=successful} counter 2",
        "bulwark.circuitbreaker.failure.rate{name=inventory} gauge 50",
        "bulwark.circuitbreaker.slow.call.rate{name=inventory} gauge 50",
        "bulwark.circuitbreaker.slow.calls{name=inventory} counter 2",
        "bulwark.circuitbreaker.state{name=inventory,state=closed} gauge 0",
        "bulwark.circuitbreaker.state{name=inventory,state=disabled} gauge 0",
        "bulwark.circuitbreaker.state{name=inventory,state=forced_open} gauge 0",
        "bulwark.circuitbreaker.state{name=inventory,state=half_open} gauge 0",
        "bulwark.circuitbreaker.state{name=inventory,state=metrics_only} gauge 0",
        "bulwark.circuitbreaker.state{name=inventory,state=open} gauge 1");

    assertThat(calls.succeed(breaker, clock)).isInstanceOf(CircuitBreakerOpenException.class);
    assertThat(calls.succeed(breaker, clock)).isInstanceOf(CircuitBreakerOpenException.class);
    assertThat(value("bulwark.circuitbreaker.calls", "outcome", "not_permitted")).isEqualTo(2);

    clock.advance(Duration.ofSeconds(10)); // the state gauge itself moves the breaker to half-open
    assertThat(value("bulwark.circuitbreaker.state", "state", "half_open")).isEqualTo(1);
    assertThat(value("bulwark.circuitbreaker.state", "state", "open")).isEqualTo(0);

    calls.succeed(breaker, clock); // the probe closes it
    assertThat(value("bulwark.circuitbreaker.state", "state", "closed")).isEqualTo(1);
    assertThat(value("bulwark.circuitbreaker.calls", "outcome", "successful")).isEqualTo(3);
    assertThat(value("bulwark.circuitbreaker.buffered.calls")).isEqualTo(0);
    assertThat(value("bulwark.circuitbreaker.failure.rate")).isNaN();

    breaker.transitionToForcedOpen();
    assertThat(value("bulwark.circuitbreaker.state", "state", "forced_open")).isEqualTo(1);
    breaker.transitionToDisabled();
    assertThat(value("bulwark.circuitbreaker.state", "state", "disabled")).isEqualTo(1);
    breaker.transitionToMetricsOnly();
    assertThat(value("bulwark.circuitbreaker.state", "state", "metrics_only")).isEqualTo(1);
    assertThat(meters.find("bulwark.circuitbreaker.state").gauges())
        .extracting(g -> g.value()).containsOnly(0.0, 1.0).filteredOn(v -> v == 1.0).hasSize(1);

    bound.close();
    assertThat(MeterDump.lines(meters)).isEmpty();
  }

  @Test
  void cancelledAsyncCallsCountAsCancelled() {
    CircuitBreaker breaker = breaker("search");
    BulwarkMetrics.bind(breaker, meters);
    CompletableFuture<String> never = new CompletableFuture<>();
    breaker.<String>callAsync(() -> never).toCompletableFuture().cancel(true);
    assertThat(value("bulwark.circuitbreaker.calls", "outcome", "cancelled")).isEqualTo(1);
    assertThat(value("bulwark.circuitbreaker.calls", "outcome", "successful")).isEqualTo(0);
  }

  @Test
  void prometheusScrapeOfOneBreaker() {
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    CircuitBreaker breaker = breaker("inventory");
    BulwarkMetrics.bind(breaker, prometheus, Tags.of("service", "shop"));
    Calls.SYNC.succeed(breaker, clock);
    Calls.SYNC.succeed(breaker, clock, Duration.ofSeconds(2));
    Calls.SYNC.fail(breaker, clock, new IllegalStateException("down"));
    Calls.SYNC.fail(breaker, clock, new IllegalStateException("down"));
    Calls.SYNC.succeed(breaker, clock); // rejected: open

    assertThat(String.join("\n", MeterDump.scrape(prometheus))).isEqualTo(String.join("\n",
        "# HELP bulwark_circuitbreaker_buffered_calls Calls recorded in the current window",
        "# TYPE bulwark_circuitbreaker_buffered_calls gauge",
        "bulwark_circuitbreaker_buffered_calls{name=\"inventory\",service=\"shop\"} 4.0",
        "# HELP bulwark_circuitbreaker_calls_total Calls by how they ended",
        "# TYPE bulwark_circuitbreaker_calls_total counter",
        "bulwark_circuitbreaker_calls_total{name=\"inventory\",outcome=\"cancelled\",service=\"shop\"} 0.0",
        "bulwark_circuitbreaker_calls_total{name=\"inventory\",outcome=\"failed\",service=\"shop\"} 2.0",
        "bulwark_circuitbreaker_calls_total{name=\"inventory\",outcome=\"ignored\",service=\"shop\"} 0.0",
        "bulwark_circuitbreaker_calls_total{name=\"inventory\",outcome=\"not_permitted\",service=\"shop\"} 1.0",
        "bulwark_circuitbreaker_calls_total{name=\"inventory\",outcome=\"successful\",service=\"shop\"} 2.0",
        "# HELP bulwark_circuitbreaker_failure_rate_percent Failure rate of the current window; NaN until the"
            + " minimum number of calls",
        "# TYPE bulwark_circuitbreaker_failure_rate_percent gauge",
        "bulwark_circuitbreaker_failure_rate_percent{name=\"inventory\",service=\"shop\"} 50.0",
        "# HELP bulwark_circuitbreaker_slow_call_rate_percent Slow-call rate of the current window; NaN until"
            + " the minimum number of calls",
        "# TYPE bulwark_circuitbreaker_slow_call_rate_percent gauge",
        "bulwark_circuitbreaker_slow_call_rate_percent{name=\"inventory\",service=\"shop\"} 25.0",
        "# HELP bulwark_circuitbreaker_slow_calls_total Permitted calls slower than the slow-call threshold,"
            + " successful or failed",
        "# TYPE bulwark_circuitbreaker_slow_calls_total counter",
        "bulwark_circuitbreaker_slow_calls_total{name=\"inventory\",service=\"shop\"} 1.0",
        "# HELP bulwark_circuitbreaker_state 1 while the breaker is in this state, else 0",
        "# TYPE bulwark_circuitbreaker_state gauge",
        "bulwark_circuitbreaker_state{name=\"inventory\",service=\"shop\",state=\"closed\"} 0.0",
        "bulwark_circuitbreaker_state{name=\"inventory\",service=\"shop\",state=\"disabled\"} 0.0",
        "bulwark_circuitbreaker_state{name=\"inventory\",service=\"shop\",state=\"forced_open\"} 0.0",
        "bulwark_circuitbreaker_state{name=\"inventory\",service=\"shop\",state=\"half_open\"} 0.0",
        "bulwark_circuitbreaker_state{name=\"inventory\",service=\"shop\",state=\"metrics_only\"} 0.0",
        "bulwark_circuitbreaker_state{name=\"inventory\",service=\"shop\",state=\"open\"} 1.0"));
  }

  @Test
  void metersFollowBreakersAddedToAndRemovedFromARegistry() {
    Registry<CircuitBreaker, CircuitBreakerConfig> breakers = Registry
        .builder(CONFIG, (name, config) -> CircuitBreaker.builder(name).config(config).clock(clock).build())
        .build();
    breakers.get("a");
    try (RegistryMeters following = BulwarkMetrics.bind(breakers, meters)) {
      assertThat(names()).containsExactly("a");
      breakers.get("b");
      assertThat(names()).containsExactly("a", "b");
      Calls.SYNC.fail(breakers.get("b"), clock, new IllegalStateException("x"));
      assertThat(value("bulwark.circuitbreaker.calls", "name", "b", "outcome", "failed")).isEqualTo(1);
      breakers.remove("a");
      assertThat(names()).containsExactly("b");
      assertThat(meters.getMeters()).hasSize(15);
      assertThat(following.boundNames()).containsExactly("b");
    }
    assertThat(meters.getMeters()).isEmpty();
  }

  @Test
  void optInCallTimerRecordsDurationsByOutcomeAndLeavesWithTheBreaker() {
    BulwarkMetrics metrics = BulwarkMetrics.builder(meters).build();
    Registry<CircuitBreaker, CircuitBreakerConfig> breakers = Registry.builder(CONFIG, (name, config) -> {
      CircuitBreakerCallTimer timer = metrics.circuitBreakerCallTimer(name);
      return CircuitBreaker.builder(name).config(config).clock(clock)
          .listener(CircuitBreakerEvent.Success.class, timer)
          .listener(CircuitBreakerEvent.Failure.class, timer)
          .listener(CircuitBreakerEvent.Ignored.class, timer)
          .build();
    }).build();
    try (RegistryMeters following = metrics.bind(breakers)) {
      CircuitBreaker breaker = breakers.get("pricing");
      Calls.SYNC.succeed(breaker, clock, Duration.ofMillis(20));
      Calls.ASYNC.succeed(breaker, clock, Duration.ofMillis(30));
      Calls.SYNC.fail(breaker, clock, Duration.ofMillis(500), new IllegalStateException("x"));
      Calls.SYNC.fail(breaker, clock, Duration.ofMillis(7), new IllegalArgumentException("ignored"));
      assertThat(MeterDump.lines(meters, "bulwark.circuitbreaker.call.duration")).containsExactly(
          "bulwark.circuitbreaker.call.duration{name=pricing,outcome=failed} timer 1x/500ms",
          "bulwark.circuitbreaker.call.duration{name=pricing,outcome=ignored} timer 1x/7ms",
          "bulwark.circuitbreaker.call.duration{name=pricing,outcome=successful} timer 2x/50ms");
      breakers.remove("pricing");
      assertThat(meters.getMeters()).isEmpty();
      assertThat(following.boundNames()).isEmpty();
    }
  }

  @Test
  void anUnboundBreakerRegistersNothing() {
    breaker("x");
    assertThat(meters.getMeters()).isEmpty();
  }

  private List<String> names() {
    return meters.find("bulwark.circuitbreaker.calls").tag("outcome", "successful").meters().stream()
        .map(m -> m.getId().getTag("name")).sorted().toList();
  }

  private double value(String name, String... tags) {
    Meter meter = meters.find(name).tags(tags).meter();
    assertThat(meter).as("%s%s", name, Arrays.toString(tags)).isNotNull();
    return meter.measure().iterator().next().getValue();
  }
}
