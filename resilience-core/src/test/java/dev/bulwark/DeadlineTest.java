package dev.bulwark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.testing.ManualClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeadlineTest {
  private final ManualClock clock = new ManualClock();

  @Test
  void countsDownOnItsClock() {
    Deadline deadline = Deadline.after(Duration.ofSeconds(2), clock);
    assertThat(deadline.remainingNanos()).isEqualTo(2_000_000_000L);
    clock.advance(Duration.ofMillis(1500));
    assertThat(deadline.remainingNanos()).isEqualTo(500_000_000L);
    assertThat(deadline.isExpired()).isFalse();
    clock.advance(Duration.ofMillis(500));
    assertThat(deadline.isExpired()).isTrue();
    assertThat(deadline.clock()).isSameAs(clock);
  }

  @Test
  void isInstalledForTheCallAndRestoredAfterwards() throws Exception {
    assertThat(Deadline.current()).isNull();
    assertThat(Deadline.currentRemainingNanos()).isEqualTo(Long.MAX_VALUE);
    Deadline deadline = Deadline.after(Duration.ofSeconds(1), clock);

    long seen = deadline.call(Deadline::currentRemainingNanos);

    assertThat(seen).isEqualTo(1_000_000_000L);
    assertThat(Deadline.current()).isNull();
  }

  @Test
  void aNestedDeadlineNeverExtendsTheOuterOne() throws Exception {
    Deadline outer = Deadline.after(Duration.ofSeconds(1), clock);
    Deadline laterInner = Deadline.after(Duration.ofSeconds(5), clock);
    Deadline earlierInner = Deadline.after(Duration.ofMillis(100), clock);

    outer.call(() -> {
      assertThat(laterInner.call(Deadline::current)).isSameAs(outer);
      assertThat(earlierInner.call(Deadline::current)).isSameAs(earlierInner);
      assertThat(Deadline.current()).isSameAs(outer);
      return null;
    });
  }

  @Test
  void isRestoredWhenTheCallThrows() {
    Deadline deadline = Deadline.after(Duration.ofSeconds(1), clock);
    assertThatThrownBy(() -> deadline.call(() -> {
      throw new IllegalStateException("x");
    })).hasMessage("x");
    assertThat(Deadline.current()).isNull();
  }

  @Test
  void hugeTimeoutsSaturateInsteadOfOverflowing() {
    Deadline forever = Deadline.after(Duration.ofSeconds(Long.MAX_VALUE), clock);
    assertThat(forever.remainingNanos()).isEqualTo(Long.MAX_VALUE);
    assertThat(forever.toString()).isEqualTo("Deadline[never]");
  }

  @Test
  void badInputIsRefused() {
    assertThatThrownBy(() -> Deadline.after(Duration.ZERO, clock))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("timeout must be > 0, was PT0S");
    assertThatThrownBy(() -> Deadline.after(Duration.ofSeconds(1), null))
        .isInstanceOf(NullPointerException.class).hasMessage("clock");
  }
}
