package dev.bulwark.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Bounds of every jitter, and capped jittered delays that stay spread out, for arbitrary parameters. */
class BackoffPropertiesTest {

  private static long capped(long base, double multiplier, long cap, int retry) {
    double t = base * Math.pow(multiplier, retry - 1);
    return t >= cap ? cap : (long) t;
  }

  @Property
  void fullJitterIsWithinZeroAndT(
      @ForAll @LongRange(min = 1, max = 10_000_000_000L) long base,
      @ForAll @DoubleRange(min = 1.0, max = 5.0) double multiplier,
      @ForAll @LongRange(min = 0, max = 100_000_000_000L) long extraCap,
      @ForAll @IntRange(min = 1, max = 80) int retry,
      @ForAll long seed) {
    long cap = base + extraCap;
    Backoff backoff = Backoff.exponential(Duration.ofNanos(base), multiplier, Duration.ofNanos(cap))
        .withJitter(Jitter.FULL);
    long t = capped(base, multiplier, cap, retry);
    assertThat(backoff.delayNanos(retry, 0, new SplittableRandom(seed))).isBetween(0L, t);
  }

  @Property
  void equalJitterIsWithinHalfTAndT(
      @ForAll @LongRange(min = 1, max = 10_000_000_000L) long base,
      @ForAll @DoubleRange(min = 1.0, max = 5.0) double multiplier,
      @ForAll @LongRange(min = 0, max = 100_000_000_000L) long extraCap,
      @ForAll @IntRange(min = 1, max = 80) int retry,
      @ForAll long seed) {
    long cap = base + extraCap;
    Backoff backoff = Backoff.exponential(Duration.ofNanos(base), multiplier, Duration.ofNanos(cap))
        .withJitter(Jitter.EQUAL);
    long t = capped(base, multiplier, cap, retry);
    long delay = backoff.delayNanos(retry, 0, new SplittableRandom(seed));
    assertThat(delay).isBetween(t - t / 2, t);
    assertThat(2 * delay).isGreaterThanOrEqualTo(t); // delay >= t/2 exactly
  }

  @Property
  void decorrelatedJitterIsWithinBaseAndTheCappedTripleOfThePrevious(
      @ForAll @LongRange(min = 1, max = 10_000_000_000L) long base,
      @ForAll @LongRange(min = 0, max = 100_000_000_000L) long extraCap,
      @ForAll @LongRange(min = 0, max = 200_000_000_000L) long previous,
      @ForAll @IntRange(min = 1, max = 80) int retry,
      @ForAll long seed) {
    long cap = base + extraCap;
    Backoff backoff = Backoff.exponential(Duration.ofNanos(base), 2.0, Duration.ofNanos(cap))
        .withJitter(Jitter.DECORRELATED);
    long delay = backoff.delayNanos(retry, previous, new SplittableRandom(seed));
    long effectivePrevious = Math.max(previous, base);
    assertThat(delay).isBetween(base, Math.min(cap, 3 * effectivePrevious));
  }

  @Property
  void noJitterNeverExceedsTheCapAndNeverShrinks(
      @ForAll @LongRange(min = 1, max = 10_000_000_000L) long base,
      @ForAll @DoubleRange(min = 1.0, max = 5.0) double multiplier,
      @ForAll @LongRange(min = 0, max = 100_000_000_000L) long extraCap,
      @ForAll @IntRange(min = 1, max = 79) int retry) {
    long cap = base + extraCap;
    Backoff backoff = Backoff.exponential(Duration.ofNanos(base), multiplier, Duration.ofNanos(cap));
    SplittableRandom unused = new SplittableRandom(0);
    long now = backoff.delayNanos(retry, 0, unused);
    long next = backoff.delayNanos(retry + 1, now, unused);
    assertThat(now).isBetween(base, cap);
    assertThat(next).isBetween(now, cap);
  }

  /** Many clients at a capped retry: their delays cover the interval instead of piling up on the cap. */
  @Property(tries = 50)
  void cappedJitteredDelaysStaySpreadOut(
      @ForAll Jitter jitter,
      @ForAll @LongRange(min = 1_000_000, max = 1_000_000_000L) long base,
      @ForAll @IntRange(min = 2, max = 1000) int capFactor,
      @ForAll long seed) {
    if (jitter == Jitter.NONE) {
      return; // no jitter: every client waits exactly the cap, by definition
    }
    long cap = base * capFactor;
    Backoff backoff = Backoff.exponential(Duration.ofNanos(base), 2.0, Duration.ofNanos(cap)).withJitter(jitter);
    SplittableRandom random = new SplittableRandom(seed);
    int clients = 2000;
    int atCap = 0;
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    Set<Long> distinct = new HashSet<>();
    for (int client = 0; client < clients; client++) {
      // every client well past the cap; decorrelated clients have already reached it
      long delay = backoff.delayNanos(60, cap, random);
      atCap += delay == cap ? 1 : 0;
      min = Math.min(min, delay);
      max = Math.max(max, delay);
      distinct.add(delay);
    }
    long low = jitter == Jitter.FULL ? 0 : jitter == Jitter.EQUAL ? cap / 2 : base;
    assertThat(atCap).as("delays exactly at the cap").isLessThan(clients / 100);
    assertThat(distinct.size()).as("distinct delays").isGreaterThan(clients * 9 / 10);
    // the sample covers most of [low, cap]
    assertThat((double) (max - min)).isGreaterThan(0.9 * (cap - low));
  }
}
