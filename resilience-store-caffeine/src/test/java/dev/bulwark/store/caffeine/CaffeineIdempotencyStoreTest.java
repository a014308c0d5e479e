package dev.bulwark.store.caffeine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.idempotency.ClaimResult;
import dev.bulwark.idempotency.IdempotencyRecord;
import dev.bulwark.idempotency.WriteResult;
import dev.bulwark.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What the Caffeine store adds to the contract: its bound, what it evicts and what it never does. */
class CaffeineIdempotencyStoreTest {

  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final Duration TTL = Duration.ofHours(1);

  private final ManualClock clock = new ManualClock();
  private final String fingerprint = hex(64);

  @Test
  void completedRecordsBeyondTheBoundAreEvictedButInProgressOnesNeverAre() {
    CaffeineIdempotencyStore store = CaffeineIdempotencyStore.builder().clock(clock).maximumCompleted(10).build();
    List<String> inProgress = new ArrayList<>();
    List<String> owners = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String key = hex(64);
      String owner = hex(32);
      assertThat(store.claim(key, fingerprint, owner, LEASE, TTL).status()).isEqualTo(ClaimResult.Status.CLAIMED);
      inProgress.add(key);
      owners.add(owner);
    }
    for (int i = 0; i < 500; i++) {
      String key = hex(64);
      String owner = hex(32);
      long fencing = store.claim(key, fingerprint, owner, LEASE, TTL).fencingToken();
      assertThat(store.complete(key, owner, fencing, new byte[] {1}, TTL)).isEqualTo(WriteResult.APPLIED);
    }
    store.purgeExpired(1);

    assertThat(store.estimatedSize()).as("200 in progress plus at most 10 completed").isBetween(200L, 210L);
    for (int i = 0; i < inProgress.size(); i++) {
      String key = inProgress.get(i);
      assertThat(store.claim(key, fingerprint, hex(32), LEASE, TTL).status())
          .as("in-progress record %d survived the size pressure", i).isEqualTo(ClaimResult.Status.IN_PROGRESS);
      assertThat(store.read(key).orElseThrow().ownerToken()).isEqualTo(owners.get(i));
    }
  }

  @Test
  void recordsExpireOnTheStoresClockAndInProgressOnesLeaveAtTheirTtl() {
    CaffeineIdempotencyStore store = CaffeineIdempotencyStore.builder().clock(clock).build();
    String key = hex(64);
    String owner = hex(32);
    long fencing = store.claim(key, fingerprint, owner, LEASE, Duration.ofMinutes(1)).fencingToken();

    clock.advance(Duration.ofSeconds(59));
    assertThat(store.read(key)).map(IdempotencyRecord::leaseRemaining).contains(Duration.ZERO);
    clock.advance(Duration.ofSeconds(1));
    assertThat(store.read(key)).isEmpty();
    assertThat(store.holds(key)).isFalse();
    assertThat(store.complete(key, owner, fencing, new byte[0], TTL)).isEqualTo(WriteResult.FENCED);
    ClaimResult next = store.claim(key, hex(64), hex(32), LEASE, TTL);
    assertThat(next.status()).isEqualTo(ClaimResult.Status.CLAIMED);
    assertThat(next.fencingToken()).isEqualTo(1);
  }

  @Test
  void manyThreadsRacingOverTheSameKeysWithinTheBoundExecuteEachExactlyOnce() throws Exception {
    CaffeineIdempotencyStore store = CaffeineIdempotencyStore.builder().maximumCompleted(5_000).build();
    int threads = 8;
    int keys = 2_000;
    List<String> keyHashes = new ArrayList<>();
    for (int i = 0; i < keys; i++) {
      keyHashes.add(hex(64));
    }
    ConcurrentHashMap<String, AtomicInteger> executions = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(pool.submit(() -> {
          start.await();
          for (String key : keyHashes) {
            String owner = hex(32);
            ClaimResult claim = store.claim(key, fingerprint, owner, LEASE, TTL);
            if (claim.status() == ClaimResult.Status.CLAIMED) {
              executions.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
              if (store.complete(key, owner, claim.fencingToken(), new byte[] {7}, TTL) != WriteResult.APPLIED) {
                throw new AssertionError("owner fenced without a takeover");
              }
            }
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(executions).hasSize(keys);
    assertThat(executions.values()).allSatisfy(n -> assertThat(n.get()).isEqualTo(1));
  }

  @Test
  void badOptionsAreRejectedWithTheOptionTheRuleAndTheValue() {
    CaffeineIdempotencyStore.Builder builder = CaffeineIdempotencyStore.builder();
    assertThatThrownBy(() -> builder.clock(null)).isInstanceOf(NullPointerException.class).hasMessage("clock");
    assertThatThrownBy(() -> builder.maximumCompleted(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maximumCompleted must be >= 1, was 0");
    assertThatThrownBy(() -> builder.maxResultBytes(-3)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxResultBytes must be >= 1, was -3");
    builder.clock(clock).maximumCompleted(5).maxResultBytes(9);
    assertThatThrownBy(() -> builder.maximumCompleted(6)).isInstanceOf(IllegalStateException.class)
        .hasMessage("maximumCompleted was already set to 5");
    assertThatThrownBy(() -> builder.maxResultBytes(6)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> builder.clock(clock)).isInstanceOf(IllegalStateException.class);
    CaffeineIdempotencyStore store = builder.build();
    assertThat(store.maxResultBytes()).isEqualTo(9);
    assertThat(store).hasToString("CaffeineIdempotencyStore[maximumCompleted=5, maxResultBytes=9, size~0]");
    assertThat(CaffeineIdempotencyStore.create().maxResultBytes()).isEqualTo(64 * 1024);
  }

  private static String hex(int length) {
    StringBuilder hex = new StringBuilder(length);
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < length; i++) {
      hex.append(Character.forDigit(random.nextInt(16), 16));
    }
    return hex.toString();
  }
}
