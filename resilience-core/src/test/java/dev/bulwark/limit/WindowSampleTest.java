package dev.bulwark.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class WindowSampleTest {

  @Property(tries = 1000)
  void everyValueFallsInABucketWithinASixteenthOfIt(@ForAll @LongRange(min = 0, max = 1L << 44) long nanos) {
    int index = LatencyHistogram.index(nanos);
    long lower = LatencyHistogram.lowerBound(index);
    long width = LatencyHistogram.width(index);
    assertThat(nanos).isBetween(lower, lower + width - 1);
    assertThat((double) width).isLessThanOrEqualTo(Math.max(1, lower / 16.0));
    assertThat(Math.abs(LatencyHistogram.midpoint(index) - nanos)).isLessThanOrEqualTo(Math.max(1, nanos / 31));
  }

  @Test
  void bucketIndicesAreMonotoneAndBounded() {
    int previous = -1;
    for (long v = 0; v < 5000; v++) {
      int i = LatencyHistogram.index(v);
      assertThat(i).isGreaterThanOrEqualTo(previous);
      previous = i;
    }
    assertThat(LatencyHistogram.index(-5)).isZero();
    assertThat(LatencyHistogram.index(Long.MAX_VALUE)).isEqualTo(LatencyHistogram.BUCKETS - 1);
    assertThat(LatencyHistogram.index(1L << 44)).isLessThan(LatencyHistogram.BUCKETS);
  }

  @Property(tries = 300)
  void percentilesAreWithinOneBucketWidthOfTheExactOnes(
      @ForAll @Size(min = 1, max = 300) long[] values, @ForAll @DoubleRange(min = 0.01, max = 1.0) double q) {
    WindowSample.Builder b = WindowSample.builder(0, 1);
    long[] rtts = Arrays.stream(values).map(v -> 1_000 + Math.floorMod(v, 10_000_000_000L)).sorted().toArray();
    for (long rtt : rtts) {
      b.addRtt(rtt);
    }
    long exact = rtts[(int) Math.max(0, Math.ceil(q * rtts.length) - 1)];
    long estimate = b.build().rttNanos(q);
    // 16 buckets per octave: a bucket spans 2^(1/16) - 1 = 4.43 % of its lower bound, and the interpolated
    // estimate lies in the exact value's bucket (a 4 % bound failed on exact = 1034, error 43 = 4.16 %)
    double bucketWidth = Math.pow(2, 1.0 / 16) - 1;
    assertThat((double) Math.abs(estimate - exact)).isLessThanOrEqualTo(exact * bucketWidth + 1);
  }

  @Test
  void aSampleReportsItsCountsAndRates() {
    WindowSample s = WindowSample.builder(10, 110).addRtt(20, 3).addRtt(40).drops(1).rejected(2).maxInflight(7)
        .build();
    assertThat(s.startNanos()).isEqualTo(10);
    assertThat(s.endNanos()).isEqualTo(110);
    assertThat(s.durationNanos()).isEqualTo(100);
    assertThat(s.successes()).isEqualTo(4);
    assertThat(s.drops()).isEqualTo(1);
    assertThat(s.dropRate()).isEqualTo(0.2);
    assertThat(s.rejected()).isEqualTo(2);
    assertThat(s.maxInflight()).isEqualTo(7);
    assertThat(s.minRttNanos()).isEqualTo(20);
    assertThat(s.rttNanos(0.5)).isBetween(19L, 21L);
    assertThat(s.rttNanos(1.0)).isBetween(38L, 42L);
    assertThat(s.meanRttNanos()).isBetween(23L, 27L);
    assertThat(s.limitUsed(100)).isTrue(); // rejections
    assertThat(WindowSample.builder(0, 0).maxInflight(5).build().limitUsed(10)).isTrue();
    assertThat(WindowSample.builder(0, 0).maxInflight(4).build().limitUsed(10)).isFalse();
    assertThat(s.toString()).contains("successes=4", "drops=1", "p50=");
  }

  @Test
  void anEmptySampleHasNoRoundTrip() {
    WindowSample empty = WindowSample.builder(0, 0).build();
    assertThat(empty.rttNanos(0.5)).isEqualTo(-1);
    assertThat(empty.minRttNanos()).isEqualTo(-1);
    assertThat(empty.meanRttNanos()).isEqualTo(-1);
    assertThat(empty.dropRate()).isZero();
    assertThat(empty.toString()).doesNotContain("p50");
  }

  @Test
  void badInputIsRefusedNamingTheOptionTheRuleAndTheValue() {
    assertThatThrownBy(() -> WindowSample.builder(0, 0).build().rttNanos(0))
        .hasMessage("quantile must be in (0, 1], was 0.0");
    assertThatThrownBy(() -> WindowSample.builder(5, 4))
        .hasMessage("endNanos must be >= startNanos (5), was 4");
    assertThatThrownBy(() -> WindowSample.builder(0, 1).addRtt(-1)).hasMessage("nanos must be >= 0, was -1");
    assertThatThrownBy(() -> WindowSample.builder(0, 1).addRtt(1, -1)).hasMessage("count must be >= 0, was -1");
    assertThatThrownBy(() -> WindowSample.builder(0, 1).drops(-2)).hasMessage("drops must be >= 0, was -2");
    assertThatThrownBy(() -> WindowSample.builder(0, 1).rejected(-3)).hasMessage("rejected must be >= 0, was -3");
    assertThatThrownBy(() -> WindowSample.builder(0, 1).maxInflight(-4))
        .hasMessage("maxInflight must be >= 0, was -4");
  }
}
