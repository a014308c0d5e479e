package dev.bulwark.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.OutcomeClassifier;
import dev.bulwark.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Defaults, every invalid option, conflicting options, and value semantics. */
class CircuitBreakerConfigTest {

  @Test
  void defaultsAreSafeForProduction() {
    CircuitBreakerConfig config = CircuitBreakerConfig.defaults();
    assertThat(config.failureRateThreshold()).isEqualTo(50.0);
    assertThat(config.slowCallRateThreshold()).isEqualTo(100.0);
    assertThat(config.slidingWindowType()).isEqualTo(SlidingWindowType.COUNT_BASED);
    assertThat(config.slidingWindowSize()).isEqualTo(100);
    assertThat(config.minimumNumberOfCalls()).isEqualTo(50);
    assertThat(config.consecutiveFailureThreshold()).isEqualTo(5);
    assertThat(config.permittedCallsInHalfOpen()).isEqualTo(10);
    assertThat(config.openDuration()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.openDurationMultiplier()).isEqualTo(1.0);
    assertThat(config.maxOpenDuration()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.openDurationJitter()).isEqualTo(0.1);
    assertThat(config.maxHalfOpenDuration()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.classifier()).isSameAs(OutcomeClassifier.defaults());
    assertThat(CircuitBreakerConfig.builder().build()).isEqualTo(config);
  }

  static Stream<Arguments> invalidValues() {
    return Stream.of(
        bad("failureRateThreshold must be in (0, 100], was 0.0", b -> b.failureRateThreshold(0)),
        bad("failureRateThreshold must be in (0, 100], was 120.0", b -> b.failureRateThreshold(120)),
        bad("failureRateThreshold must be in (0, 100], was -1.0", b -> b.failureRateThreshold(-1)),
        bad("failureRateThreshold must be in (0, 100], was NaN", b -> b.failureRateThreshold(Double.NaN)),
        bad("slowCallRateThreshold must be in (0, 100], was 0.0", b -> b.slowCallRateThreshold(0)),
        bad("slowCallRateThreshold must be in (0, 100], was 100.5", b -> b.slowCallRateThreshold(100.5)),
        bad("slidingWindowSize must be in [1, 1000000], was 0", b -> b.slidingWindowSize(0)),
        bad("slidingWindowSize must be in [1, 1000000], was -5", b -> b.slidingWindowSize(-5)),
        bad("slidingWindowSize must be in [1, 1000000], was 1000001", b -> b.slidingWindowSize(1_000_001)),
        bad("minimumNumberOfCalls must be >= 1, was 0", b -> b.minimumNumberOfCalls(0)),
        bad("minimumNumberOfCalls must be >= 1, was -3", b -> b.minimumNumberOfCalls(-3)),
        bad("consecutiveFailureThreshold must be in [1, 1000000], was 0", b -> b.consecutiveFailureThreshold(0)),
        bad("permittedCallsInHalfOpen must be in [1, 1023], was 0", b -> b.permittedCallsInHalfOpen(0)),
        bad("permittedCallsInHalfOpen must be in [1, 1023], was 1024", b -> b.permittedCallsInHalfOpen(1024)),
        bad("openDuration must be > 0, was PT0S", b -> b.openDuration(Duration.ZERO)),
        bad("openDuration must be > 0, was PT-1S", b -> b.openDuration(Duration.ofSeconds(-1))),
        bad("openDurationMultiplier must be in [1.0, 100.0], was 0.5", b -> b.openDurationMultiplier(0.5)),
        bad("openDurationMultiplier must be in [1.0, 100.0], was Infinity",
            b -> b.openDurationMultiplier(Double.POSITIVE_INFINITY)),
        bad("maxOpenDuration must be > 0, was PT0S", b -> b.maxOpenDuration(Duration.ZERO)),
        bad("openDurationJitter must be in [0, 1), was 1.0", b -> b.openDurationJitter(1)),
        bad("openDurationJitter must be in [0, 1), was -0.1", b -> b.openDurationJitter(-0.1)),
        bad("maxHalfOpenDuration must be > 0, was PT-0.001S", b -> b.maxHalfOpenDuration(Duration.ofMillis(-1))),
        bad("slidingWindowSize must be in [1, 3600] seconds for a TIME_BASED window, was 3601",
            b -> b.slidingWindowType(SlidingWindowType.TIME_BASED).slidingWindowSize(3601).build()));
  }

