package dev.bulwark.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static final long MS = 1_000_000L;

  /** The delays a call would see for retries 1..n, feeding each delay back as the previous one. */
  static List<Long> delays(Backoff backoff, int n, RandomGenerator random) {
    List<Long> delays = new ArrayList<>();
    long previous = 0;
    for (int retry = 1; retry <= n; retry++) {
      previous = backoff.delayNanos(retry, previous, random);
      delays.add(previous);
    }
    return delays;
  }

  @Test
  void noneIsAlwaysZero() {
    assertThat(delays(Backoff.none(), 5, new SplittableRandom(1))).containsOnly(0L);
    assertThat(Backoff.none().withJitter(Jitter.FULL)).isEqualTo(Backoff.none());
    assertThat(Backoff.fixed(Duration.ZERO)).isEqualTo(Backoff.none());
  }

  @Test
  void fixedIsAlwaysTheDelay() {
    assertThat(delays(Backoff.fixed(Duration.ofMillis(250)), 4, new SplittableRandom(1)))
        .containsExactly(250 * MS, 250 * MS, 250 * MS, 250 * MS);
  }

  @Test
  void exponentialGrowsByTheMultiplierUntilTheCap() {
    Backoff backoff = Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofMillis(1000));
    assertThat(delays(backoff, 6, new SplittableRandom(1)))
        .containsExactly(100 * MS, 200 * MS, 400 * MS, 800 * MS, 1000 * MS, 1000 * MS);
    Backoff triple = Backoff.exponential(Duration.ofMillis(10), 3.0, Duration.ofSeconds(1));
    assertThat(delays(triple, 4, new SplittableRandom(1))).containsExactly(10 * MS, 30 * MS, 90 * MS, 270 * MS);
  }

  @Test
  void exponentialDoesNotOverflowForLargeRetryNumbers() {
    Backoff backoff = Backoff.exponential(Duration.ofMillis(100), 10.0, Duration.ofDays(365 * 200));
    assertThat(backoff.delayNanos(1_000, 0, new SplittableRandom(1)))
        .isEqualTo(Duration.ofDays(365 * 200).toNanos());
    assertThat(backoff.delayNanos(Integer.MAX_VALUE, 0, new SplittableRandom(1))).isPositive();
  }

  @Test
  void fullJitterIsSeededAndWithinZeroAndTheCappedDelay() {
    Backoff backoff = Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofSeconds(1)).withJitter(Jitter.FULL);
    List<Long> first = delays(backoff, 8, new SplittableRandom(42));
    assertThat(delays(backoff, 8, new SplittableRandom(42))).isEqualTo(first); // deterministic under a seed
    long[] caps = {100, 200, 400, 800, 1000, 1000, 1000, 1000};
    for (int i = 0; i < caps.length; i++) {
      assertThat(first.get(i)).isBetween(0L, caps[i] * MS);
    }
  }

  @Test
  void equalJitterIsWithinTheUpperHalf() {
    Backoff backoff = Backoff.fixed(Duration.ofMillis(100)).withJitter(Jitter.EQUAL);
    assertThat(delays(backoff, 200, new SplittableRandom(7))).allSatisfy(d -> assertThat(d).isBetween(50 * MS, 100 * MS));
  }

  @Test
  void decorrelatedJitterGrowsFromTheBaseAndStaysUnderTheCap() {
    Backoff backoff = Backoff.exponential(Duration.ofMillis(10), 2.0, Duration.ofSeconds(1))
        .withJitter(Jitter.DECORRELATED);
    RandomGenerator random = new SplittableRandom(3);
    long previous = 0;
    for (int retry = 1; retry <= 50; retry++) {
      long delay = backoff.delayNanos(retry, previous, random);
      long bound = Math.min(1000 * MS, 3 * Math.max(previous, 10 * MS));
      assertThat(delay).isBetween(10 * MS, bound);
      previous = delay;
    }
  }

  @Test
  void decorrelatedJitterOfAFixedDelayIsTheDelay() {
    Backoff backoff = Backoff.fixed(Duration.ofMillis(40)).withJitter(Jitter.DECORRELATED);
    assertThat(delays(backoff, 5, new SplittableRandom(1))).containsOnly(40 * MS);
  }

  @Test
  void customDelayFunctionSeesTheRetryNumberAndThePreviousDelay() {
    List<String> seen = new ArrayList<>();
    Backoff linear = Backoff.of((retry, previous) -> {
      seen.add(retry + ":" + previous.toMillis());
      return Duration.ofMillis(100L * retry);
    });
    assertThat(delays(linear, 3, new SplittableRandom(1))).containsExactly(100 * MS, 200 * MS, 300 * MS);
    assertThat(seen).containsExactly("1:0", "2:100", "3:200");
  }

  @Test
  void customDelayFunctionCanBeJitteredFullOrEqual() {
    Backoff full = Backoff.of((retry, previous) -> Duration.ofMillis(100)).withJitter(Jitter.FULL);
    assertThat(delays(full, 100, new SplittableRandom(5))).allSatisfy(d -> assertThat(d).isBetween(0L, 100 * MS));
    Backoff equal = Backoff.of((retry, previous) -> Duration.ofMillis(100)).withJitter(Jitter.EQUAL);
    assertThat(delays(equal, 100, new SplittableRandom(5))).allSatisfy(d -> assertThat(d).isBetween(50 * MS, 100 * MS));
    assertThat(full.withJitter(Jitter.NONE).delayNanos(1, 0, new SplittableRandom(1))).isEqualTo(100 * MS);
  }

  @Test
  void customDelayFunctionCannotBeDecorrelated() {
    assertThatThrownBy(() -> Backoff.of((retry, previous) -> Duration.ofMillis(1)).withJitter(Jitter.DECORRELATED))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("jitter must be NONE, FULL or EQUAL for a custom backoff")
        .hasMessageContaining("was DECORRELATED");
  }

  @Test
  void customDelayFunctionReturningANegativeOrNullDelayFailsNamingTheValue() {
    Backoff negative = Backoff.of((retry, previous) -> Duration.ofMillis(-5));
    assertThatThrownBy(() -> negative.delayNanos(2, 0, new SplittableRandom(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("must return a delay >= 0, returned PT-0.005S for retry 2");
    Backoff nothing = Backoff.of((retry, previous) -> null);
    assertThatThrownBy(() -> nothing.delayNanos(1, 0, new SplittableRandom(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("returned null");
  }

  @Test
  void badArgumentsFailAtBuildTimeNamingTheOptionTheRuleAndTheValue() {
    assertThatThrownBy(() -> Backoff.fixed(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("delay must be >= 0, was PT-0.001S");
    assertThatThrownBy(() -> Backoff.exponential(Duration.ZERO, 2.0, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("base must be > 0, was PT0S");
    assertThatThrownBy(() -> Backoff.exponential(Duration.ofMillis(-10), 2.0, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("base must be > 0, was PT-0.01S");
    assertThatThrownBy(() -> Backoff.exponential(Duration.ofMillis(100), 0.5, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("multiplier must be >= 1.0, was 0.5");
    assertThatThrownBy(() -> Backoff.exponential(Duration.ofMillis(100), Double.NaN, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("multiplier must be >= 1.0, was NaN");
    assertThatThrownBy(() -> Backoff.exponential(Duration.ofMillis(100), Double.POSITIVE_INFINITY, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("multiplier must be finite, was Infinity");
    assertThatThrownBy(() -> Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofMillis(50)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("cap must be >= base (PT0.1S), was PT0.05S");
    assertThatThrownBy(() -> Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofMillis(-50)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("cap must be > 0, was PT-0.05S");
    assertThatThrownBy(() -> Backoff.fixed(null)).isInstanceOf(NullPointerException.class).hasMessage("delay");
    assertThatThrownBy(() -> Backoff.of(null)).isInstanceOf(NullPointerException.class).hasMessage("function");
    assertThatThrownBy(() -> Backoff.fixed(Duration.ofMillis(1)).withJitter(null))
        .isInstanceOf(NullPointerException.class).hasMessage("jitter");
  }

  @Test
  void backoffsAreValues() {
    assertThat(Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofSeconds(1)).withJitter(Jitter.FULL))
        .isEqualTo(Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(1)).withJitter(Jitter.FULL))
        .hasSameHashCodeAs(Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(1)).withJitter(Jitter.FULL))
        .isNotEqualTo(Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(1)).withJitter(Jitter.EQUAL))
        .hasToString("Backoff.exponential(PT0.1S, 2.0, PT1S).withJitter(FULL)");
    assertThat(Backoff.fixed(Duration.ofMillis(5))).hasToString("Backoff.fixed(PT0.005S)");
    assertThat(Backoff.none()).hasToString("Backoff.none()");
  }

  @Test
  void regressionJitterIsAppliedAfterTheCapSoCappedDelaysDoNotAllEqualTheCap() {
    // Resilience4j randomizes before capping: once capped, every client waits exactly the cap.
    Backoff backoff = Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofSeconds(1)).withJitter(Jitter.FULL);
    RandomGenerator random = new SplittableRandom(11);
    long atCap = 0;
    for (int i = 0; i < 1000; i++) {
      if (backoff.delayNanos(20, 0, random) == 1000 * MS) {
        atCap++;
      }
    }
    assertThat(atCap).isLessThan(5);
  }
}
