package dev.bulwark.store.redis;

import dev.bulwark.idempotency.conformance.ExactlyOnceWorker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.bulwark.idempotency.ClaimResult;
import dev.bulwark.idempotency.IdempotencyRecord;
import dev.bulwark.idempotency.IdempotencyStoreException;
import dev.bulwark.idempotency.WriteResult;
import dev.bulwark.store.redis.testing.RedisExtension;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
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
 * Redis is killed in the middle of a run and comes back on the same port and append-only file: claims fail
 * closed with a clear error while it is down, no record is lost or duplicated, and the store recovers with
 * Lettuce's reconnect (and reloads its scripts, which a restarted server has forgotten).
 */
class RedisOutageTest {

  @RegisterExtension static final RedisExtension REDIS = RedisExtension.perClass();

  private RedisClient client;
  private StatefulRedisConnection<byte[], byte[]> connection;
  private RedisIdempotencyStore store;

  @BeforeEach
  void connect() throws Exception {
    REDIS.server().start();
    client = RedisTestSupport.client(REDIS.server().uri());
    connection = RedisTestSupport.connect(client);
    store = RedisIdempotencyStore.builder(connection).keyPrefix("outage:" + System.nanoTime() + ":")
        .commandTimeout(Duration.ofSeconds(1)).build();
  }

  @AfterEach
  void close() {
    connection.close();
    client.shutdown();
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

    REDIS.server().crash();

    String fresh = ExactlyOnceWorker.keyHash("outage", 3);
    assertThatThrownBy(() -> store.claim(fresh, fingerprint, ExactlyOnceWorker.randomHex(32),
        Duration.ofSeconds(30), Duration.ofHours(1)))
        .as("a claim while Redis is down fails closed")
        .isInstanceOf(IdempotencyStoreException.class)
        .hasMessageStartingWith("Redis idempotency store: claim failed");
    assertThatThrownBy(() -> store.complete(inFlight, flyer, flyerFencing, bytes("late"), Duration.ofHours(1)))
        .isInstanceOf(IdempotencyStoreException.class)
        .hasMessageStartingWith("Redis idempotency store: complete failed");

    REDIS.server().start();

    await().atMost(Duration.ofSeconds(60)).ignoreExceptionsInstanceOf(IdempotencyStoreException.class)
        .until(() -> store.read(completed).isPresent());
    IdempotencyRecord survivor = store.read(completed).orElseThrow();
    assertThat(survivor.state()).isEqualTo(IdempotencyRecord.State.COMPLETED);
    assertThat(survivor.result()).isEqualTo(bytes("done"));
    assertThat(store.claim(inFlight, fingerprint, ExactlyOnceWorker.randomHex(32), Duration.ofSeconds(30),
        Duration.ofHours(1)).status())
        .as("the claim made before the crash still holds its lease")
        .isEqualTo(ClaimResult.Status.IN_PROGRESS);
    assertThat(store.complete(inFlight, flyer, flyerFencing, bytes("late"), Duration.ofHours(1)))
        .as("its owner completes it once Redis is back")
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
      REDIS.server().crash();
      crashed.countDown();
      await().atMost(Duration.ofSeconds(30)).until(() -> worker.storeFailures.sum() >= 20);
      REDIS.server().start();

      for (Future<?> f : futures) {
        f.get(2, TimeUnit.MINUTES);
      }
    } finally {
      executor.shutdownNow();
    }

    assertThat(worker.lastFailure).isNotNull();
    assertThat(worker.lastFailure.getMessage()).startsWith("Redis idempotency store:");
    assertThat(executions).as("keys executed").hasSize(keys);
    assertThat(executions.values()).as("executions per key").allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
    for (int i = 0; i < keys; i++) {
      IdempotencyRecord record = store.read(ExactlyOnceWorker.keyHash(run, i)).orElseThrow();
      assertThat(record.state()).isEqualTo(IdempotencyRecord.State.COMPLETED);
      assertThat(record.result()).isEqualTo(worker.resultOf());
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
