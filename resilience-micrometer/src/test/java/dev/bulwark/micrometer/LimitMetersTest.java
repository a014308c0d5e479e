package dev.bulwark.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.Permit;
import dev.bulwark.Registry;
import dev.bulwark.limit.AdaptiveThrottle;
import dev.bulwark.limit.AdaptiveThrottleConfig;
import dev.bulwark.limit.ConcurrencyLimiter;
import dev.bulwark.limit.ConcurrencyLimiterConfig;
import dev.bulwark.limit.LimitAlgorithm;
import dev.bulwark.limit.LimiterPermit;
import dev.bulwark.limit.LoadShedder;
import dev.bulwark.limit.LoadShedderConfig;
import dev.bulwark.limit.Priority;
import dev.bulwark.testing.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The adaptive policies driven through scripted scenarios in virtual time, their meters read after each step. */
class LimitMetersTest {
  private final ManualClock clock = new ManualClock();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  private static ConcurrencyLimiterConfig fixed(int limit) {
    return ConcurrencyLimiterConfig.builder()
        .algorithm(LimitAlgorithm.fixed(limit))
        .window(Duration.ofSeconds(1))
        .minWindowSamples(2)
        .build();
  }

  @ParameterizedTest
  @EnumSource(Calls.class)
  void limiterShowsLimitInflightLatencyAndOutcomes(Calls calls) {
    ConcurrencyLimiter limiter = ConcurrencyLimiter.builder("catalog").config(fixed(2)).clock(clock).build();
    PolicyMeters bound = BulwarkMetrics.bind(limiter, meters);
    assertThat(bound.meters()).hasSize(8);
    assertThat(MeterDump.lines(meters)).containsExactly(
        "bulwark.limiter.calls{name=catalog,outcome=dropped} counter 0",
        "bulwark.limiter.calls{name=catalog,outcome=ignored} counter 0",
        "bulwark.limiter.calls{name=catalog,outcome=successful} counter 0",
        "bulwark.limiter.inflight{name=catalog} gauge 0",
        "bulwark.limiter.latency.noload{name=catalog} timegauge NaNms",
        "bulwark.limiter.latency{name=catalog} timegauge NaNms",
        "bulwark.limiter.limit{name=catalog} gauge 2",
        "bulwark.limiter.rejected.calls{name=catalog} counter 0");

    for (int i = 0; i < 5; i++) {              // 40 ms calls over more than a 1 s window: one is judged
      calls.succeed(limiter, clock, Duration.ofMillis(40));
      clock.advance(Duration.ofMillis(400));
    }
    assertThat(limiter.metrics().windows()).isPositive();
    double latencyMs = limiter.metrics().rttNanos() / 1e6;
    assertThat(latencyMs).isCloseTo(40, Offset.offset(2.0)); // the median, interpolated in a histogram
    assertThat(meters.find("bulwark.limiter.latency").timeGauge().value(TimeUnit.MILLISECONDS))
        .isEqualTo(latencyMs);

    LimiterPermit held = limiter.tryAcquirePermit();
    LimiterPermit dropped = limiter.tryAcquirePermit();
    assertThat(limiter.tryAcquirePermit()).isNull();      // limit 2 reached
    assertThat(meters.find("bulwark.limiter.inflight").gauge().value()).isEqualTo(2);
    dropped.onDropped();
    held.onIgnore();
    assertThat(MeterDump.lines(meters, "bulwark.limiter.calls")).containsExactly(
        "bulwark.limiter.calls{name=catalog,outcome=dropped} counter 1",
        "bulwark.limiter.calls{name=catalog,outcome=ignored} counter 1",
        "bulwark.limiter.calls{name=catalog,outcome=successful} counter 5");
    assertThat(meters.find("bulwark.limiter.rejected.calls").functionCounter().count()).isEqualTo(1);
    assertThat(meters.find("bulwark.limiter.inflight").gauge().value()).isEqualTo(0);
    bound.close();
    assertThat(meters.getMeters()).isEmpty();
  }