  private static Arguments bad(String message, Consumer<CircuitBreakerConfig.Builder> setter) {
    return Arguments.of(message, setter);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidValues")
  void refusesInvalidValuesNamingTheOptionTheRuleAndTheValue(
      String message, Consumer<CircuitBreakerConfig.Builder> setter) {
    assertThatThrownBy(() -> setter.accept(CircuitBreakerConfig.builder()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @Test
  void refusesNulls() {
    CircuitBreakerConfig.Builder b = CircuitBreakerConfig.builder();
    assertThatThrownBy(() -> b.slidingWindowType(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("slidingWindowType");
    assertThatThrownBy(() -> b.openDuration(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("openDuration");
    assertThatThrownBy(() -> b.maxOpenDuration(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("maxOpenDuration");
    assertThatThrownBy(() -> b.maxHalfOpenDuration(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("maxHalfOpenDuration");
    assertThatThrownBy(() -> b.classifier(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("classifier");
  }

  @Test
  void refusesAnOptionSetTwice() {
    assertThatThrownBy(() -> CircuitBreakerConfig.builder().failureRateThreshold(40).failureRateThreshold(60))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("failureRateThreshold was already set to 40.0");
    assertThatThrownBy(() -> CircuitBreakerConfig.builder().openDuration(Duration.ofSeconds(5))
        .openDuration(Duration.ofSeconds(6)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("openDuration was already set to PT5S");
  }

  @Test
  void refusesContradictoryOptions() {
    assertThatThrownBy(() -> CircuitBreakerConfig.builder().slidingWindowSize(10).minimumNumberOfCalls(11).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("minimumNumberOfCalls (11) must not exceed slidingWindowSize (10) of a COUNT_BASED window,"
            + " or it never opens");
    assertThatThrownBy(() -> CircuitBreakerConfig.builder().openDuration(Duration.ofMinutes(2))
        .maxOpenDuration(Duration.ofMinutes(1)).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("maxOpenDuration (PT1M) must be at least openDuration (PT2M)");
    assertThatThrownBy(() -> CircuitBreakerConfig.builder().consecutiveFailureThreshold(3).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("consecutiveFailureThreshold (3) applies only to slidingWindowType CONSECUTIVE_FAILURES,"
            + " was COUNT_BASED");
    assertThatThrownBy(() -> CircuitBreakerConfig.builder()
        .slidingWindowType(SlidingWindowType.CONSECUTIVE_FAILURES).slidingWindowSize(10).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("slidingWindowSize (10) does not apply to a CONSECUTIVE_FAILURES breaker");
    assertThatThrownBy(() -> CircuitBreakerConfig.builder()
        .slidingWindowType(SlidingWindowType.CONSECUTIVE_FAILURES).minimumNumberOfCalls(10).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("minimumNumberOfCalls (10) does not apply to a CONSECUTIVE_FAILURES breaker");
  }

  @Test
  void derivedDefaultsFollowTheOptionsTheyDependOn() {
    assertThat(CircuitBreakerConfig.builder().slidingWindowSize(20).build().minimumNumberOfCalls()).isEqualTo(20);
    assertThat(CircuitBreakerConfig.builder().slidingWindowType(SlidingWindowType.TIME_BASED)
        .slidingWindowSize(10).build().minimumNumberOfCalls()).isEqualTo(50);
    assertThat(CircuitBreakerConfig.builder().openDuration(Duration.ofMinutes(10)).build().maxOpenDuration())
        .isEqualTo(Duration.ofMinutes(10));
    assertThat(CircuitBreakerConfig.builder().openDuration(Duration.ofDays(365_000_000)).build().openDuration())
        .isEqualTo(Duration.ofNanos(CircuitBreakerConfig.MAX_NANOS));
  }

  @Test
  void configsAreValues() {
    CircuitBreakerConfig a = CircuitBreakerConfig.builder().failureRateThreshold(25).slidingWindowSize(40).build();
    CircuitBreakerConfig b = CircuitBreakerConfig.builder().slidingWindowSize(40).failureRateThreshold(25).build();
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(CircuitBreakerConfig.defaults());
    assertThat(a.toString()).contains("failureRateThreshold=25.0", "slidingWindowSize=40", "openDuration=PT30S",
        "classifier=OutcomeClassifier{");
  }

  @Test
  void theBreakerRefusesBadNamesAndNulls() {
    assertThatThrownBy(() -> CircuitBreaker.of(null, CircuitBreakerConfig.defaults()))
        .isInstanceOf(NullPointerException.class).hasMessage("name");
    assertThatThrownBy(() -> CircuitBreaker.ofDefaults(" "))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("name must not be blank, was \" \"");
    assertThatThrownBy(() -> CircuitBreaker.of("x", null))
        .isInstanceOf(NullPointerException.class).hasMessage("config");
    assertThatThrownBy(() -> CircuitBreaker.builder("x").clock(null))
        .isInstanceOf(NullPointerException.class).hasMessage("clock");
    assertThatThrownBy(() -> CircuitBreaker.builder("x").random(null))
        .isInstanceOf(NullPointerException.class).hasMessage("random");
    assertThatThrownBy(() -> CircuitBreaker.builder("x").listener(null))
        .isInstanceOf(NullPointerException.class).hasMessage("listener");
    assertThatThrownBy(() -> CircuitBreaker.builder("x").config(CircuitBreakerConfig.defaults())
        .config(CircuitBreakerConfig.defaults()))
        .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("config was already set to");
  }
}
