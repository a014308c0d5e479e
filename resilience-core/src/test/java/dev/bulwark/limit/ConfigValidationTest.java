package dev.bulwark.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.OutcomeClassifier;
import java.time.Duration;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input fails at build time, naming the option, the rule and the value. */
class ConfigValidationTest {

  static Arguments bad(Class<? extends Throwable> type, String message, ThrowingCallable code) {
    return Arguments.of(message, type, code);
  }

  static Arguments iae(String message, ThrowingCallable code) {
    return bad(IllegalArgumentException.class, message, code);
  }

  static Arguments ise(String message, ThrowingCallable code) {
    return bad(IllegalStateException.class, message, code);
  }

  static Arguments npe(String message, ThrowingCallable code) {
    return bad(NullPointerException.class, message, code);
  }

  static Stream<Arguments> badInput() {
    return Stream.of(
        // fixed
        iae("limit must be in [1, 1000000], was 0", () -> LimitAlgorithm.fixed(0)),
        iae("limit must be in [1, 1000000], was 1000001", () -> LimitAlgorithm.fixed(1_000_001)),
        // aimd
        iae("initialLimit must be in [1, 1000000], was 0", () -> LimitAlgorithm.aimd().initialLimit(0)),
        iae("minLimit must be in [1, 1000000], was -3", () -> LimitAlgorithm.aimd().minLimit(-3)),
        iae("maxLimit must be in [1, 1000000], was 2000000", () -> LimitAlgorithm.aimd().maxLimit(2_000_000)),
        iae("backoffRatio must be in (0, 1), was 1.0", () -> LimitAlgorithm.aimd().backoffRatio(1)),
        iae("backoffRatio must be in (0, 1), was NaN", () -> LimitAlgorithm.aimd().backoffRatio(Double.NaN)),
        iae("increment must be in [1, 1000000], was 0", () -> LimitAlgorithm.aimd().increment(0)),
        ise("minLimit must be <= maxLimit (10), was 20",
            () -> LimitAlgorithm.aimd().minLimit(20).maxLimit(10).initialLimit(15).build()),
        ise("initialLimit must be in [minLimit, maxLimit] = [1, 1000], was 2000",
            () -> LimitAlgorithm.aimd().initialLimit(2000).build()),
        // gradient
        iae("initialLimit must be in [1, 1000000], was 0", () -> LimitAlgorithm.gradient().initialLimit(0)),
        iae("minLimit must be in [1, 1000000], was 0", () -> LimitAlgorithm.gradient().minLimit(0)),
        iae("maxLimit must be in [1, 1000000], was 0", () -> LimitAlgorithm.gradient().maxLimit(0)),
        iae("rttPercentile must be in (0, 100], was 0.0", () -> LimitAlgorithm.gradient().rttPercentile(0)),
        iae("rttPercentile must be in (0, 100], was 101.0", () -> LimitAlgorithm.gradient().rttPercentile(101)),
        iae("tolerance must be in [0.0, 10.0], was -0.1", () -> LimitAlgorithm.gradient().tolerance(-0.1)),
        iae("backoffRatio must be in (0, 1), was 0.0", () -> LimitAlgorithm.gradient().backoffRatio(0)),
        iae("probeInterval must be > 0, was PT0S", () -> LimitAlgorithm.gradient().probeInterval(Duration.ZERO)),
        iae("probeInterval must be > 0, was PT-1S",
            () -> LimitAlgorithm.gradient().probeInterval(Duration.ofSeconds(-1))),
        npe("probeInterval", () -> LimitAlgorithm.gradient().probeInterval(null)),
        iae("probeJitter must be in [0.0, 1.0], was 1.5", () -> LimitAlgorithm.gradient().probeJitter(1.5)),
        iae("probeLimit must be in [1, 1000000], was 0", () -> LimitAlgorithm.gradient().probeLimit(0)),
        ise("minLimit must be <= maxLimit (5), was 6",
            () -> LimitAlgorithm.gradient().minLimit(6).maxLimit(5).initialLimit(5).build()),
        ise("initialLimit must be in [minLimit, maxLimit] = [30, 1000], was 20",
            () -> LimitAlgorithm.gradient().minLimit(30).build()),
        // vegas
        iae("initialLimit must be in [1, 1000000], was 0", () -> LimitAlgorithm.vegas().initialLimit(0)),
        iae("minLimit must be in [1, 1000000], was 0", () -> LimitAlgorithm.vegas().minLimit(0)),
        iae("maxLimit must be in [1, 1000000], was 0", () -> LimitAlgorithm.vegas().maxLimit(0)),
        iae("rttPercentile must be in (0, 100], was -5.0", () -> LimitAlgorithm.vegas().rttPercentile(-5)),
        iae("alpha must be in [0.1, 1000.0], was 0.0", () -> LimitAlgorithm.vegas().alpha(0)),
        iae("beta must be in [0.1, 1000.0], was 2000.0", () -> LimitAlgorithm.vegas().beta(2000)),
        iae("backoffRatio must be in (0, 1), was 1.2", () -> LimitAlgorithm.vegas().backoffRatio(1.2)),
        iae("probeInterval must be > 0, was PT0S", () -> LimitAlgorithm.vegas().probeInterval(Duration.ZERO)),
        iae("probeJitter must be in [0.0, 1.0], was -1.0", () -> LimitAlgorithm.vegas().probeJitter(-1)),
        iae("probeLimit must be in [1, 1000000], was -1", () -> LimitAlgorithm.vegas().probeLimit(-1)),
        ise("alpha must be < beta (6.0), was 6.0", () -> LimitAlgorithm.vegas().alpha(6).build()),
        ise("initialLimit must be in [minLimit, maxLimit] = [1, 10], was 20",
            () -> LimitAlgorithm.vegas().maxLimit(10).build()),
        // limiter config
        npe("algorithm", () -> ConcurrencyLimiterConfig.builder().algorithm(null)),
        iae("window must be in [PT0.001S, PT1H], was PT0.0005S",
            () -> ConcurrencyLimiterConfig.builder().window(Duration.ofNanos(500_000))),
        iae("window must be in [PT0.001S, PT1H], was PT2H",
            () -> ConcurrencyLimiterConfig.builder().window(Duration.ofHours(2))),
        iae("window must be > 0, was PT0S", () -> ConcurrencyLimiterConfig.builder().window(Duration.ZERO)),
        npe("window", () -> ConcurrencyLimiterConfig.builder().window(null)),
        iae("minWindowSamples must be in [1, 1000000], was 0",
            () -> ConcurrencyLimiterConfig.builder().minWindowSamples(0)),
        npe("classifier", () -> ConcurrencyLimiterConfig.builder().classifier(null)),
        // shedder config
        npe("limiter", () -> LoadShedderConfig.builder().limiter(null)),
        iae("bestEffortShare must be in (0, 1], was 0.0", () -> LoadShedderConfig.builder().bestEffortShare(0)),
        iae("bestEffortShare must be in (0, 1], was 1.5", () -> LoadShedderConfig.builder().bestEffortShare(1.5)),
        npe("defaultPriority", () -> LoadShedderConfig.builder().defaultPriority(null)),
        iae("maxQueueSize must be in [0, 1000000], was -1", () -> LoadShedderConfig.builder().maxQueueSize(-1)),
        iae("queueTimeout must be > 0, was PT0S", () -> LoadShedderConfig.builder().queueTimeout(Duration.ZERO)),
        npe("queueTimeout", () -> LoadShedderConfig.builder().queueTimeout(null)),
        iae("congestedQueueTimeout must be > 0, was PT-0.001S",
            () -> LoadShedderConfig.builder().congestedQueueTimeout(Duration.ofMillis(-1))),
        ise("congestedQueueTimeout must be <= queueTimeout (PT0.01S), was PT0.02S",
            () -> LoadShedderConfig.builder().queueTimeout(Duration.ofMillis(10))
                .congestedQueueTimeout(Duration.ofMillis(20)).build()),
        // throttle config
        iae("k must be in [1.0, 1000.0], was 0.5", () -> AdaptiveThrottleConfig.builder().k(0.5)),
        iae("window must be > 0, was PT0S", () -> AdaptiveThrottleConfig.builder().window(Duration.ZERO)),
        iae("window must be in [PT0.001S, PT24H], was PT48H",
            () -> AdaptiveThrottleConfig.builder().window(Duration.ofDays(2))),
        iae("buckets must be in [1, 1000], was 0", () -> AdaptiveThrottleConfig.builder().buckets(0)),
        iae("maxRejectionProbability must be in (0, 1], was 0.0",
            () -> AdaptiveThrottleConfig.builder().maxRejectionProbability(0)),
        npe("classifier", () -> AdaptiveThrottleConfig.builder().classifier(null)),
        ise("buckets must leave at least 1 ms per bucket of the window (PT0.01S), was 20",
            () -> AdaptiveThrottleConfig.builder().window(Duration.ofMillis(10)).buckets(20).build()),
        // priorities and builders
        iae("priority must be in [0, 100], was 101", () -> Priority.of(101)),
        iae("priority must be in [0, 100], was -1", () -> Priority.of(-1)),
        iae("name must not be blank, was \" \"", () -> ConcurrencyLimiter.builder(" ")),
        npe("name", () -> LoadShedder.builder(null)),
        iae("name must not be blank, was \"\"", () -> AdaptiveThrottle.builder("")),
        npe("clock", () -> ConcurrencyLimiter.builder("x").clock(null)),
        npe("random", () -> ConcurrencyLimiter.builder("x").random(null)),
        npe("config", () -> ConcurrencyLimiter.builder("x").config(null)),
        npe("scheduler", () -> LoadShedder.builder("x").scheduler(null)),
        npe("config", () -> LoadShedder.builder("x").config(null)),
        npe("clock", () -> AdaptiveThrottle.builder("x").clock(null)),
        npe("listener", () -> AdaptiveThrottle.builder("x").listener(ThrottleEvent.Rejected.class, null)),
        npe("priority", () -> LoadShedder.ofDefaults("x").tryAcquirePermit(null)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInput")
  void badInputIsRefusedWithAMessageNamingTheOptionTheRuleAndTheValue(String message,
      Class<? extends Throwable> type, ThrowingCallable code) {
    assertThatThrownBy(code).isExactlyInstanceOf(type).hasMessage(message);
  }

  @Test
  void anAlgorithmWithContradictoryBoundsIsRefusedByTheLimiterConfig() {
    LimitAlgorithm broken = new LimitAlgorithm() {
      @Override
      public int initialLimit() {
        return 50;
      }

      @Override
      public int minLimit() {
        return 1;
      }

      @Override
      public int maxLimit() {
        return 10;
      }

      @Override
      public Controller newController(RandomGenerator random) {
        return (s, l) -> l;
      }

      @Override
      public String toString() {
        return "Broken";
      }
    };
    assertThatThrownBy(() -> ConcurrencyLimiterConfig.builder().algorithm(broken))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("algorithm must have 1 <= minLimit <= initialLimit <= maxLimit <= 1000000, was Broken "
            + "(min 1, initial 50, max 10)");
  }

  @Test
  void configsAreValuesWithDocumentedDefaults() {
    ConcurrencyLimiterConfig limiter = ConcurrencyLimiterConfig.defaults();
    assertThat(limiter.algorithm()).isEqualTo(LimitAlgorithm.gradient().build());
    assertThat(limiter.window()).isEqualTo(Duration.ofMillis(500));
    assertThat(limiter.minWindowSamples()).isEqualTo(10);
    assertThat(limiter.toBuilder().build()).isEqualTo(limiter).hasSameHashCodeAs(limiter);
    assertThat(limiter.toBuilder().minWindowSamples(3).build()).isNotEqualTo(limiter);
    assertThat(limiter.toString()).contains("GradientLimit", "window=PT0.5S");
    assertThat(ConcurrencyLimiterConfig.builder().classifier(OutcomeClassifier.defaults()).build())
        .isNotEqualTo(limiter);

    LoadShedderConfig shedder = LoadShedderConfig.defaults();
    assertThat(shedder.limiter()).isEqualTo(limiter);
    assertThat(shedder.bestEffortShare()).isEqualTo(0.5);
    assertThat(shedder.defaultPriority()).isEqualTo(Priority.NORMAL);
    assertThat(shedder.maxQueueSize()).isZero();
    assertThat(shedder.queueTimeout()).isEqualTo(Duration.ofMillis(100));
    assertThat(shedder.congestedQueueTimeout()).isEqualTo(Duration.ofMillis(5));
    assertThat(shedder.lifoWhenCongested()).isTrue();
    assertThat(shedder.share(Priority.BEST_EFFORT)).isEqualTo(0.5);
    assertThat(shedder.share(Priority.NORMAL)).isEqualTo(0.75);
    assertThat(shedder.share(Priority.CRITICAL)).isEqualTo(1.0);
    assertThat(LoadShedderConfig.builder().build()).isEqualTo(shedder).hasSameHashCodeAs(shedder);
    assertThat(LoadShedderConfig.builder().maxQueueSize(5).build()).isNotEqualTo(shedder);
    assertThat(shedder.toString()).contains("bestEffortShare=0.5", "maxQueueSize=0");

    AdaptiveThrottleConfig throttle = AdaptiveThrottleConfig.defaults();
    assertThat(throttle.k()).isEqualTo(2.0);
    assertThat(throttle.window()).isEqualTo(Duration.ofMinutes(2));
    assertThat(throttle.buckets()).isEqualTo(20);
    assertThat(throttle.maxRejectionProbability()).isEqualTo(1.0);
    assertThat(throttle.classifier()).isEqualTo(OutcomeClassifier.defaults());
    assertThat(AdaptiveThrottleConfig.builder().build()).isEqualTo(throttle).hasSameHashCodeAs(throttle);
    assertThat(AdaptiveThrottleConfig.builder().k(3).build()).isNotEqualTo(throttle);
    assertThat(throttle.toString()).contains("k=2.0", "window=PT2M");
  }

  @Test
  void prioritiesAreCachedNamedAndOrdered() {
    assertThat(Priority.of(100)).isSameAs(Priority.CRITICAL);
    assertThat(Priority.of(0)).isSameAs(Priority.BEST_EFFORT);
    assertThat(Priority.of(60)).isSameAs(Priority.of(60));
    assertThat(Priority.of(60).name()).isEqualTo("P60");
    assertThat(Priority.of(60).toString()).isEqualTo("P60");
    assertThat(Priority.HIGH.name()).isEqualTo("HIGH");
    assertThat(Priority.HIGH.toString()).isEqualTo("HIGH(75)");
    assertThat(Priority.LOW.value()).isEqualTo(25);
    assertThat(Priority.LOW).isLessThan(Priority.NORMAL).isEqualTo(Priority.of(25)).hasSameHashCodeAs(Priority.of(25));
    assertThat(Priority.BEST_EFFORT.band()).isZero();
    assertThat(Priority.of(24).band()).isZero();
    assertThat(Priority.LOW.band()).isEqualTo(1);
    assertThat(Priority.of(99).band()).isEqualTo(3);
    assertThat(Priority.CRITICAL.band()).isEqualTo(4);
  }
}
