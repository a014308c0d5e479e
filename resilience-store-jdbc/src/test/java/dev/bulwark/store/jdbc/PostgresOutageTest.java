package dev.bulwark.store.jdbc;

import dev.bulwark.idempotency.conformance.ExactlyOnceWorker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.idempotency.ClaimResult;
import dev.bulwark.idempotency.IdempotencyRecord;
import dev.bulwark.idempotency.IdempotencyStoreException;
import dev.bulwark.idempotency.WriteResult;
import dev.bulwark.store.jdbc.testing.PostgresExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PostgreSQL goes down in the middle of a run and comes back on the same port and data directory: claims
 * fail closed with a clear error while it is down, no record is lost or duplicated, and the store (through
 * its HikariCP pool) recovers by itself.
 */
class PostgresOutageTest {

  @RegisterExtension static final PostgresExtension PG = PostgresExtension.perClass();

  private HikariDataSource pool;
  private JdbcIdempotencyStore store;
  private String table;

  @BeforeEach
  void connect() throws Exception {
    PG.server().start();
    HikariConfig config = new HikariConfig();
    config.setDataSource(PG.dataSource());
    config.setMaximumPoolSize(8);
    config.setMinimumIdle(0);
    config.setConnectionTimeout(500); // an outage must fail claims fast, not queue them
    config.setValidationTimeout(250);
    pool = new HikariDataSource(config);
    table = JdbcTestSupport.uniqueTable("outage");
    store = JdbcIdempotencyStore.builder(pool).tableName(table).queryTimeout(Duration.ofSeconds(2)).build();
    store.createTableIfMissing();
  }

  @AfterEach
  void close() {
    pool.close();
  }

  @Test
  void whileTheServerIsDownClaimsFailClosedAndNothingSurvivesButTheTruth() throws Exception {
    String fingerprint = ExactlyOnceWorker.sha256("request");
    String completed = ExactlyOnceWorker.keyHash("outage", 1);
    String owner = ExactlyOnceWorker.randomHex(32);
    long fencing = store.claim(completed, fingerprint, owner, Duration.ofSeconds(30), Duration.ofHours(1))
        .fencingToken();
    assertThat(store.complete(completed, owner, fencing, bytes("done"), Duration.ofHours(1)))
        .isEqualTo(WriteResult.APPLIED);
    String inFlight = ExactlyOnceWorker.keyHash("outage", 2);
    String flyer = ExactlyOnceWorker.randomHex(32);
    long flyerFencing = store.claim(inFlight, fingerprint, flyer, Duration.ofSeconds(30), Duration.ofHours(1))
        .fencingToken();

    PG.server().crash();

    String fresh = ExactlyOnceWorker.keyHash("outage", 3);
    assertThatThrownBy(() -> store.claim(fresh, fingerprint, ExactlyOnceWorker.randomHex(32),
        Duration.ofSeconds(30), Duration.ofHours(1)))
        .as("a claim while the database is down fails closed")
        .isInstanceOf(IdempotencyStoreException.class)
        .hasMessageContaining("JDBC idempotency store (table " + table + "): claim failed")
        .hasMessageContaining("SQLState 08");
    assertThatThrownBy(() -> store.complete(inFlight, flyer, flyerFencing, bytes("late"), Duration.ofHours(1)))
        .isInstanceOf(IdempotencyStoreException.class)
        .hasMessageContaining("complete failed");

    PG.server().start();

    await().atMost(Duration.ofSeconds(30)).ignoreExceptionsInstanceOf(IdempotencyStoreException.class)
        .until(() -> store.read(completed).isPresent());
    IdempotencyRecord survivor = store.read(completed).orElseThrow();
    assertThat(survivor.state()).isEqualTo(IdempotencyRecord.State.COMPLETED);
    assertThat(survivor.result()).isEqualTo(bytes("done"));
    assertThat(store.claim(inFlight, fingerprint, ExactlyOnceWorker.randomHex(32), Duration.ofSeconds(30),
        Duration.ofHours(1)).status())
        .as("the claim made before the outage still holds its lease")
        .isEqualTo(ClaimResult.Status.IN_PROGRESS);
    assertThat(store.complete(inFlight, flyer, flyerFencing, bytes("late"), Duration.ofHours(1)))
        .as("its owner completes it once the database is back")
        .isEqualTo(WriteResult.APPLIED);
    assertThat(store.claim(fresh, fingerprint, ExactlyOnceWorker.randomHex(32), Duration.ofSeconds(30),
        Duration.ofHours(1)).status())
        .as("the key whose claim failed was never recorded")
        .isEqualTo(ClaimResult.Status.CLAIMED);
  }

  @Test
  void aCrashInTheMiddleOfAConcurrentRunLosesAndDuplicatesNothing() throws Exception {
    int keys = 400;
    int threads = 4;
    String run = "run-" + System.nanoTime();
    String fingerprint = ExactlyOnceWorker.sha256(run);
    ConcurrentHashMap<String, AtomicInteger> executions = new ConcurrentHashMap<>();
    ExactlyOnceWorker worker = new ExactlyOnceWorker(store, "worker");
    AtomicInteger done = new AtomicInteger();
    // The crash must land while work remains: without this hold the workers could finish all the keys while
    // the crash command is still starting (it once did, and the run saw no store failure at all).
    CountDownLatch crashed = new CountDownLatch(1);

    ExecutorService executor = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int first = t;
        futures.add(executor.submit(() -> {
          for (int i = first; i < keys; i += threads) {
            if (done.get() >= keys / 2) {
              crashed.await(); // the second half of the keys runs into (and out of) the outage
            }
            worker.process(ExactlyOnceWorker.keyHash(run, i), fingerprint,
                key -> executions.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet());
            done.incrementAndGet();
          }
          return null;
        }));
      }

      await().atMost(Duration.ofSeconds(60)).until(() -> done.get() >= keys / 4);
      PG.server().crash();
      crashed.countDown();
      int doneAtCrash = done.get();
      await().atMost(Duration.ofSeconds(30)).until(() -> worker.storeFailures.sum() >= 20);
      assertThat(done.get() - doneAtCrash).as("keys finished while the database was down").isLessThanOrEqualTo(threads);
      PG.server().start();

      for (Future<?> f : futures) {
        f.get(2, TimeUnit.MINUTES);
      }
    } finally {
      executor.shutdownNow();
    }

    assertThat(worker.lastFailure).isNotNull();
    assertThat(worker.lastFailure.getMessage()).contains("JDBC idempotency store (table " + table + ")");
    assertThat(executions).as("keys executed").hasSize(keys);
    assertThat(executions.values()).as("executions per key").allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    for (int i = 0; i < keys; i++) {
      IdempotencyRecord record = store.read(ExactlyOnceWorker.keyHash(run, i)).orElseThrow();
      assertThat(record.state()).isEqualTo(IdempotencyRecord.State.COMPLETED);
      assertThat(record.result()).isEqualTo(worker.resultOf());
    }
    assertThat(JdbcTestSupport.rows(pool, table)).as("one record per key, no more").isEqualTo(keys);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
