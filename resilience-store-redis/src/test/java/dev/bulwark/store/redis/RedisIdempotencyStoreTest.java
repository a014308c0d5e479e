package dev.bulwark.store.redis;

import dev.bulwark.idempotency.conformance.ExactlyOnceWorker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.idempotency.ClaimResult;
import dev.bulwark.idempotency.IdempotencyRecord;
import dev.bulwark.idempotency.WriteResult;
import dev.bulwark.store.redis.testing.RedisExtension;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Options, the record layout, script reloading and the server-only clock of the Redis store. */
class RedisIdempotencyStoreTest {

  @RegisterExtension static final RedisExtension REDIS = RedisExtension.shared();

  private static RedisClient client;
  private static StatefulRedisConnection<byte[], byte[]> connection;
  private final String fingerprint = ExactlyOnceWorker.sha256("request");

  @BeforeAll
  static void connect() {
    client = RedisTestSupport.client(REDIS.server().uri());
    connection = RedisTestSupport.connect(client);
  }

  @AfterAll
  static void disconnect() {
    connection.close();
    client.shutdown();
  }

  @Test
  void badOptionsAreRejectedWithTheOptionTheRuleAndTheValue() {
    assertThatThrownBy(() -> RedisIdempotencyStore.builder(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("connection");
    RedisIdempotencyStore.Builder builder = RedisIdempotencyStore.builder(connection);
    assertThatThrownBy(() -> builder.keyPrefix(null)).isInstanceOf(NullPointerException.class).hasMessage("keyPrefix");
    assertThatThrownBy(() -> builder.maxResultBytes(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxResultBytes must be in [1, 268435456], was 0");
    assertThatThrownBy(() -> builder.commandTimeout(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("commandTimeout must be > 0, was PT-0.001S");
    builder.keyPrefix("p:").maxResultBytes(10).commandTimeout(Duration.ofMillis(300));
    assertThatThrownBy(() -> builder.keyPrefix("q:")).isInstanceOf(IllegalStateException.class)
        .hasMessage("keyPrefix was already set to p:");
    assertThatThrownBy(() -> builder.maxResultBytes(11)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> builder.commandTimeout(Duration.ofSeconds(1))).isInstanceOf(IllegalStateException.class);
    RedisIdempotencyStore store = builder.build();
    assertThat(store.keyPrefix()).isEqualTo("p:");
    assertThat(store.maxResultBytes()).isEqualTo(10);
    assertThat(store).hasToString("RedisIdempotencyStore[keyPrefix=p:, maxResultBytes=10, commandTimeout=PT0.3S]");
  }

  @Test
  void theRecordHoldsOnlyDurationsAndTheKeysExpiryIsItsTtl() {
    String prefix = "layout:" + System.nanoTime() + ":";
    RedisIdempotencyStore store = RedisIdempotencyStore.builder(connection).keyPrefix(prefix).build();
    String key = ExactlyOnceWorker.keyHash("layout", 1);
    String owner = ExactlyOnceWorker.randomHex(32);
    long fencing = store.claim(key, fingerprint, owner, Duration.ofSeconds(30), Duration.ofMinutes(10))
        .fencingToken();

    byte[] redisKey = (prefix + key).getBytes(StandardCharsets.US_ASCII);
    String raw = new String(connection.sync().get(redisKey), StandardCharsets.US_ASCII);
    assertThat(raw).isEqualTo("P" + fingerprint + owner + "00000000000000000001" + "000000000570000");
    assertThat(connection.sync().pttl(redisKey)).isBetween(590_000L, 600_000L);

    assertThat(store.complete(key, owner, fencing, new byte[] {1, 2}, Duration.ofHours(1)))
        .isEqualTo(WriteResult.APPLIED);
    byte[] completed = connection.sync().get(redisKey);
    assertThat(new String(completed, 0, RecordCodec.HEADER, StandardCharsets.US_ASCII))
        .isEqualTo("C" + fingerprint + owner + "00000000000000000001" + "000000000000000");
    assertThat(completed).endsWith(1, 2);
    assertThat(connection.sync().pttl(redisKey)).isBetween(3_590_000L, 3_600_000L);
  }

  @Test
  void scriptsForgottenByTheServerAreLoadedAgain() {
    RedisIdempotencyStore store = RedisIdempotencyStore.builder(connection)
        .keyPrefix("flush:" + System.nanoTime() + ":").build();
    String key = ExactlyOnceWorker.keyHash("flush", 1);
    String owner = ExactlyOnceWorker.randomHex(32);
    long fencing = store.claim(key, fingerprint, owner, Duration.ofSeconds(30), Duration.ofMinutes(10))
        .fencingToken();

    connection.sync().scriptFlush(); // what a restarted or failed-over server has done

    assertThat(store.renew(key, owner, fencing, Duration.ofSeconds(30))).isEqualTo(WriteResult.APPLIED);
    assertThat(store.complete(key, owner, fencing, new byte[] {3}, Duration.ofHours(1)))
        .isEqualTo(WriteResult.APPLIED);
    connection.sync().scriptFlush();
    ClaimResult replay = store.claim(key, fingerprint, ExactlyOnceWorker.randomHex(32), Duration.ofSeconds(30),
        Duration.ofMinutes(10));
    assertThat(replay.record().result()).containsExactly(3);
    connection.sync().scriptFlush();
    assertThat(store.read(key)).map(IdempotencyRecord::state).contains(IdempotencyRecord.State.COMPLETED);
  }

  @Test
  void aForeignValueUnderTheKeyIsAnErrorNotAnAnswer() {
    String prefix = "foreign:" + System.nanoTime() + ":";
    RedisIdempotencyStore store = RedisIdempotencyStore.builder(connection).keyPrefix(prefix).build();
    String key = ExactlyOnceWorker.keyHash("foreign", 1);
    connection.sync().set((prefix + key).getBytes(StandardCharsets.US_ASCII), "hello".getBytes(StandardCharsets.US_ASCII));
    assertThatThrownBy(() -> store.claim(key, fingerprint, ExactlyOnceWorker.randomHex(32), Duration.ofSeconds(1),
        Duration.ofSeconds(1)))
        .hasMessageStartingWith("Redis idempotency store: claim failed")
        .hasMessageContaining("not a Bulwark idempotency record");
    assertThatThrownBy(() -> store.read(key))
        .hasMessageStartingWith("Redis idempotency store: read failed")
        .hasMessageContaining("not a Bulwark idempotency record");
    assertThat(connection.sync().get((prefix + key).getBytes(StandardCharsets.US_ASCII)))
        .as("left as it was").isEqualTo("hello".getBytes(StandardCharsets.US_ASCII));
  }

  @Test
  void purgeHasNothingToDoBecauseRedisExpiresRecords() {
    RedisIdempotencyStore store = RedisIdempotencyStore.of(connection);
    assertThat(store.purgeExpired(100)).isZero();
    assertThat(store.keyPrefix()).isEqualTo("bulwark:idempotency:");
  }

  @Test
  void durationsAreSentInMillisecondsRoundedUpAndCappedAtACentury() {
    assertThat(RedisIdempotencyStore.millis(Duration.ofNanos(1))).isEqualTo(1);
    assertThat(RedisIdempotencyStore.millis(Duration.ofNanos(1_000_001))).isEqualTo(2);
    assertThat(RedisIdempotencyStore.millis(Duration.ofSeconds(30))).isEqualTo(30_000);
    assertThat(RedisIdempotencyStore.millis(Duration.ofSeconds(Long.MAX_VALUE)))
        .isEqualTo(Duration.ofDays(36_525).toMillis());
  }
}
