package dev.bulwark.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.testing.ManualClock;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Assume;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Rate accuracy in virtual time, for arbitrary rates (periods that are not multiples of the limit included),
 * bursts and request patterns:
 * <ul>
 *   <li>over any interval of length t, admitted permits never exceed rate*t + burst;</li>
 *   <li>under sustained demand, admitted permits over any interval are not below rate*t - 1;</li>
 *   <li>every decision equals the reference model's (exact rational GCRA), including after rate changes and
 *       across rebases.</li>
 * </ul>
 * Admission times are when the caller may go: the decision time plus the wait it was given.
 */
class RateLimiterPropertiesTest {

  record Rate(int limitForPeriod, long periodNanos, int burst) {
    RateLimiterConfig config(Duration maxWait) {
      return RateLimiterConfig.builder().limitForPeriod(limitForPeriod).period(Duration.ofNanos(periodNanos))
          .burstCapacity(burst).maxWait(maxWait).build();
    }

    /** Emission interval, as a double: only for sizing the generated time steps. */
    double t() {
      return (double) periodNanos / limitForPeriod;
    }

    boolean buildable() {
      try {
        config(Duration.ZERO);
        return true;
      } catch (IllegalStateException outOfScale) {
        return false;
      }
    }

    long maxWait(long wanted) {
      return Math.min(wanted, config(Duration.ZERO).maxAcquireWaitNanos());
    }
  }

  record Step(long gapFraction, int permits, boolean waits) {}

  @Provide
  Arbitrary<Rate> rates() {
    Arbitrary<Integer> limits = Arbitraries.oneOf(Arbitraries.integers().between(1, 20),
        Arbitraries.integers().between(21, 1_000_000));
    Arbitrary<Long> periods = Arbitraries.oneOf(Arbitraries.longs().between(1_000_000L, 10_000_000_000L),
        Arbitraries.of(1_000_000_000L, 60_000_000_000L, 7L * 86_400_000_000_000L));
    Arbitrary<Integer> bursts = Arbitraries.integers().between(1, 50);
    return Combinators.combine(limits, periods, bursts).as(Rate::new)
        .filter(r -> r.limitForPeriod() <= r.periodNanos() && r.buildable());
  }

  @Provide
  Arbitrary<List<Step>> steps() {
    // gaps in thousandths of an emission interval: bunched, steady and idle traffic alike
    Arbitrary<Long> gaps = Arbitraries.oneOf(Arbitraries.longs().between(0, 10),
        Arbitraries.longs().between(0, 3_000), Arbitraries.longs().between(0, 100_000));
    return Combinators.combine(gaps, Arbitraries.integers().between(1, 4), Arbitraries.of(true, false))
        .as(Step::new).list().ofMinSize(1).ofMaxSize(300);
  }

  private static long gap(Rate rate, Step step) {
    return (long) Math.min(1e15, rate.t() * step.gapFraction() / 1000.0);
  }

  /** Checks count * T <= window + B * T over every window between two admissions: the GCRA bound. */
  private static void assertNeverAbove(List<BigInteger[]> admissions, BigInteger periodUnits, long burst,
      BigInteger slackUnits, String what) {
    List<BigInteger[]> sorted = new ArrayList<>(admissions);
    sorted.sort((x, y) -> x[0].compareTo(y[0]));
    for (int i = 0; i < sorted.size(); i++) {
      BigInteger count = BigInteger.ZERO;
      for (int j = i; j < sorted.size(); j++) {
        count = count.add(sorted.get(j)[1]);
        BigInteger window = sorted.get(j)[0].subtract(sorted.get(i)[0]).add(slackUnits);
        BigInteger bound = window.add(BigInteger.valueOf(burst).multiply(periodUnits));
        assertThat(count.multiply(periodUnits)).as("%s: %s permits within %s", what, count, window)
            .isLessThanOrEqualTo(bound);
      }
    }
  }

  /**
   * Over any interval of length t, admitted permits never exceed rate*t + burst. Checked twice: exactly, on
   * the exact instants at which the permits conform (from the reference model, which the limiter agrees
   * with decision by decision); and on the instants the callers were actually let through, which are whole
   * nanoseconds (a waiting caller goes at the first nanosecond at or after its exact instant), so that check
   * allows the clock's resolution of 1 ns: rate*(t + 1 ns) + burst.
   */
  @Property(tries = 300)
  void admittedPermitsNeverExceedRateTimesTPlusBurst(@ForAll("rates") Rate rate,
      @ForAll("steps") List<Step> steps) {
    ManualClock clock = new ManualClock();
    RateLimiterConfig config = rate.config(Duration.ZERO);
    RateLimiter limiter = RateLimiter.builder("p").config(config).clock(clock).sleeper(clock).build();
    GcraModel model = new GcraModel(config, clock.nanoTime());
    List<BigInteger[]> exact = new ArrayList<>();
    List<BigInteger[]> measured = new ArrayList<>();
    for (Step step : steps) {
      clock.advance(gap(rate, step));
      long now = clock.nanoTime();
      long maxWait = step.waits() ? rate.maxWait(Duration.ofHours(1).toNanos()) : 0;
      boolean admitted;
      if (step.waits()) {
        try {
          limiter.acquire(step.permits(), Duration.ofNanos(maxWait));
          admitted = true;
        } catch (RateLimitedException refused) {
          admitted = false;
        }
      } else {
        admitted = limiter.tryAcquire(step.permits()) == 0;
      }
      assertThat(model.acquire(step.permits(), maxWait, now) >= 0).isEqualTo(admitted);
      if (admitted) {
        BigInteger permits = BigInteger.valueOf(step.permits());
        exact.add(new BigInteger[] {model.lastAdmissionUnits(), permits});
        measured.add(new BigInteger[] {BigInteger.valueOf(clock.nanoTime()), permits});
      }
    }
    BigInteger periodUnits = BigInteger.valueOf(model.periodUnits());
    assertNeverAbove(exact, periodUnits, rate.burst(), BigInteger.ZERO, "exact instants");
    // in nanoseconds: count * period <= (window + 1) * limit + burst * period
    assertNeverAbove(measured.stream().map(e -> new BigInteger[] {
            e[0].multiply(BigInteger.valueOf(rate.limitForPeriod())), e[1]}).toList(),
        BigInteger.valueOf(rate.periodNanos()), rate.burst(), BigInteger.valueOf(rate.limitForPeriod()),
        "measured instants");
  }

