package dev.bulwark.limit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The control laws written in each algorithm's javadoc, checked window by window. */
class LimitAlgorithmTest {
  static final long MS = 1_000_000L;

  private long time;

  private WindowSample window(long rtt, int successes, int drops, int maxInflight) {
    long start = time;
    time += 100 * MS;
    WindowSample.Builder b = WindowSample.builder(start, time).drops(drops).maxInflight(maxInflight);
    if (successes > 0) {
      b.addRtt(rtt, successes);
    }
    return b.build();
  }

  /** Runs the startup probe with calls of {@code baseline}, so the controller knows its no-load time. */
  private int probed(LimitAlgorithm.Controller controller, int limit, long baseline) {
    int pinned = controller.update(window(baseline, 50, 0, limit), limit);
    return controller.update(window(baseline, 50, 0, pinned), pinned);
  }

  @Test
  void fixedNeverMoves() {
    FixedLimit fixed = LimitAlgorithm.fixed(12);
    LimitAlgorithm.Controller c = fixed.newController(new SplittableRandom());
    assertThat(c.update(window(5 * MS, 10, 10, 12), 12)).isEqualTo(12);
    assertThat(c.update(window(5 * MS, 10, 0, 1), 12)).isEqualTo(12);
    assertThat(fixed.limit()).isEqualTo(12);
    assertThat(c.noLoadRttNanos()).isEqualTo(-1);
    assertThat(c.sampleCallsStartedFromNanos()).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void aimdAddsWhenTheLimitIsUsedAndMultipliesDownOnDrops() {
    AimdLimit aimd = LimitAlgorithm.aimd().initialLimit(10).minLimit(3).maxLimit(12).backoffRatio(0.5)
        .increment(2).build();
    LimitAlgorithm.Controller c = aimd.newController(new SplittableRandom());
    assertThat(c.update(window(5 * MS, 10, 0, 5), 10)).isEqualTo(12);   // used (5 >= 10 / 2): +2
    assertThat(c.update(window(5 * MS, 10, 0, 12), 12)).isEqualTo(12);  // capped at max
    assertThat(c.update(window(5 * MS, 10, 0, 4), 10)).isEqualTo(10);   // not used: unchanged
    assertThat(c.update(window(5 * MS, 10, 1, 10), 10)).isEqualTo(5);   // a drop: * 0.5
    assertThat(c.update(window(5 * MS, 10, 1, 5), 5)).isEqualTo(3);     // floored at min
    WindowSample rejectedOnly = WindowSample.builder(0, 1).addRtt(MS, 10).rejected(3).build();
    assertThat(c.update(rejectedOnly, 10)).isEqualTo(12);              // rejections mean it was used
  }

  @Test
  void gradientScalesTheLimitByTheRatioOfBaselineToRoundTrip() {
    GradientLimit gradient = LimitAlgorithm.gradient().initialLimit(100).maxLimit(500).tolerance(0.5).build();
    LimitAlgorithm.Controller c = gradient.newController(new SplittableRandom(1));
    int limit = probed(c, 100, 20 * MS);
    assertThat(limit).isEqualTo(100);
    assertThat(c.noLoadRttNanos()).isBetween(19 * MS, 21 * MS);
    long base = c.noLoadRttNanos();

    // at the baseline, and used: grows by sqrt(L)
    assertThat(c.update(window(base, 50, 0, 100), 100)).isEqualTo(110);
    // within the tolerance: gradient clamps to 1, still grows
    assertThat(c.update(window((long) (base * 1.4), 50, 0, 110), 110)).isEqualTo(120);
    // not used: unchanged
    assertThat(c.update(window(base, 50, 0, 20), 120)).isEqualTo(120);
    // twice the baseline: gradient 1.5 / 2 = 0.75, no headroom
    assertThat(c.update(window(2 * base, 50, 0, 120), 120)).isBetween(88, 90);
    // far above: the gradient bottoms out at 0.5
    assertThat(c.update(window(10 * base, 50, 0, 90), 90)).isEqualTo(45);
    // drops at the baseline latency: L * backoffRatio
    assertThat(c.update(window(base, 50, 1, 45), 45)).isEqualTo(40);
  }

  @Test
  void gradientLowersItsBaselineAtOnceAndKeepsItWhenLatencyRises() {
    LimitAlgorithm.Controller c = LimitAlgorithm.gradient().initialLimit(50).build()
        .newController(new SplittableRandom(1));
    int limit = probed(c, 50, 40 * MS);
    long base = c.noLoadRttNanos();
    c.update(window(base * 3, 50, 0, limit), limit);
    assertThat(c.noLoadRttNanos()).isEqualTo(base); // an average would have followed it up (#134)
    c.update(window(base / 2, 50, 0, limit), limit);
    assertThat(c.noLoadRttNanos()).isLessThan(base);
  }

  @Test
  void gradientReprobesWhenItsFloorHoldsForFiveWindows() {
    GradientLimit gradient = LimitAlgorithm.gradient().initialLimit(4).minLimit(4).probeLimit(2).build();
    LimitAlgorithm.Controller c = gradient.newController(new SplittableRandom(1));
    int limit = probed(c, 4, 10 * MS);
    for (int i = 0; i < 5; i++) {
      limit = c.update(window(100 * MS, 50, 0, 4), limit);
      assertThat(limit).isEqualTo(4);
      assertThat(c.sampleCallsStartedFromNanos()).isEqualTo(Long.MIN_VALUE);
    }
    limit = c.update(window(100 * MS, 50, 0, 4), limit);
    assertThat(limit).isEqualTo(2);
    assertThat(c.sampleCallsStartedFromNanos()).isEqualTo(time);
    limit = c.update(window(100 * MS, 50, 0, 2), limit);
    assertThat(c.noLoadRttNanos()).isBetween(95 * MS, 105 * MS);
    assertThat(limit).isEqualTo(4);
  }

  @Test
  void gradientReprobesWhenHalvingTheLimitDidNotLowerLatency() {
    LimitAlgorithm.Controller c = LimitAlgorithm.gradient().initialLimit(100).build()
        .newController(new SplittableRandom(1));
    int limit = probed(c, 100, 10 * MS);
    // the dependency got slower: latency stays at 40 ms whatever the limit
    while (c.sampleCallsStartedFromNanos() == Long.MIN_VALUE) {
      int next = c.update(window(40 * MS, 50, 0, limit), limit);
      assertThat(next).isLessThanOrEqualTo(limit);
      limit = next;
    }
    assertThat(limit).isBetween(3, 50); // it stopped after about a halving, not at the floor
    int restored = c.update(window(40 * MS, 50, 0, limit), limit);
    assertThat(c.noLoadRttNanos()).isBetween(38 * MS, 42 * MS);
    assertThat(c.update(window(40 * MS, 50, 0, restored), restored)).isGreaterThan(restored);
  }

  @Test
  void aNoisyProbeDoesNotSetOffProbeAfterProbe() {
    LimitAlgorithm.Controller c = LimitAlgorithm.gradient().initialLimit(50).build()
        .newController(new SplittableRandom(1));
    int limit = probed(c, 50, 30 * MS); // the probe's few calls happened to be slow
    // the next windows show 20 ms: the baseline follows at once, but no new probe for a while
    for (int i = 0; i < NoLoadRtt.FASTER_PROBE_COOLDOWN - 1; i++) {
      limit = c.update(window(20 * MS, 50, 0, limit), limit);
      assertThat(c.sampleCallsStartedFromNanos()).isEqualTo(Long.MIN_VALUE);
      assertThat(c.noLoadRttNanos()).isLessThan(21 * MS);
    }
    // long after the probe, a latency well below the baseline does ask for one (a faster dependency)
    for (int i = 0; i < 3; i++) {
      limit = c.update(window(20 * MS, 50, 0, limit), limit);
    }
    c.update(window(10 * MS, 50, 0, limit), limit); // well below: noted
    c.update(window(10 * MS, 50, 0, limit), limit); // and acted on at the next window
    assertThat(c.sampleCallsStartedFromNanos()).isNotEqualTo(Long.MIN_VALUE);
  }

  @Test
  void vegasGrowsFastWithAnEmptyQueueSlowlyWithASmallOneAndShrinksAboveBeta() {
    VegasLimit vegas = LimitAlgorithm.vegas().initialLimit(20).maxLimit(1000).alpha(3).beta(6).build();
    LimitAlgorithm.Controller c = vegas.newController(new SplittableRandom(1));
    int limit = probed(c, 20, 10 * MS);
    long base = c.noLoadRttNanos();
    // log = log10(20) = 1.3; queue = 20 * (1 - base / rtt)
    // empty queue: + beta * log = +7.8
    assertThat(c.update(window(base, 50, 0, 20), 20)).isEqualTo(27);
    // rtt 1.15 base: queue 2.6, between log and alpha * log: + log
    assertThat(c.update(window((long) (base * 1.15), 50, 0, 20), 20)).isEqualTo(21);
    // rtt 1.4 base: queue 5.7, between alpha * log and beta * log: unchanged
    assertThat(c.update(window((long) (base * 1.4), 50, 0, 20), 20)).isEqualTo(20);
    // rtt 2 base: queue 10, above beta * log: - log
    assertThat(c.update(window(2 * base, 50, 0, 20), 20)).isEqualTo(18);
    // drops: * 0.9
    assertThat(c.update(window(base, 50, 3, 20), 20)).isEqualTo(18);
    // not used, empty queue: unchanged
    assertThat(c.update(window(base, 50, 0, 5), 20)).isEqualTo(20);
    // at a limit of 100, a 3% rise is a queue of 3: between log (2) and alpha * log (6)
    assertThat(c.update(window((long) (base * 1.03), 50, 0, 100), 100)).isEqualTo(102);
  }

  @Test
  void algorithmsAreValuesAndTheirControllersAreSeparate() {
    GradientLimit a = LimitAlgorithm.gradient().maxLimit(300).probeInterval(Duration.ofSeconds(5)).build();
    GradientLimit b = LimitAlgorithm.gradient().maxLimit(300).probeInterval(Duration.ofSeconds(5)).build();
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(LimitAlgorithm.gradient().build());
    assertThat(a.toString()).contains("maxLimit=300", "probeInterval=PT5S");
    assertThat(LimitAlgorithm.vegas().alpha(2).build()).isEqualTo(LimitAlgorithm.vegas().alpha(2).build())
        .isNotEqualTo(LimitAlgorithm.vegas().build());
    assertThat(LimitAlgorithm.vegas().build().hashCode()).isEqualTo(LimitAlgorithm.vegas().build().hashCode());
    assertThat(LimitAlgorithm.aimd().increment(3).build()).isEqualTo(LimitAlgorithm.aimd().increment(3).build())
        .hasSameHashCodeAs(LimitAlgorithm.aimd().increment(3).build());
    assertThat(LimitAlgorithm.fixed(3)).isEqualTo(LimitAlgorithm.fixed(3)).isNotEqualTo(LimitAlgorithm.fixed(4))
        .hasSameHashCodeAs(LimitAlgorithm.fixed(3));
    assertThat(LimitAlgorithm.aimd().build().toString()).contains("backoffRatio=0.9");
    assertThat(LimitAlgorithm.vegas().build().toString()).contains("alpha=3.0", "beta=6.0");
    assertThat(LimitAlgorithm.fixed(3).toString()).isEqualTo("FixedLimit{limit=3}");

    LimitAlgorithm.Controller c1 = a.newController(new SplittableRandom(1));
    LimitAlgorithm.Controller c2 = a.newController(new SplittableRandom(1));
    probed(c1, 20, 10 * MS);
    assertThat(c2.noLoadRttNanos()).isEqualTo(-1);
  }

  @Test
  void defaultsAreDocumented() {
    GradientLimit g = LimitAlgorithm.gradient().build();
    assertThat(List.of(g.initialLimit(), g.minLimit(), g.maxLimit(), g.probeLimit())).containsExactly(20, 1, 1000, 4);
    assertThat(g.rttPercentile()).isEqualTo(50);
    assertThat(g.tolerance()).isEqualTo(0.5);
    assertThat(g.backoffRatio()).isEqualTo(0.9);
    assertThat(g.probeInterval()).isEqualTo(Duration.ofSeconds(60));
    assertThat(g.probeJitter()).isEqualTo(0.15);
    VegasLimit v = LimitAlgorithm.vegas().build();
    assertThat(List.of(v.initialLimit(), v.minLimit(), v.maxLimit(), v.probeLimit())).containsExactly(20, 1, 1000, 4);
    assertThat(List.of(v.alpha(), v.beta(), v.backoffRatio(), v.rttPercentile(), v.probeJitter()))
        .containsExactly(3.0, 6.0, 0.9, 50.0, 0.15);
    assertThat(v.probeInterval()).isEqualTo(Duration.ofSeconds(60));
    AimdLimit a = LimitAlgorithm.aimd().build();
    assertThat(List.of(a.initialLimit(), a.minLimit(), a.maxLimit(), a.increment())).containsExactly(20, 1, 1000, 1);
    assertThat(a.backoffRatio()).isEqualTo(0.9);
  }

  // ------------------------------------------------------------------ properties

  @Provide
  Arbitrary<LimitAlgorithm> algorithms() {
    Arbitrary<int[]> bounds = Combinators.combine(
        Arbitraries.integers().between(1, 50), Arbitraries.integers().between(0, 200),
        Arbitraries.integers().between(0, 200))
        .as((min, a, b) -> new int[] {min, min + Math.min(a, b), min + Math.max(a, b)});
    return Combinators.combine(bounds, Arbitraries.integers().between(0, 3), Arbitraries.integers().between(1, 20))
        .as((bd, kind, probe) -> switch (kind) {
          case 0 -> LimitAlgorithm.aimd().minLimit(bd[0]).initialLimit(bd[1]).maxLimit(bd[2]).build();
          case 1 -> LimitAlgorithm.gradient().minLimit(bd[0]).initialLimit(bd[1]).maxLimit(bd[2])
              .probeLimit(probe).probeInterval(Duration.ofSeconds(1)).build();
          case 2 -> LimitAlgorithm.vegas().minLimit(bd[0]).initialLimit(bd[1]).maxLimit(bd[2])
              .probeLimit(probe).probeInterval(Duration.ofSeconds(1)).build();
          default -> LimitAlgorithm.fixed(bd[1]);
        });
  }

  @Provide
  Arbitrary<List<int[]>> windows() {
    // rtt in ms, successes, drops, peak in-flight
    return Combinators.combine(Arbitraries.integers().between(1, 2000), Arbitraries.integers().between(0, 100),
        Arbitraries.integers().between(0, 20), Arbitraries.integers().between(0, 500))
        .as((rtt, ok, drops, peak) -> new int[] {rtt, ok, drops, peak})
        .list().ofMinSize(1).ofMaxSize(200);
  }

  @Property(tries = 300)
  void theLimitStaysWithinItsBoundsExceptWhileProbing(@ForAll("algorithms") LimitAlgorithm algorithm,
      @ForAll("windows") List<int[]> windows, @ForAll long seed) {
    LimitAlgorithm.Controller c = algorithm.newController(new SplittableRandom(seed));
    int limit = algorithm.initialLimit();
    long t = 0;
    for (int[] w : windows) {
      WindowSample.Builder b = WindowSample.builder(t, t + 100 * MS).drops(w[2]).maxInflight(w[3]);
      if (w[1] > 0) {
        b.addRtt(w[0] * MS, w[1]);
      }
      t += 100 * MS;
      int next = c.update(b.build(), limit);
      boolean probing = c.sampleCallsStartedFromNanos() != Long.MIN_VALUE;
      assertThat(next).isLessThanOrEqualTo(algorithm.maxLimit());
      if (probing) {
        assertThat(next).isGreaterThanOrEqualTo(1).isLessThanOrEqualTo(Math.max(limit, algorithm.minLimit()));
      } else {
        assertThat(next).isGreaterThanOrEqualTo(algorithm.minLimit());
      }
      limit = next;
    }
  }

  @Property(tries = 200)
  void dropsNeverRaiseTheLimit(@ForAll("algorithms") LimitAlgorithm algorithm,
      @ForAll("windows") List<int[]> windows, @ForAll long seed) {
    LimitAlgorithm.Controller c = algorithm.newController(new SplittableRandom(seed));
    int limit = algorithm.initialLimit();
    long t = 0;
    for (int[] w : windows) {
      int drops = Math.max(1, w[2]);
      WindowSample.Builder b = WindowSample.builder(t, t + 100 * MS).drops(drops).maxInflight(w[3]);
      if (w[1] > 0) {
        b.addRtt(w[0] * MS, w[1]);
      }
      t += 100 * MS;
      boolean wasProbing = c.sampleCallsStartedFromNanos() != Long.MIN_VALUE;
      int next = c.update(b.build(), limit);
      if (!wasProbing) { // a probe's end restores the limit from before the probe, backed off
        assertThat(next).isLessThanOrEqualTo(Math.max(limit, algorithm.minLimit()));
      }
      limit = next;
    }
  }
}
