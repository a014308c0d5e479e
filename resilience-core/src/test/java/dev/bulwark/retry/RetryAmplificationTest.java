package dev.bulwark.retry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.retry.Harness.Mode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * In virtual time: a dependency that fails every call, many clients, 4 attempts each. Without a budget the
 * dependency sees 4x the requests; a budget keeps it near 1x.
 */
class RetryAmplificationTest {
  private static final int CLIENTS = 5_000;
  private static final int ATTEMPTS = 4;

  private static final class Outcome {
    final int dependencyCalls;
    final long virtualNanos;
    final Retry retry;

    Outcome(int dependencyCalls, long virtualNanos, Retry retry) {
      this.dependencyCalls = dependencyCalls;
      this.virtualNanos = virtualNanos;
      this.retry = retry;
    }
  }

  /**
   * Sync: the clients call one after the other, each waiting its backoff in virtual time. Async: all clients
   * start at the same instant and their retries interleave on the scheduler.
   */
  private static Outcome storm(Mode mode, RetryBudgetConfig budget) {
    Harness h = new Harness(mode);
    long start = h.clock.nanoTime();
    Retry retry = h.retry("dependency").config(RetryConfig.builder().maxAttempts(ATTEMPTS)
        .backoff(Backoff.exponential(Duration.ofMillis(10), 2.0, Duration.ofMillis(100)).withJitter(Jitter.FULL))
        .budget(budget).build()).build();
    AtomicInteger dependency = new AtomicInteger();
    java.util.concurrent.Callable<String> failing = () -> {
      dependency.incrementAndGet();
      throw new IOException("down");
    };
    if (mode == Mode.SYNC) {
      for (int i = 0; i < CLIENTS; i++) {
        assertThat(h.run(retry, failing).failed()).isTrue();
      }
    } else {
      List<CompletableFuture<String>> calls = new ArrayList<>();
      for (int i = 0; i < CLIENTS; i++) {
        calls.add(h.start(retry, failing));
      }
      CompletableFuture<Void> all = CompletableFuture.allOf(calls.toArray(new CompletableFuture<?>[0]));
      h.drive(all);
      assertThat(all).isCompletedExceptionally();
    }
    Retry.Metrics m = retry.metrics();
    assertThat(m.failedCallsWithRetry() + m.failedCallsWithoutRetry()).isEqualTo(CLIENTS);
    assertThat(m.retries()).isEqualTo(dependency.get() - CLIENTS);
    return new Outcome(dependency.get(), h.clock.nanoTime() - start, retry);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void withoutABudgetTheDependencySeesFourTimesTheRequests(Mode mode) {
    Outcome outcome = storm(mode, RetryBudgetConfig.unlimited());
    assertThat(outcome.dependencyCalls).isEqualTo(ATTEMPTS * CLIENTS);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aTenPercentRatioBudgetKeepsTheDependencyAtAbout1point1TimesPlusTheMinimumRate(Mode mode) {
    double minPerSecond = 5;
    Duration window = Duration.ofSeconds(10);
    Outcome outcome = storm(mode, RetryBudgetConfig.ratio(0.1, minPerSecond, window));
    double seconds = outcome.virtualNanos / 1e9;
    // over any window: retries <= 10% of requests + minimum * window; the storm spans ceil(T / window) windows
    double windows = Math.ceil(seconds / window.toSeconds()) + 1;
    double bound = 1.1 * CLIENTS + minPerSecond * window.toSeconds() * windows;
    assertThat((double) outcome.dependencyCalls).isLessThanOrEqualTo(bound);
    assertThat(outcome.dependencyCalls).isGreaterThan(CLIENTS); // the budget does allow some retries
    assertThat(outcome.retry.metrics().callsStoppedByBudget()).isPositive();
    System.out.printf("%s ratio budget: %d calls for %d requests (%.3fx) over %.1f virtual s%n", mode,
        outcome.dependencyCalls, CLIENTS, outcome.dependencyCalls / (double) CLIENTS, seconds);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aTokenBucketBudgetKeepsTheDependencyNear1x(Mode mode) {
    double maxTokens = 100;
    Outcome outcome = storm(mode, RetryBudgetConfig.tokenBucket(maxTokens, 0.1));
    // with no success, only the tokens above half the bucket are ever spent on retries
    assertThat((double) outcome.dependencyCalls).isLessThanOrEqualTo(CLIENTS + maxTokens / 2 + 1);
    assertThat((double) outcome.dependencyCalls).isLessThanOrEqualTo(1.1 * CLIENTS);
    assertThat(outcome.retry.metrics().callsStoppedByBudget()).isPositive();
    System.out.printf("%s token bucket: %d calls for %d requests (%.3fx)%n", mode, outcome.dependencyCalls, CLIENTS,
        outcome.dependencyCalls / (double) CLIENTS);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void theDefaultConfigurationHasABudget(Mode mode) {
    Harness h = new Harness(mode);
    long start = h.clock.nanoTime();
    Retry retry = h.retry("defaults").build();
    AtomicInteger dependency = new AtomicInteger();
    for (int i = 0; i < 2000; i++) {
      h.run(retry, () -> {
        dependency.incrementAndGet();
        throw new IOException("down");
      });
    }
    // 10% of the requests plus 10 retries/s over each 10 s window the storm spans
    double windows = Math.ceil((h.clock.nanoTime() - start) / 10e9) + 1;
    assertThat((double) dependency.get()).isLessThanOrEqualTo(1.1 * 2000 + 100 * windows);
    assertThat(dependency.get()).isLessThan(3 * 2000 / 2); // an unbudgeted default retry would make 3x
  }
}
