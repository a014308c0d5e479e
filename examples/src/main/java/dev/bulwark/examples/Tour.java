package dev.bulwark.examples;

import dev.bulwark.CallNotPermittedException;
import dev.bulwark.OutcomeClassifier;
import dev.bulwark.circuitbreaker.CircuitBreaker;
import dev.bulwark.circuitbreaker.CircuitBreakerConfig;
import dev.bulwark.circuitbreaker.CircuitBreakerEvent;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * The runnable tour: a flaky inventory service called four times a second for two minutes through a
 * circuit breaker, in simulated time, printed as a timeline of calls, failures, state changes and
 * rejections. Run it with {@code ./mvnw -q -pl examples -am compile exec:java}.
 */
public final class Tour {
  private static final Duration TICK = Duration.ofMillis(250);
  private static final double END_SECONDS = 120;

  private final PrintStream out;
  private final SimulatedTime time = new SimulatedTime();
  private int ok;
  private int failed;
  private int rejected;

  Tour(PrintStream out) {
    this.out = out;
  }

  /**
   * Runs the tour.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    new Tour(System.out).circuitBreakerChapter();
  }

  void circuitBreakerChapter() {
    FlakyDependency inventory = new FlakyDependency(time, new SplittableRandom(7), List.of(
        new FlakyDependency.Phase(0, "healthy: 1% errors, 40 ms", 0.01, Duration.ofMillis(40)),
        new FlakyDependency.Phase(20, "outage: 80% errors", 0.80, Duration.ofMillis(40)),
        new FlakyDependency.Phase(55, "brown-out: no errors, but 3 s per call", 0.0, Duration.ofSeconds(3)),
        new FlakyDependency.Phase(80, "recovered: 1% errors, 40 ms", 0.01, Duration.ofMillis(40))));

    CircuitBreaker breaker = CircuitBreaker.builder("inventory")
        .config(CircuitBreakerConfig.builder()
            .failureRateThreshold(50)
            .slowCallRateThreshold(50)
            .classifier(OutcomeClassifier.builder().slowCallDuration(Duration.ofSeconds(1)).build())
            .slidingWindowSize(20)
            .minimumNumberOfCalls(10)
            .permittedCallsInHalfOpen(3)
            .openDuration(Duration.ofSeconds(5))
            .openDurationMultiplier(2)
            .maxOpenDuration(Duration.ofSeconds(20))
            .openDurationJitter(0)
            .build())
        .clock(time)
        .listener(CircuitBreakerEvent.StateTransition.class, e -> out.printf(Locale.ROOT,
            "%7.2fs  ** %s -> %s%n", time.seconds(), e.from(), e.to()))
        .build();
    Supplier<String> stock = breaker.decorate(inventory::call);

    out.println("Bulwark tour, chapter 1: a circuit breaker in front of a flaky inventory service");
    out.println("(simulated time: a request every 250 ms for 2 minutes; a line per 5 s and per state change)");
    out.println();
    String phase = "";
    boolean rejectionShown = false;
    double nextSummary = 5;
    for (long tick = 0; tick * TICK.toNanos() / 1e9 < END_SECONDS; tick++) {
      time.advanceTo(tick * TICK.toNanos());
      String description = inventory.phaseNow().description();
      if (!description.equals(phase)) {
        phase = description;
        out.printf(Locale.ROOT, "%7.2fs  -- dependency now %s%n", time.seconds(), phase);
      }
      try {
        stock.get();
        ok++;
        rejectionShown = false;
      } catch (CallNotPermittedException e) {
        rejected++;
        if (!rejectionShown) {
          out.printf(Locale.ROOT, "%7.2fs     rejected at once: %s%n", time.seconds(), e.getMessage());
          rejectionShown = true;
        }
      } catch (RuntimeException e) {
        failed++;
      }
      if (time.seconds() >= nextSummary) {
        summary(breaker);
        nextSummary += 5;
      }
    }
    out.println();
    out.printf(Locale.ROOT, "%d requests: %d answered, %d failed, %d rejected without calling the service;%n",
        ok + failed + rejected, ok, failed, rejected);
    out.printf(Locale.ROOT, "the inventory service saw %d calls instead of %d.%n",
        inventory.served(), ok + failed + rejected);
  }

  private void summary(CircuitBreaker breaker) {
    CircuitBreaker.Metrics m = breaker.metrics();
    out.printf(Locale.ROOT, "%7.2fs     %-9s answered %4d  failed %4d  rejected %4d%n",
        time.seconds(), m.state(), ok, failed, rejected);
  }
}
