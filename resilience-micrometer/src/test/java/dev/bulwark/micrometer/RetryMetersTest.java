package dev.bulwark.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.Registry;
import dev.bulwark.retry.Backoff;
import dev.bulwark.retry.Retry;
import dev.bulwark.retry.RetryBudgetConfig;
import dev.bulwark.retry.RetryConfig;
import dev.bulwark.testing.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A retry driven through a scripted scenario in virtual time, its meters read after each step. */
class RetryMetersTest {
  private final ManualClock clock = new ManualClock();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  /** Three attempts 100 ms apart, at most 1 s per call, only IllegalStateException is retried. */
  private Retry retry(String name, RetryBudgetConfig budget) {
    return Retry.builder(name)
        .config(RetryConfig.builder()
            .maxAttempts(3)
            .backoff(Backoff.fixed(Duration.ofMillis(100)))
            .maxDuration(Duration.ofSeconds(1))
            .retryOn(IllegalStateException.class)
            .budget(budget)
            .build())
        .clock(clock)
        .sleeper(clock)
        .scheduler(clock)
        .build();
  }

  /** Fails the first {@code failures} attempts, each taking {@code takes}, then succeeds. */
  private Object run(Calls calls, Retry retry, int failures, Duration takes) {
    AtomicInteger attempts = new AtomicInteger();
    if (calls == Calls.SYNC) {
      try {
        return retry.call(() -> attempt(attempts, failures, takes));
      } catch (Exception e) {
        return e;
      }
    }
    CompletableFuture<Object> future = retry.callAsync(() -> {
      try {
        return CompletableFuture.completedFuture(attempt(attempts, failures, takes));
      } catch (RuntimeException e) {
        return CompletableFuture.<Object>failedFuture(e);
      }
    }).toCompletableFuture();
    for (int i = 0; i < 100 && !future.isDone(); i++) {
      clock.advance(Duration.ofMillis(50)); // runs the scheduled retries
    }
    assertThat(future).isDone();
    return future.handle((r, e) -> e != null ? e : r).join();
  }

  private Object attempt(AtomicInteger attempts, int failures, Duration takes) {
    clock.advance(takes);
    if (attempts.incrementAndGet() <= failures) {
      throw new IllegalStateException("attempt " + attempts.get());
    }
    return "ok";
  }

  @ParameterizedTest
  @EnumSource(Calls.class)
  void scriptedScenarioCountsEveryKindOfCall(Calls calls) {
    Retry retry = retry("pricing", RetryBudgetConfig.unlimited());
    PolicyMeters bound = BulwarkMetrics.bind(retry, meters);
    assertThat(bound.meters()).hasSize(8);

    run(calls, retry, 0, Duration.ZERO);                 // successful without retry
    run(calls, retry, 1, Duration.ZERO);                 // successful with retry (1 retry)
    run(calls, retry, 5, Duration.ZERO);                 // failed with retry (2 retries, attempts used up)
    run(calls, retry, 6, Duration.ofMillis(600));        // failed with retry (1 retry), then time is up
    try {
      retry.call(() -> {
        throw new IllegalArgumentException("not retryable");
      });
    } catch (Exception expected) {
      // failed without retry
    }

    assertThat(MeterDump.lines(meters)).containsExactly(
        "bulwark.retry.budget.balance{name=pricing} gauge Infinity",
        "bulwark.retry.calls{kind=failed_with_retry,name=pricing} counter 2",
        "bulwark.retry.calls{kind=failed_without_retry,name=pricing} counter 1",
        "bulwark.retry.calls{kind=successful_with_retry,name=pricing} counter 1",
        "bulwark.retry.calls{kind=successful_without_retry,name=pricing} counter 1",
        "bulwark.retry.retries{name=pricing} counter 4",
        "bulwark.retry.stopped.calls{kind=budget_exhausted,name=pricing} counter 0",
        "bulwark.retry.stopped.calls{kind=time_exhausted,name=pricing} counter 1");
    bound.close();
    assertThat(meters.getMeters()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Calls.class)
  void anExhaustedBudgetShowsAsStoppedCallsAndAnEmptyBalance(Calls calls) {
    Retry retry = retry("search", RetryBudgetConfig.ratio(0, 0, Duration.ofSeconds(10)));
    BulwarkMetrics.bind(retry, meters);
    run(calls, retry, 1, Duration.ZERO);
    run(calls, retry, 1, Duration.ZERO);
    assertThat(MeterDump.lines(meters)).containsExactly(
        "bulwark.retry.budget.balance{name=search} gauge 0",
        "bulwark.retry.calls{kind=failed_with_retry,name=search} counter 0",
        "bulwark.retry.calls{kind=failed_without_retry,name=search} counter 2",
        "bulwark.retry.calls{kind=successful_with_retry,name=search} counter 0",
        "bulwark.retry.calls{kind=successful_without_retry,name=search} counter 0",
        "bulwark.retry.retries{name=search} counter 0",
        "bulwark.retry.stopped.calls{kind=budget_exhausted,name=search} counter 2",
        "bulwark.retry.stopped.calls{kind=time_exhausted,name=search} counter 0");
  }

  @Test
  void metersFollowRetriesAddedToAndRemovedFromARegistry() {
    Registry<Retry, RetryConfig> retries = Registry.builder(RetryConfig.defaults(), Retry::of).build();
    try (RegistryMeters following = BulwarkMetrics.bind(retries, meters)) {
      retries.get("a");
      retries.get("b");
      assertThat(following.boundNames()).containsExactly("a", "b");
      assertThat(meters.find(RetryMeters.RETRIES).meters()).hasSize(2);
      retries.remove("a");
      assertThat(meters.find(RetryMeters.RETRIES).meters()).singleElement()
          .satisfies(m -> assertThat(m.getId().getTag("name")).isEqualTo("b"));
      assertThat(meters.getMeters()).hasSize(8);
    }
    assertThat(meters.getMeters()).isEmpty();
  }

  @Test
  void timeoutsAndFallbacksHaveNoMetersAndBindToNothing() {
    dev.bulwark.timeout.Timeout timeout = dev.bulwark.timeout.Timeout.of("t", Duration.ofSeconds(1));
    BulwarkMetrics metrics = BulwarkMetrics.builder(meters).build();
    assertThat(metrics.supports(timeout)).isFalse();
    assertThat(metrics.bind(timeout).meters()).isEmpty();
    assertThat(meters.getMeters()).isEmpty();
  }
}
