package dev.bulwark.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What the conformance kit cannot see: capacity, exact purge counts, size accounting, clock edges. */
class InMemoryIdempotencyStoreTest {
  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final Duration TTL = Duration.ofMinutes(10);

  private final ManualClock clock = new ManualClock();

  private static String hex(int length) {
    StringBuilder hex = new StringBuilder();
    for (int i = 0; i < length; i++) {
      hex.append(Character.forDigit(ThreadLocalRandom.current().nextInt(16), 16));
    }
    return hex.toString();
  }

  private static String key() {
    return hex(64);
  }

  private static String owner() {
    return hex(32);
  }

  @Test
  void aFullStoreRefusesNewKeysButServesExistingOnes() {
    InMemoryIdempotencyStore store = InMemoryIdempotencyStore.builder().clock(clock).maxEntries(3).build();
    String fingerprint = key();
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      keys.add(key());
      assertThat(store.claim(keys.get(i), fingerprint, owner(), LEASE, TTL).status())
          .isEqualTo(ClaimResult.Status.CLAIMED);
    }

    assertThatThrownBy(() -> store.claim(key(), fingerprint, owner(), LEASE, TTL))
        .isInstanceOf(IdempotencyStoreException.class)
        .hasMessageContaining("full")
        .hasMessageContaining("maxEntries = 3");
    assertThat(store.claim(keys.get(0), fingerprint, owner(), LEASE, TTL).status())
        .isEqualTo(ClaimResult.Status.IN_PROGRESS);
    assertThat(store.size()).isEqualTo(3);
    assertThat(store.maxEntries()).isEqualTo(3);
  }

  @Test
  void aFullStorePurgesExpiredRecordsToMakeRoom() {
    InMemoryIdempotencyStore store = InMemoryIdempotencyStore.builder().clock(clock).maxEntries(2).build();
    String fingerprint = key();
    store.claim(key(), fingerprint, owner(), LEASE, Duration.ofMinutes(1));
    store.claim(key(), fingerprint, owner(), LEASE, Duration.ofMinutes(1));
    clock.advance(Duration.ofMinutes(2));

    assertThat(store.claim(key(), fingerprint, owner(), LEASE, TTL).status()).isEqualTo(ClaimResult.Status.CLAIMED);
    assertThat(store.size()).isEqualTo(1);
  }

  @Test
  void sizeCountsEveryHeldRecordAndEveryRemovalGivesItsSlotBack() {
    InMemoryIdempotencyStore store = InMemoryIdempotencyStore.builder().clock(clock).build();
    String fingerprint = key();
    String released = key();
    String releaser = owner();
    long fencing = store.claim(released, fingerprint, releaser, LEASE, TTL).fencingToken();
    String deleted = key();
    store.claim(deleted, fingerprint, owner(), LEASE, TTL);
    String expired = key();
    store.claim(expired, fingerprint, owner(), LEASE, Duration.ofMinutes(1));
    String reused = key();
    store.claim(reused, fingerprint, owner(), LEASE, Duration.ofMinutes(1));
    assertThat(store.size()).isEqualTo(4);

    store.release(released, releaser, fencing);
    store.delete(deleted);
    assertThat(store.size()).isEqualTo(2);
    clock.advance(Duration.ofMinutes(2));
    assertThat(store.claim(reused, fingerprint, owner(), LEASE, TTL).status()).isEqualTo(ClaimResult.Status.CLAIMED);
    assertThat(store.size()).as("an expired record reused in place keeps its slot").isEqualTo(2);
    assertThat(store.purgeExpired(100)).isEqualTo(1);
    assertThat(store.size()).isEqualTo(1);
    assertThat(store.holds(expired)).isFalse();
    assertThat(store.holds(reused)).isTrue();
  }

  @Test
  void purgeCountsExactlyAndStopsAtItsLimit() {
    InMemoryIdempotencyStore store = InMemoryIdempotencyStore.builder().clock(clock).build();
    for (int i = 0; i < 10; i++) {
      store.claim(key(), key(), owner(), LEASE, Duration.ofMinutes(1));
    }
    store.claim(key(), key(), owner(), LEASE, TTL);
    assertThat(store.purgeExpired(100)).isZero();
    clock.advance(Duration.ofMinutes(1)); // a record is expired from the instant now == expiresAt

    assertThat(store.purgeExpired(4)).isEqualTo(4);
    assertThat(store.purgeExpired(100)).isEqualTo(6);
    assertThat(store.purgeExpired(100)).isZero();
    assertThat(store.size()).isEqualTo(1);
  }

  @Test
  void theLeaseLapsesExactlyAtItsEndOnTheStoresClock() {
    InMemoryIdempotencyStore store = InMemoryIdempotencyStore.builder().clock(clock).build();
    String key = key();
    String fingerprint = key();
    store.claim(key, fingerprint, owner(), LEASE, TTL);

    clock.advance(LEASE.minusNanos(1));
    assertThat(store.claim(key, fingerprint, owner(), LEASE, TTL).retryAfter()).isEqualTo(Duration.ofNanos(1));
    clock.advance(1);
    assertThat(store.claim(key, fingerprint, owner(), LEASE, TTL).isTakeover()).isTrue();
  }

  @Test
  void hugeDurationsSaturateInsteadOfWrappingIntoThePast() {
    ManualClock late = new ManualClock(Long.MAX_VALUE - 1_000_000_000L);
    InMemoryIdempotencyStore store = InMemoryIdempotencyStore.builder().clock(late).build();
    String key = key();
    String fingerprint = key();
    String owner = owner();
    long fencing = store.claim(key, fingerprint, owner, Duration.ofDays(365), Duration.ofDays(365 * 1000))
        .fencingToken();

    assertThat(store.claim(key, fingerprint, owner(), LEASE, TTL).status()).isEqualTo(ClaimResult.Status.IN_PROGRESS);
    assertThat(store.complete(key, owner, fencing, new byte[] {1}, Duration.ofSeconds(Long.MAX_VALUE)))
        .isEqualTo(WriteResult.APPLIED);
    assertThat(store.read(key)).isPresent();
  }

  @Test
  void anExpiredRecordReusedContinuesItsFencingCounter() {
    InMemoryIdempotencyStore store = InMemoryIdempotencyStore.builder().clock(clock).build();
    String key = key();
    long first = store.claim(key, key(), owner(), LEASE, Duration.ofMinutes(1)).fencingToken();
    clock.advance(Duration.ofMinutes(2));
    assertThat(store.claim(key, key(), owner(), LEASE, TTL).fencingToken()).isGreaterThan(first);
  }

  @Test
  void theBuilderValidatesItsOptions() {
    InMemoryIdempotencyStore.Builder b = InMemoryIdempotencyStore.builder();
    assertThatThrownBy(() -> b.maxEntries(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxEntries must be >= 1, was 0");
    assertThatThrownBy(() -> b.maxResultBytes(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxResultBytes must be >= 1, was -1");
    assertThatThrownBy(() -> b.clock(null)).isInstanceOf(NullPointerException.class).hasMessage("clock");
    InMemoryIdempotencyStore store = InMemoryIdempotencyStore.create();
    assertThat(store.maxEntries()).isEqualTo(10_000);
    assertThat(store.maxResultBytes()).isEqualTo(64 * 1024);
    assertThat(store.toString()).contains("size=0", "maxEntries=10000");
  }

  @Test
  void theCapacityBoundHoldsUnderConcurrentClaimsOfDistinctKeys() throws Exception {
    InMemoryIdempotencyStore store = InMemoryIdempotencyStore.builder().maxEntries(100).build();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        futures.add(pool.submit(() -> {
          int claimed = 0;
          for (int i = 0; i < 50; i++) {
            try {
              store.claim(key(), key(), owner(), LEASE, TTL);
              claimed++;
            } catch (IdempotencyStoreException full) {
              // expected once 100 records are held
            }
          }
          return claimed;
        }));
      }
      int total = 0;
      for (Future<Integer> future : futures) {
        total += future.get(30, TimeUnit.SECONDS);
      }
      assertThat(total).isEqualTo(100);
      assertThat(store.size()).isEqualTo(100);
    } finally {
      pool.shutdownNow();
    }
  }
}
