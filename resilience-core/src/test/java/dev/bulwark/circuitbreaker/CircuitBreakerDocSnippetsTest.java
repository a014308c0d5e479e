package dev.bulwark.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.OutcomeClassifier;
import dev.bulwark.Permit;
import dev.bulwark.Registry;
import dev.bulwark.testing.ManualClock;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The snippets of {@code docs/circuit-breaker.md}, compiled and run, so the page cannot drift from the API. */
class CircuitBreakerDocSnippetsTest {

  /** Stand-ins for the dependencies the snippets call. */
  static final class Inventory {
    String stock(String sku) {
      return "12";
    }

    CompletionStage<String> stockAsync(String sku) {
      return CompletableFuture.completedFuture("12");
    }
  }

  private final Inventory inventory = new Inventory();

  @Test
  void quickStart() {
    CircuitBreaker breaker = CircuitBreaker.ofDefaults("inventory");

    Supplier<String> stock = breaker.decorate(() -> inventory.stock("sku-1"));   // decorate once
    try {
      String s = stock.get();                                                     // call many times
      assertThat(s).isEqualTo("12");
    } catch (CircuitBreakerOpenException e) {
      // rejected without calling: e.state(), e.retryAfter() tell why and for how long
    }

    CompletionStage<String> later = breaker.callAsync(() -> inventory.stockAsync("sku-1"));
    assertThat(later.toCompletableFuture().join()).isEqualTo("12");
  }

  private int permitLayer(CircuitBreaker breaker, java.util.function.IntSupplier backend) {
    Permit permit = breaker.tryAcquirePermit();          // null when rejected: no exception allocated
    if (permit == null) {
      return 503;
    }
    long start = System.nanoTime();
    try {
      int status = backend.getAsInt();
      permit.onResult(System.nanoTime() - start, status); // the classifier decides success or failure
      return status;
    } catch (RuntimeException e) {
      permit.onFailure(System.nanoTime() - start, e);
      throw e;
    }
  }

  @Test
  void permitLayer() {
    CircuitBreaker breaker = CircuitBreaker.ofDefaults("backend");
    assertThat(permitLayer(breaker, () -> 200)).isEqualTo(200);
    breaker.transitionToForcedOpen();
    assertThat(permitLayer(breaker, () -> 200)).isEqualTo(503);
  }

  @Test
  void configuration() {
    CircuitBreakerConfig config = CircuitBreakerConfig.builder()
        .failureRateThreshold(25)
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.TIME_BASED)
        .slidingWindowSize(30)                                  // seconds
        .minimumNumberOfCalls(40)
        .classifier(OutcomeClassifier.builder()
            .recordExceptions(IOException.class, TimeoutException.class)
            .ignoreExceptions(FileNotFoundException.class)
            .slowCallDuration(Duration.ofMillis(800))
            .build())
        .slowCallRateThreshold(50)
        .permittedCallsInHalfOpen(5)
        .openDuration(Duration.ofSeconds(10))
        .openDurationMultiplier(2)
        .maxOpenDuration(Duration.ofMinutes(2))
        .openDurationJitter(0.2)
        .maxHalfOpenDuration(Duration.ofSeconds(30))
        .build();
    CircuitBreaker breaker = CircuitBreaker.of("search", config);
    assertThat(breaker.config()).isEqualTo(config);

    CircuitBreakerConfig lowTraffic = CircuitBreakerConfig.builder()
        .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.CONSECUTIVE_FAILURES)
        .consecutiveFailureThreshold(3)
        .permittedCallsInHalfOpen(1)
        .build();
    assertThat(lowTraffic.consecutiveFailureThreshold()).isEqualTo(3);
  }

  @Test
  void rejections() throws Exception {
    CircuitBreaker breaker = CircuitBreaker.ofDefaults("payments");
    breaker.transitionToOpen();
    try {
      breaker.call(() -> "charged");
    } catch (CircuitBreakerOpenException e) {
      assertThat(e.policyName()).isEqualTo("payments");
      assertThat(e.state()).isEqualTo(CircuitBreaker.State.OPEN);
      assertThat(e.retryAfter()).isPresent();
      assertThat(e.getMessage()).startsWith("circuit breaker 'payments' is OPEN; a call may be admitted in");
    }
  }

  @Test
  void eventsMetricsAndRegistries() {
    CircuitBreakerConfig config = CircuitBreakerConfig.defaults();
    LongAdder rejected = new LongAdder();
    CircuitBreaker breaker = CircuitBreaker.builder("payments")
        .config(config)
        .listener(CircuitBreakerEvent.StateTransition.class,
            e -> System.out.println(e.name() + ": " + e.from() + " -> " + e.to()))
        .listener(CircuitBreakerEvent.Rejected.class, e -> rejected.increment())
        .build();
    breaker.transitionToForcedOpen();
    assertThat(breaker.tryAcquirePermit()).isNull();
    assertThat(rejected.sum()).isEqualTo(1);

    CircuitBreaker.Metrics m = breaker.metrics();   // one live view per breaker
    assertThat(m.state()).isEqualTo(CircuitBreaker.State.FORCED_OPEN);
    assertThat(m.failureRate()).isEqualTo(-1);
    assertThat(m.totalNotPermittedCalls()).isEqualTo(1);

    Registry<CircuitBreaker, CircuitBreakerConfig> breakers = Registry
        .builder(CircuitBreakerConfig.defaults(), CircuitBreaker::of)
        .template("slow-backend", CircuitBreakerConfig.builder().slowCallRateThreshold(50).build())
        .build();
    CircuitBreaker inventoryBreaker = breakers.get("inventory");               // default template
    CircuitBreaker search = breakers.get("search", "slow-backend");
    assertThat(inventoryBreaker.config()).isEqualTo(CircuitBreakerConfig.defaults());
    assertThat(search.config().slowCallRateThreshold()).isEqualTo(50.0);
  }

  @Test
  void testingWithVirtualTime() {
    ManualClock clock = new ManualClock();                       // from the core's test-jar
    CircuitBreaker breaker = CircuitBreaker.builder("test")
        .config(CircuitBreakerConfig.builder().slidingWindowSize(10).openDurationJitter(0).build())
        .clock(clock)
        .random(new SplittableRandom(42))                        // deterministic jitter, if any
        .build();
    Mode.SYNC.calls(breaker, clock, 10, false);                  // ten failing calls
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
    clock.advance(Duration.ofSeconds(30));                       // no sleeping
    assertThat(breaker.tryAcquirePermit()).isNotNull();
    assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);
  }
}
