package dev.bulwark.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.Permit;
import dev.bulwark.Registry;
import dev.bulwark.ratelimit.RateLimiter;
import dev.bulwark.ratelimit.RateLimiterConfig;
import dev.bulwark.testing.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A rate limiter driven through a scripted scenario in virtual time, its meters read after each step. */
class RateLimiterMetersTest {
  private final ManualClock clock = new ManualClock();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  private RateLimiter limiter(String name, Duration maxWait) {
    return RateLimiter.builder(name)
        .config(RateLimiterConfig.builder()
            .limitForPeriod(2)
            .period(Duration.ofSeconds(1))
            .burstCapacity(2)
            .maxWait(maxWait)
            .build())
        .clock(clock)
        .sleeper(clock)
        .scheduler(clock)
        .build();
  }

  @ParameterizedTest
  @EnumSource(Calls.class)
  void scriptedScenarioShowsPermitsAndRejections(Calls calls) {
    RateLimiter limiter = limiter("partner-api", Duration.ZERO);
    PolicyMeters bound = BulwarkMetrics.bind(limiter, meters);
    assertThat(bound.meters()).hasSize(3);
    assertThat(MeterDump.lines(meters)).containsExactly(
        "bulwark.ratelimiter.available.permits{name=partner-api} gauge 2",
        "bulwark.ratelimiter.rejected.calls{name=partner-api} counter 0",
        "bulwark.ratelimiter.waiting.calls{name=partner-api} gauge 0");
    calls.succeed(limiter, clock);
    calls.succeed(limiter, clock);
    assertThat(calls.succeed(limiter, clock)).isInstanceOf(Exception.class);  // no permit left, no waiting
    assertThat(MeterDump.lines(meters)).containsExactly(
        "bulwark.ratelimiter.available.permits{name=partner-api} gauge 0",
        "bulwark.ratelimiter.rejected.calls{name=partner-api} counter 1",
        "bulwark.ratelimiter.waiting.calls{name=partner-api} gauge 0");
    clock.advance(Duration.ofMillis(500));                                      // one permit back
    assertThat(meters.find(RateLimiterMeters.AVAILABLE_PERMITS).gauge().value()).isEqualTo(1);
    bound.close();
    assertThat(meters.getMeters()).isEmpty();
  }

  @Test
  void anAsyncCallerWaitingForAReservedPermitShowsAsWaiting() {
    RateLimiter limiter = limiter("search", Duration.ofSeconds(5));
    BulwarkMetrics.bind(limiter, meters);
    Permit a = limiter.tryAcquirePermit();
    Permit b = limiter.tryAcquirePermit();
    assertThat(a).isNotNull();
    assertThat(b).isNotNull();
    CompletableFuture<String> waiting =
        limiter.<String>callAsync(() -> CompletableFuture.completedFuture("late")).toCompletableFuture();
    assertThat(waiting).isNotDone();
    assertThat(meters.find(RateLimiterMeters.WAITING_CALLS).gauge().value()).isEqualTo(1);
    assertThat(meters.find(RateLimiterMeters.AVAILABLE_PERMITS).gauge().value()).isEqualTo(-1);
    clock.advance(Duration.ofSeconds(1));
    assertThat(waiting).isCompletedWithValue("late");
    assertThat(meters.find(RateLimiterMeters.WAITING_CALLS).gauge().value()).isEqualTo(0);
  }

  @Test
  void metersFollowRateLimitersAddedToAndRemovedFromARegistry() {
    Registry<RateLimiter, RateLimiterConfig> limiters =
        Registry.builder(RateLimiterConfig.defaults(), RateLimiter::of).build();
    try (RegistryMeters following = BulwarkMetrics.bind(limiters, meters)) {
      limiters.get("a");
      limiters.get("b");
      assertThat(meters.getMeters()).hasSize(6);
      limiters.remove("a");
      assertThat(meters.getMeters()).hasSize(3);
      assertThat(following.boundNames()).containsExactly("b");
    }
    assertThat(meters.getMeters()).isEmpty();
  }
}
