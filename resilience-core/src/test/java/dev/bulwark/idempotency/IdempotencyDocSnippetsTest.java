package dev.bulwark.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.Pipeline;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Every snippet of {@code docs/idempotency.md}, compiled and run. Keep the two in step. */
class IdempotencyDocSnippetsTest {

  /** A payment gateway that counts its charges. */
  static final class Gateway {
    final AtomicInteger charges = new AtomicInteger();

    String charge(long cents) throws CardDeclinedException {
      if (cents <= 0) {
        throw new CardDeclinedException("amount must be positive");
      }
      return "receipt-" + charges.incrementAndGet() + " for " + cents;
    }

    CompletionStage<String> chargeAsync(long cents) {
      return CompletableFuture.completedFuture("receipt-" + charges.incrementAndGet() + " for " + cents);
    }
  }

  /** A definite business failure. */
  static final class CardDeclinedException extends Exception {
    private static final long serialVersionUID = 1L;

    CardDeclinedException(String message) {
      super(message);
    }
  }

  private final Gateway gateway = new Gateway();

  @Test
  void quickStart() throws Exception {
    // --- snippet: quick start
    Idempotency payments = Idempotency.builder("payments")
        .config(IdempotencyConfig.builder()
            .ttl(Duration.ofHours(24))
            .failureClassifier(FailureClassifier.builder()
                .classify(FailureKind.RETRYABLE, ConnectException.class)      // nothing was sent
                .classify(FailureKind.TERMINAL, CardDeclinedException.class)  // a definite answer
                .build())                                                     // anything else: UNKNOWN
            .build())
        .build();                                    // a new in-memory store: right for one instance

    String key = "3f2c9a7e-order-1042";              // from the client's Idempotency-Key header
    String fingerprint = "POST /charges amount=1999"; // identifies the request's content
    String first = payments.execute(key, fingerprint, () -> gateway.charge(1999));
    String again = payments.execute(key, fingerprint, () -> gateway.charge(1999));
    // first.equals(again), and the gateway charged once
    // --- end
    assertThat(again).isEqualTo(first);
    assertThat(gateway.charges).hasValue(1);

    // --- snippet: replays and rejections
    IdempotentResult<String> result = payments.executeForResult(key, fingerprint, () -> gateway.charge(1999));
    if (result.isReplay()) {
      System.out.println("Idempotent-Replayed: true");   // an HTTP layer sets this header
    }
    try {
      payments.execute(key, "POST /charges amount=5", () -> gateway.charge(5));
    } catch (IdempotencyKeyReuseException e) {
      System.out.println("422: " + e.getMessage());       // same key, another request
    }
    // --- end
    assertThat(result.isReplay()).isTrue();
    assertThat(gateway.charges).hasValue(1);
  }

  @Test
  void terminalFailuresAreReplayed() throws Exception {
    Idempotency payments = Idempotency.of("payments", IdempotencyConfig.builder()
        .failureClassifier(FailureClassifier.builder()
            .classify(FailureKind.TERMINAL, CardDeclinedException.class).build())
        .build());

    // --- snippet: terminal failure
    try {
      payments.execute("k-1", "fp", () -> gateway.charge(0));
    } catch (CardDeclinedException e) {
      // the first execution: the gateway's own exception
    }
    try {
      payments.execute("k-1", "fp", () -> gateway.charge(0));
    } catch (IdempotencyReplayedFailureException e) {
      // a repeat: e.originalType() is CardDeclinedException's class name, e.originalMessage() its message
    }
    // --- end
    assertThatThrownBy(() -> payments.execute("k-1", "fp", () -> gateway.charge(0)))
        .isInstanceOf(IdempotencyReplayedFailureException.class);
  }

  @Test
  void waitingAndAsync() throws Exception {
    // --- snippet: wait for completion
    Idempotency orders = Idempotency.of("orders", IdempotencyConfig.builder()
        .lease(Duration.ofSeconds(10))
        .waitForCompletion(Duration.ofSeconds(2))   // a repeat waits up to 2 s for the first to finish
        .pollInterval(Duration.ofMillis(25))
        .build());

    CompletionStage<String> receipt = orders.executeAsync("k-2", "fp", () -> gateway.chargeAsync(500));
    // --- end
    assertThat(receipt.toCompletableFuture().get(10, TimeUnit.SECONDS)).isEqualTo("receipt-1 for 500");
  }

  @Test
  void pipeline() throws Exception {
    Idempotency idempotency = Idempotency.ofDefaults("payments");
    // --- snippet: pipeline
    Pipeline pipeline = Pipeline.of(idempotency /*, retry, breaker, bulkhead, timeout */);
    String receipt = IdempotencyKey.of("k-3", "POST /charges amount=700")
        .call(() -> pipeline.call(() -> gateway.charge(700)));
    // --- end
    assertThat(receipt).isEqualTo("receipt-1 for 700");
  }

  @Test
  void codec() throws Exception {
    // --- snippet: codec
    record Receipt(String id, long cents) {}

    final class ReceiptCodec implements ResultCodec {
      @Override
      public String id() {
        return "receipt";
      }

      @Override
      public int version() {
        return 2;                                         // v1 stored only the id
      }

      @Override
      public byte[] encode(Object value) {
        Receipt r = (Receipt) value;
        return (r.id() + ":" + r.cents()).getBytes(StandardCharsets.UTF_8);
      }

      @Override
      public Object decode(byte[] payload, int version) {
        String text = new String(payload, StandardCharsets.UTF_8);
        if (version == 1) {
          return new Receipt(text, -1);
        }
        int colon = text.lastIndexOf(':');
        return new Receipt(text.substring(0, colon), Long.parseLong(text.substring(colon + 1)));
      }
    }

    Idempotency payments = Idempotency.of("payments",
        IdempotencyConfig.builder().codec(new ReceiptCodec()).build());
    Receipt receipt = payments.execute("k-4", "fp", () -> new Receipt("r-77", 1999));
    Receipt replay = payments.execute("k-4", "fp", () -> new Receipt("never", 0));
    // --- end
    assertThat(replay).isEqualTo(receipt);
  }

  @Test
  void operations() throws Exception {
    // --- snippet: operations
    InMemoryIdempotencyStore store = InMemoryIdempotencyStore.builder()
        .maxEntries(50_000)
        .maxResultBytes(16 * 1024)
        .build();
    Idempotency payments = Idempotency.builder("payments").store(store).build();

    ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor();
    housekeeping.scheduleAtFixedRate(() -> store.purgeExpired(10_000), 1, 1, TimeUnit.MINUTES);

    payments.inspect("k-5").ifPresent(record -> System.out.println(record.state()));
    boolean removed = payments.forget("k-5");   // after checking that an UNKNOWN outcome had no effect
    // --- end
    housekeeping.shutdownNow();
    assertThat(removed).isFalse();
  }
}
