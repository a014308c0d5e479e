package dev.bulwark.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.testing.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryBudgetTest {

  private static int drain(RetryBudget budget) {
    int allowed = 0;
    while (budget.tryAcquireRetry()) {
      allowed++;
      if (allowed > 1_000_000) {
        throw new AssertionError("unbounded");
      }
    }
    return allowed;
  }

  private static void requests(RetryBudget budget, int n) {
    for (int i = 0; i < n; i++) {
      budget.recordRequest();
    }
  }

  @Test
  void ratioAllowsRatioTimesRequestsPlusTheReserve() {
    ManualClock clock = new ManualClock();
    RetryBudget budget = RetryBudget.of(RetryBudgetConfig.ratio(0.1, 1, Duration.ofSeconds(10)), clock);
    assertThat(budget.metrics().balance()).isEqualTo(10.0); // the reserve: 1/s over 10 s
    requests(budget, 100);
    assertThat(budget.metrics().balance()).isEqualTo(20.0);
    assertThat(budget.metrics().availableRetries()).isEqualTo(20);
    assertThat(drain(budget)).isEqualTo(20);
    assertThat(budget.metrics().retriesPermitted()).isEqualTo(20);
    assertThat(budget.metrics().retriesRejected()).isEqualTo(1);
    assertThat(budget.metrics().requests()).isEqualTo(100);
    requests(budget, 10);
    assertThat(drain(budget)).isEqualTo(1);
  }

  @Test
  void ratioZeroWithoutMinimumNeverRetries() {
    RetryBudget budget = RetryBudget.of(RetryBudgetConfig.ratio(0, 0, Duration.ofSeconds(1)), new ManualClock());
    requests(budget, 1000);
    assertThat(budget.tryAcquireRetry()).isFalse();
  }

  @Test
  void ratioRetriesLeaveTheWindowAfterTheWindow() {
    ManualClock clock = new ManualClock();
    RetryBudget budget = RetryBudget.of(RetryBudgetConfig.ratio(0, 1, Duration.ofSeconds(10)), clock);
    assertThat(drain(budget)).isEqualTo(10);
    clock.advance(Duration.ofSeconds(5));
    assertThat(drain(budget)).isZero();
    clock.advance(Duration.ofSeconds(6)); // the first retries are now more than a window old
    assertThat(drain(budget)).isEqualTo(10);
  }

  @Test
  void ratioOverASteadyOutageStaysWithinTheRatioPerWindow() {
    ManualClock clock = new ManualClock();
    RetryBudget budget = RetryBudget.of(RetryBudgetConfig.ratio(0.1, 0, Duration.ofSeconds(10)), clock);
    // 100 requests per second, each failing and asking for a retry, for a minute
    long retries = 0;
    for (int ms = 0; ms < 60_000; ms += 10) {
      budget.recordRequest();
      if (budget.tryAcquireRetry()) {
        retries++;
      }
      clock.advance(Duration.ofMillis(10));
    }
    assertThat(retries).isBetween(590L, 600L); // 10% of 6000
  }

  @Test
  void regressionRequestsBeforeAQuietPeriodStillCountAfterIt() {
    // marks are only taken on the retry path: the requests of a window without retries are interpolated
    ManualClock clock = new ManualClock();
    RetryBudget budget = RetryBudget.of(RetryBudgetConfig.ratio(0.1, 0, Duration.ofSeconds(10)), clock);
    for (int i = 0; i < 2000; i++) { // 100 requests per second for 20 s, no retry
      budget.recordRequest();
      clock.advance(Duration.ofMillis(10));
    }
    // about 1000 requests in the last 10 s: about 100 retries
    assertThat(drain(budget)).isBetween(85, 100);
  }

  @Test
  void tokenBucketFollowsGrpcRetryThrottling() {
    // as gRPC's retry throttling: max 4 tokens, so retries need more than 2; failures take 1, successes add 0.6
    RetryBudget budget = RetryBudget.of(RetryBudgetConfig.tokenBucket(4, 0.6));
    assertThat(budget.metrics().balance()).isEqualTo(4.0);
    budget.recordFailure();
    assertThat(budget.tryAcquireRetry()).isTrue(); // 3
    budget.recordSuccess();
    assertThat(budget.metrics().balance()).isEqualTo(3.6);
    budget.recordSuccess();
    assertThat(budget.metrics().balance()).isEqualTo(4.0); // capped
    budget.recordFailure();
    budget.recordFailure();
    assertThat(budget.tryAcquireRetry()).isFalse(); // 2: at the threshold
    budget.recordFailure();
    assertThat(budget.tryAcquireRetry()).isFalse(); // 1
    budget.recordSuccess();
    budget.recordSuccess();
    assertThat(budget.metrics().balance()).isEqualTo(2.2);
    assertThat(budget.metrics().availableRetries()).isEqualTo(1);
    assertThat(budget.tryAcquireRetry()).isTrue();
    assertThat(budget.metrics().retriesPermitted()).isEqualTo(2);
    assertThat(budget.metrics().retriesRejected()).isEqualTo(2);
  }

  @Test
  void tokenBucketNeverGoesBelowZeroNorAboveTheMaximum() {
    RetryBudget budget = RetryBudget.of(RetryBudgetConfig.tokenBucket(10, 0.5));
    for (int i = 0; i < 100; i++) {
      budget.recordFailure();
    }
    assertThat(budget.metrics().balance()).isZero();
    assertThat(budget.metrics().availableRetries()).isZero();
    for (int i = 0; i < 100; i++) {
      budget.recordSuccess();
    }
    assertThat(budget.metrics().balance()).isEqualTo(10.0);
    assertThat(budget.metrics().availableRetries()).isEqualTo(5);
  }

  @Test
  void unlimitedAllowsEverything() {
    RetryBudget budget = RetryBudget.of(RetryBudgetConfig.unlimited());
    requests(budget, 10);
    for (int i = 0; i < 1000; i++) {
      assertThat(budget.tryAcquireRetry()).isTrue();
    }
    assertThat(budget.metrics().balance()).isInfinite();
    assertThat(budget.config()).isEqualTo(RetryBudgetConfig.unlimited());
  }

  @Test
  void badInputFailsNamingTheOptionTheRuleAndTheValue() {
    assertThatThrownBy(() -> RetryBudgetConfig.ratio(1.5))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("ratio must be in [0.0, 1.0], was 1.5");
    assertThatThrownBy(() -> RetryBudgetConfig.ratio(-0.1))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("ratio must be in [0.0, 1.0], was -0.1");
    assertThatThrownBy(() -> RetryBudgetConfig.ratio(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("ratio must be in [0.0, 1.0], was NaN");
    assertThatThrownBy(() -> RetryBudgetConfig.ratio(0.1, -1, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("minRetriesPerSecond must be >= 0.0, was -1.0");
    assertThatThrownBy(() -> RetryBudgetConfig.ratio(0.1, 1, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("window must be > 0, was PT0S");
    assertThatThrownBy(() -> RetryBudgetConfig.ratio(0.1, 1, null))
        .isInstanceOf(NullPointerException.class).hasMessage("window");
    assertThatThrownBy(() -> RetryBudgetConfig.tokenBucket(0.5, 0.1))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("maxTokens must be in [1.0, 1000000.0], was 0.5");
    assertThatThrownBy(() -> RetryBudgetConfig.tokenBucket(10, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("tokenRatio must be in [0.001, 1.0], was 0.0");
    assertThatThrownBy(() -> RetryBudgetConfig.tokenBucket(10, 1.01))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("tokenRatio must be in [0.001, 1.0], was 1.01");
  }

  @Test
  void configsAreValues() {
    assertThat(RetryBudgetConfig.ratio(0.1)).isEqualTo(RetryBudgetConfig.defaults())
        .hasSameHashCodeAs(RetryBudgetConfig.defaults())
        .hasToString("RetryBudgetConfig{ratio=0.1, minRetriesPerSecond=10.0, window=PT10S}");
    assertThat(RetryBudgetConfig.tokenBucket(100, 0.1)).isEqualTo(RetryBudgetConfig.tokenBucket(100, 0.1))
        .isNotEqualTo(RetryBudgetConfig.tokenBucket(100, 0.2));
    assertThat(RetryBudgetConfig.tokenBucket(100, 0.1).mode()).isEqualTo(RetryBudgetConfig.Mode.TOKEN_BUCKET);
  }

  @Test
  void shortcutsBuildTheSameBudgetsAsTheirConfigs() {
    assertThat(RetryBudget.ratio(0.2).config()).isEqualTo(RetryBudgetConfig.ratio(0.2));
    assertThat(RetryBudget.ratio(0.2, 3, Duration.ofSeconds(5)).config())
        .isEqualTo(RetryBudgetConfig.ratio(0.2, 3, Duration.ofSeconds(5)));
    assertThat(RetryBudget.tokenBucket(10, 0.5).config()).isEqualTo(RetryBudgetConfig.tokenBucket(10, 0.5));
    assertThat(RetryBudget.tokenBucket(10, 0.5)).isNotSameAs(RetryBudget.tokenBucket(10, 0.5));
  }
}
