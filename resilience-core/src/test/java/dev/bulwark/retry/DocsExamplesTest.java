package dev.bulwark.retry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.CallNotPermittedException;
import dev.bulwark.Clock;
import dev.bulwark.Deadline;
import dev.bulwark.Pipeline;
import dev.bulwark.fallback.Fallback;
import dev.bulwark.timeout.Timeout;
import dev.bulwark.timeout.TimeoutExceededException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The examples of docs/retry.md and docs/timeout-and-fallback.md, compiled and run, so they cannot rot. */
class DocsExamplesTest {

  record Stock(int units) {}

  record Quote(String how) {
    static Quote cached(String cart) {
      return new Quote("cached " + cart);
    }

    static Quote estimate(String cart) {
      return new Quote("estimate " + cart);
    }
  }

  static final class TooManyRequestsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Duration retryAfter() {
      return Duration.ofMillis(1);
    }
  }

  static Stock stock(String sku) throws IOException {
    return new Stock(3);
  }

  static CompletionStage<Stock> stockAsync(String sku) {
    return CompletableFuture.completedFuture(new Stock(3));
  }

  @Test
  void retryPage() throws Exception {
    String sku = "sku-1";
    Retry retry = Retry.of("inventory", RetryConfig.builder()
        .maxAttempts(4)
        .backoff(Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofSeconds(2)).withJitter(Jitter.FULL))
        .retryOn(IOException.class)
        .build());
    Supplier<Stock> stock = retry.decorate(() -> {
      try {
        return stock(sku);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    Stock s = stock.get();
    CompletionStage<Stock> later = retry.callAsync(() -> stockAsync(sku));
    assertThat(s).isEqualTo(later.toCompletableFuture().join());

    Backoff linear = Backoff.of((n, previous) -> Duration.ofMillis(200L * n));
    Backoff gentle = Backoff.exponential(Duration.ofMillis(50), 1.5, Duration.ofSeconds(5)).withJitter(Jitter.EQUAL);
    assertThat(linear.delayNanos(2, 0, new SplittableRandom(1))).isEqualTo(400_000_000L);
    assertThat(gentle).isNotNull();

    RetryConfig config = RetryConfig.builder()
        .retryOn(TooManyRequestsException.class)
        .hintFromFailure(e -> e instanceof TooManyRequestsException t ? t.retryAfter() : null)
        .maxRetryAfter(Duration.ofSeconds(5))
        .build();

    Deadline deadline = Deadline.after(Duration.ofSeconds(2), Clock.system());
    Pipeline pipeline = Pipeline.of(Retry.of("orders", config));
    String order = deadline.call(() -> pipeline.call(() -> "placed"));
    assertThat(order).isEqualTo("placed");

    RetryBudget searchBackend = RetryBudget.ratio(0.1);
    Retry search = Retry.builder("search").budget(searchBackend).build();
    Retry suggest = Retry.builder("suggest").budget(searchBackend).build();
    assertThat(search.budget()).isSameAs(suggest.budget());

    Retry withListener = Retry.builder("inventory")
        .config(config)
        .random(new SplittableRandom(42))
        .listener(RetryEvent.Failed.class, e -> System.out.printf("%s gave up after %d attempts: %s%n",
            e.name(), e.attempts(), e.reason()))
        .build();
    assertThat(withListener.name()).isEqualTo("inventory");
  }

  @Test
  void timeoutAndFallbackPage() throws Exception {
    String sku = "sku-1";
    String cart = "cart-1";
    Timeout timeout = Timeout.of("inventory", Duration.ofMillis(300));
    Stock stock = timeout.call(() -> stock(sku));
    CompletionStage<Stock> later = timeout.callAsync(() -> stockAsync(sku));
    assertThat(stock).isEqualTo(later.toCompletableFuture().join());

    List<String> topSellers = List.of("a", "b");
    Fallback<List<String>> recommendations = Fallback.of("recommendations", failure -> topSellers);
    Retry retry = Retry.ofDefaults("recommendations");
    List<String> products = Pipeline.of(recommendations, retry).get(() -> {
      throw new CallNotPermittedException(dev.bulwark.PolicyKind.CIRCUIT_BREAKER, "cb", 60_000_000_000L);
    });
    assertThat(products).isEqualTo(topSellers);

    Fallback<Quote> pricing = Fallback.<Quote>builder("pricing", failure ->
            failure instanceof CallNotPermittedException ? Quote.cached(cart) : Quote.estimate(cart))
        .handle(IOException.class, TimeoutExceededException.class)
        .handleRejections(true)
        .build();
    Quote quote = pricing.get(() -> {
      throw new TimeoutExceededException("pricing", 1, 1, false);
    });
    assertThat(quote).isEqualTo(Quote.estimate(cart));
  }
}