  @Test
  void shedderShowsRejectionsAndAdmissionLimitsByPriority() {
    LoadShedder shedder = LoadShedder.builder("api")
        .config(LoadShedderConfig.builder().limiter(fixed(4)).bestEffortShare(0.5).build())
        .clock(clock)
        .scheduler(clock)
        .random(new SplittableRandom(1))
        .build();
    PolicyMeters bound = BulwarkMetrics.bind(shedder, meters);
    assertThat(bound.meters()).hasSize(18);
    Permit a = shedder.tryAcquirePermit(Priority.CRITICAL);
    Permit b = shedder.tryAcquirePermit(Priority.CRITICAL);
    assertThat(shedder.tryAcquirePermit(Priority.BEST_EFFORT)).isNull();   // best effort: half the limit
    assertThat(shedder.tryAcquirePermit(Priority.of(10))).isNull();        // same band as best effort
    Permit c = shedder.tryAcquirePermit(Priority.HIGH);
    Permit d = shedder.tryAcquirePermit(Priority.CRITICAL);
    assertThat(shedder.tryAcquirePermit(Priority.CRITICAL)).isNull();      // the whole limit is used
    assertThat(MeterDump.lines(meters, "bulwark.shedder.rejected")).containsExactly(
        "bulwark.shedder.rejected.calls{name=api,priority=best_effort} counter 2",
        "bulwark.shedder.rejected.calls{name=api,priority=critical} counter 1",
        "bulwark.shedder.rejected.calls{name=api,priority=high} counter 0",
        "bulwark.shedder.rejected.calls{name=api,priority=low} counter 0",
        "bulwark.shedder.rejected.calls{name=api,priority=normal} counter 0");
    for (Priority band : LimitMeters.BANDS) {
      assertThat(meters.find("bulwark.shedder.admission.limit")
          .tag("priority", band.name().toLowerCase(Locale.ROOT)).gauge().value())
          .as(band.name()).isEqualTo(shedder.metrics().admissionLimit(band));
    }
    assertThat(meters.find("bulwark.shedder.admission.limit").tag("priority", "critical").gauge().value())
        .isEqualTo(4);
    assertThat(meters.find("bulwark.shedder.admission.limit").tag("priority", "best_effort").gauge().value())
        .isEqualTo(2);
    assertThat(meters.find("bulwark.shedder.inflight").gauge().value()).isEqualTo(4);
    assertThat(meters.find("bulwark.shedder.limit").gauge().value()).isEqualTo(4);
    assertThat(meters.find("bulwark.shedder.queued.calls").gauge().value()).isEqualTo(0);
    for (Permit p : new Permit[] {a, b, c, d}) {
      p.onSuccess(Duration.ofMillis(5).toNanos());
    }
    assertThat(meters.find("bulwark.shedder.calls").tag("outcome", "successful").functionCounter().count())
        .isEqualTo(4);
    bound.close();
    assertThat(meters.getMeters()).isEmpty();
  }

  @Test
  void throttleShowsItsWindowAndRejectionProbability() {
    AdaptiveThrottle throttle = AdaptiveThrottle.builder("upstream")
        .config(AdaptiveThrottleConfig.builder().k(2).build())
        .clock(clock)
        .random(new SplittableRandom(7))
        .build();
    PolicyMeters bound = BulwarkMetrics.bind(throttle, meters);
    assertThat(bound.meters()).hasSize(4);
    for (int i = 0; i < 2; i++) {
      Calls.SYNC.succeed(throttle, clock);
    }
    assertThat(MeterDump.lines(meters)).containsExactly(
        "bulwark.throttle.rejected.calls{name=upstream} counter 0",
        "bulwark.throttle.rejection.probability{name=upstream} gauge 0",
        "bulwark.throttle.window.accepts{name=upstream} gauge 2",
        "bulwark.throttle.window.requests{name=upstream} gauge 2");
    for (int i = 0; i < 20; i++) {
      Calls.SYNC.fail(throttle, clock, new IllegalStateException("overloaded"));
    }
    AdaptiveThrottle.Metrics view = throttle.metrics();
    double expected = Math.max(0, (view.requests() - 2.0 * view.accepts()) / (view.requests() + 1));
    assertThat(view.rejectedCalls()).isPositive();
    assertThat(MeterDump.lines(meters)).containsExactly(
        "bulwark.throttle.rejected.calls{name=upstream} counter " + view.rejectedCalls(),
        "bulwark.throttle.rejection.probability{name=upstream} gauge " + MeterDump.format(expected),
        "bulwark.throttle.window.accepts{name=upstream} gauge 2",
        "bulwark.throttle.window.requests{name=upstream} gauge 22");
    bound.close();
    assertThat(meters.getMeters()).isEmpty();
  }

  @Test
  void metersFollowLimitersAddedToAndRemovedFromARegistry() {
    Registry<LoadShedder, LoadShedderConfig> shedders =
        Registry.builder(LoadShedderConfig.defaults(), LoadShedder::of).build();
    try (RegistryMeters following = BulwarkMetrics.bind(shedders, meters)) {
      shedders.get("a");
      shedders.get("b");
      assertThat(meters.getMeters()).hasSize(36);
      shedders.remove("a");
      assertThat(meters.getMeters()).hasSize(18);
      assertThat(following.boundNames()).containsExactly("b");
    }
    assertThat(meters.getMeters()).isEmpty();
  }
}
