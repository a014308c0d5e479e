package dev.bulwark.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TourTest {

  private static String run() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new Tour(new PrintStream(bytes, true, StandardCharsets.UTF_8)).circuitBreakerChapter();
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void theBreakerOpensDuringTheOutageRejectsAndClosesAfterRecovery() {
    String timeline = run();
    assertThat(timeline)
        .contains("-- dependency now outage")
        .contains("** CLOSED -> OPEN")
        .contains("rejected at once: circuit breaker 'inventory' is OPEN; a call may be admitted in")
        .contains("** HALF_OPEN -> OPEN")
        .contains("** HALF_OPEN -> CLOSED");
    assertThat(timeline.indexOf("** HALF_OPEN -> CLOSED"))
        .isGreaterThan(timeline.indexOf("-- dependency now recovered"));
  }

  @Test
  void theTimelineIsTheSameOnEveryRun() {
    assertThat(run()).isEqualTo(run());
  }
}