  @Property(tries = 300)
  void underSustainedDemandAdmittedPermitsAreNotBelowRateTimesTMinusOne(@ForAll("rates") Rate rate,
      @ForAll @Size(min = 2, max = 40) List<@IntRange(min = 0, max = 10_000) Integer> probes) {
    Assume.that(rate.t() <= 3.6e12); // waiting one emission interval must fit maxWait (at most a day)
    ManualClock clock = new ManualClock();
    RateLimiter limiter = RateLimiter.builder("p").config(rate.config(Duration.ZERO))
        .clock(clock).sleeper(clock).build();
    // sustained demand: a request is always pending and reserves the next turn, so the bucket is never
    // idle; the caller goes as soon as its acquire returns
    Duration turn = Duration.ofNanos(rate.maxWait((long) Math.ceil(rate.t()) + 1));
    long[] times = new long[Math.min(2_000, rate.burst() + 1_000)];
    long start = clock.nanoTime();
    for (int i = 0; i < times.length; i++) {
      limiter.acquire(1, turn);
      times[i] = clock.nanoTime();
    }
    long end = clock.nanoTime();
    for (int x : probes) {
      for (int y : probes) {
        long a = start + (long) ((end - start) * (Math.min(x, y) / 10_000.0));
        long b = start + (long) ((end - start) * (Math.max(x, y) / 10_000.0));
        long count = upperIndex(times, b) - lowerIndex(times, a);
        BigInteger admittedPlusOne = BigInteger.valueOf(count + 1).multiply(BigInteger.valueOf(rate.periodNanos()));
        BigInteger rateTimesT = BigInteger.valueOf(b - a).multiply(BigInteger.valueOf(rate.limitForPeriod()));
        assertThat(admittedPlusOne).as("%d permits within [%d, %d] ns at %s", count, a - start, b - start, rate)
            .isGreaterThanOrEqualTo(rateTimesT);
      }
    }
  }

  /** Index of the first time >= t. */
  private static int lowerIndex(long[] times, long t) {
    int i = java.util.Arrays.binarySearch(times, t);
    if (i < 0) {
      return -i - 1;
    }
    while (i > 0 && times[i - 1] == t) {
      i--;
    }
    return i;
  }

  /** Index after the last time <= t. */
  private static int upperIndex(long[] times, long t) {
    int i = java.util.Arrays.binarySearch(times, t);
    if (i < 0) {
      return -i - 1;
    }
    while (i < times.length - 1 && times[i + 1] == t) {
      i++;
    }
    return i + 1;
  }

  @Property(tries = 300)
  void everyDecisionMatchesTheExactModel(@ForAll("rates") Rate rate, @ForAll("rates") Rate other,
      @ForAll("steps") List<Step> steps) {
    ManualClock clock = new ManualClock();
    RateLimiterConfig first = rate.config(Duration.ZERO);
    RateLimiter limiter = RateLimiter.builder("p").config(first).clock(clock).sleeper(clock).build();
    GcraModel model = new GcraModel(first, clock.nanoTime());
    int changeAt = steps.size() / 2;
    for (int i = 0; i < steps.size(); i++) {
      Step step = steps.get(i);
      if (i == changeAt) {
        RateLimiterConfig second = other.config(Duration.ZERO);
        limiter.changeConfig(second);
        model.change(second, clock.nanoTime());
        rate = other;
      }
      clock.advance(gap(rate, step));
      long now = clock.nanoTime();
      if (step.waits()) {
        long maxWait = rate.maxWait((long) Math.min(1e13, rate.t() * 10));
        long expected = model.acquire(step.permits(), maxWait, now);
        long before = clock.nanoTime();
        boolean admitted;
        try {
          limiter.acquire(step.permits(), Duration.ofNanos(maxWait));
          admitted = true;
        } catch (RateLimitedException refused) {
          admitted = false;
          assertThat(refused.retryAfterNanos())
              .isEqualTo(~expected == Long.MAX_VALUE ? RateLimitedException.UNKNOWN : ~expected);
        }
        assertThat(admitted).as("step %d admitted", i).isEqualTo(expected >= 0);
        if (admitted) {
          assertThat(clock.nanoTime() - before).as("step %d wait", i).isEqualTo(expected);
        }
      } else {
        assertThat(limiter.tryAcquire(step.permits())).as("step %d", i)
            .isEqualTo(model.tryAcquire(step.permits(), now));
      }
    }
  }
}
