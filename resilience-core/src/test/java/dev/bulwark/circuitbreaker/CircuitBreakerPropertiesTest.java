package dev.bulwark.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.OutcomeClassifier;
import dev.bulwark.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/** Properties of the open-duration formula and of the count window against a plain model. */
class CircuitBreakerPropertiesTest {

  @Property(tries = 300)
  void theOpenDurationIsTheCappedExponentialShortenedByAtMostTheJitter(
      @ForAll @IntRange(min = 1, max = 200) int trips,
      @ForAll @LongRange(min = 1, max = 600_000) long baseMillis,
      @ForAll @DoubleRange(min = 1, max = 100) double multiplier,
      @ForAll @LongRange(min = 0, max = 3_600_000) long extraMaxMillis,
      @ForAll @DoubleRange(min = 0, max = 0.99) double jitter,
      @ForAll long seed) {
    CircuitBreakerConfig config = CircuitBreakerConfig.builder()
        .openDuration(Duration.ofMillis(baseMillis))
        .openDurationMultiplier(multiplier)
        .maxOpenDuration(Duration.ofMillis(baseMillis + extraMaxMillis))
        .openDurationJitter(jitter)
        .build();
    DefaultCircuitBreaker breaker = (DefaultCircuitBreaker) CircuitBreaker.builder("p").config(config)
        .random(new SplittableRandom(seed)).build();
    double nominal = Math.min(config.maxOpenDuration().toNanos(),
        config.openDuration().toNanos() * Math.pow(multiplier, trips - 1));
    long nanos = breaker.openNanos(trips);
    assertThat((double) nanos).isLessThanOrEqualTo(nominal).isGreaterThanOrEqualTo(Math.floor(nominal * (1 - jitter)) - 1);
  }

  @Property(tries = 300)
  void theCountWindowHoldsExactlyTheLastNCallsAndTripsWhenTheModelDoes(
      @ForAll @IntRange(min = 1, max = 12) int size,
      @ForAll @Size(max = 60) List<@IntRange(min = 0, max = 3) Integer> outcomes,
      @ForAll @DoubleRange(min = 1, max = 100) double threshold) {
    int minimum = Math.max(1, size / 2);
    CircuitBreakerConfig config = CircuitBreakerConfig.builder()
        .slidingWindowSize(size)
        .minimumNumberOfCalls(minimum)
        .failureRateThreshold(threshold)
        .slowCallRateThreshold(threshold)
        .classifier(OutcomeClassifier.builder().slowCallDuration(Duration.ofMillis(1)).build())
        .build();
    Window window = Window.create(config, new ManualClock());
    List<Integer> model = new ArrayList<>();
    for (int outcome : outcomes) {
      boolean failure = (outcome & 1) != 0;
      boolean slow = (outcome & 2) != 0;
      boolean trip = window.record(failure, slow);
      model.add(outcome);
      if (model.size() > size) {
        model.remove(0);
      }
      long failed = model.stream().filter(o -> (o & 1) != 0).count();
      long slowCalls = model.stream().filter(o -> (o & 2) != 0).count();
      boolean expected = model.size() >= minimum
          && (failed * 100.0 >= threshold * model.size() || slowCalls * 100.0 >= threshold * model.size());
      assertThat(trip).isEqualTo(expected);
      Window.Counts counts = window.counts();
      assertThat(counts.calls).isEqualTo(model.size());
      assertThat(counts.failed).isEqualTo((int) failed);
      assertThat(counts.slow).isEqualTo((int) slowCalls);
    }
  }
}
