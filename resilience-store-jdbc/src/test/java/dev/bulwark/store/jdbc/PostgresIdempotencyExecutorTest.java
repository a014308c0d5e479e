package dev.bulwark.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.idempotency.Idempotency;
import dev.bulwark.idempotency.IdempotencyConfig;
import dev.bulwark.store.jdbc.testing.PostgresExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The core's idempotent executor over the JDBC store on PostgreSQL, end to end, as the docs show it. */
class PostgresIdempotencyExecutorTest {

  @RegisterExtension static final PostgresExtension PG = PostgresExtension.shared();

  @Test
  void concurrentRepeatsOfOneRequestRunTheWorkOnceAndAllGetItsResult() throws Exception {
    try (HikariDataSource pool = JdbcTestSupport.pool(PG.dataSource(), 10)) {
      JdbcIdempotencyStore store = JdbcIdempotencyStore.builder(pool)
          .tableName(JdbcTestSupport.uniqueTable("executor")).build();
      store.createTableIfMissing();
      Idempotency payments = Idempotency.builder("payments")
          .config(IdempotencyConfig.builder()
              .ttl(Duration.ofHours(24))
              .waitForCompletion(Duration.ofSeconds(30))
              .pollInterval(Duration.ofMillis(10))
              .build())
          .store(store)
          .build();
      AtomicInteger charges = new AtomicInteger();
      CountDownLatch go = new CountDownLatch(1);
      ExecutorService threads = Executors.newFixedThreadPool(8);
      try {
        List<Future<String>> receipts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          receipts.add(threads.submit(() -> {
            go.await();
            return payments.execute("order-42", "{\"amount\":1000}",
                () -> "receipt-" + charges.incrementAndGet());
          }));
        }
        go.countDown();
        for (Future<String> receipt : receipts) {
          assertThat(receipt.get(60, TimeUnit.SECONDS)).isEqualTo("receipt-1");
        }
      } finally {
        threads.shutdownNow();
      }
      assertThat(charges).hasValue(1);
      assertThat(payments.<String>execute("order-42", "{\"amount\":1000}", () -> "never")).isEqualTo("receipt-1");
    }
  }
}
