package dev.bulwark.store.jdbc;

import dev.bulwark.idempotency.conformance.ExactlyOnceWorker;
import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.idempotency.ClaimResult;
import dev.bulwark.idempotency.IdempotencyRecord;
import dev.bulwark.idempotency.WriteResult;
import dev.bulwark.store.jdbc.testing.PostgresExtension;
import java.time.Duration;
import java.time.temporal.Temporal;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Application instances whose clocks are minutes off cannot steal a live lease or expire one early, because
 * no application time ever reaches the database: the store sends durations and the database adds them to
 * its own clock.
 *
 * <p>A JVM's clock cannot be moved from inside a test (no agent, no libfaketime here), so the first test
 * proves the premise on the wire: every statement's every bound value is recorded, and none is a time.
 * The second runs two instances whose sessions are 26 hours apart in local time, the usual way a clock
 * mismatch reaches SQL ({@code now()} against a {@code TIMESTAMP WITHOUT TIME ZONE}, local times in
 * parameters): neither can take the other's live lease, and neither sees it expire early.
 */
class PostgresClockSkewTest {

  @RegisterExtension static final PostgresExtension PG = PostgresExtension.shared();

  @Test
  void noApplicationTimeReachesTheDatabase() throws Exception {
    RecordingDataSource recording = new RecordingDataSource(PG.dataSource());
    String table = JdbcTestSupport.uniqueTable("skew");
    JdbcIdempotencyStore.builder(PG.dataSource()).tableName(table).build().createTableIfMissing();
    JdbcIdempotencyStore store = JdbcIdempotencyStore.builder(recording).tableName(table)
        .dialect(JdbcDialect.POSTGRESQL).build();
    Duration lease = Duration.ofSeconds(30);
    Duration ttl = Duration.ofMinutes(10);
    Duration resultTtl = Duration.ofHours(1);
    String key = ExactlyOnceWorker.keyHash("skew", 1);
    String fingerprint = ExactlyOnceWorker.sha256("request");
    String first = ExactlyOnceWorker.randomHex(32);

    long fencing = store.claim(key, fingerprint, first, lease, ttl).fencingToken();
    assertThat(store.renew(key, first, fencing, lease)).isEqualTo(WriteResult.APPLIED);
    JdbcTestSupport.age(PG.dataSource(), JdbcDialect.POSTGRESQL, table, Duration.ofSeconds(40));
    String second = ExactlyOnceWorker.randomHex(32);
    ClaimResult takeover = store.claim(key, fingerprint, second, lease, ttl);
    assertThat(takeover.isTakeover()).isTrue();
    assertThat(store.complete(key, second, takeover.fencingToken(), new byte[] {1}, resultTtl))
        .isEqualTo(WriteResult.APPLIED);
    assertThat(store.read(key)).isPresent();
    store.purgeExpired(100);
    store.delete(key);
    assertThat(store.release(key, second, takeover.fencingToken())).isEqualTo(WriteResult.FENCED);

    Set<Object> durationsAndTokens = Set.of(
        JdbcIdempotencyStore.micros(lease), JdbcIdempotencyStore.micros(ttl),
        JdbcIdempotencyStore.micros(resultTtl), fencing, takeover.fencingToken(), 100);
    assertThat(recording.bindings).isNotEmpty().allSatisfy(binding -> {
      assertThat(binding.value).as("%s", binding).isNotInstanceOf(java.util.Date.class)
          .isNotInstanceOf(Temporal.class).isNotInstanceOf(java.util.Calendar.class);
      assertThat(binding.setter).as("%s", binding)
          .isIn("setString", "setLong", "setInt", "setBytes");
      if (binding.value instanceof Long || binding.value instanceof Integer) {
        assertThat(durationsAndTokens).as("every number sent is a duration, a fencing token or a limit: %s",
            binding).contains(binding.value);
      }
    });
    assertThat(recording.sql).as("every time the store compares is the database's")
        .allSatisfy(sql -> assertThat(sql).doesNotContainIgnoringCase("localtimestamp")
            .doesNotContainIgnoringCase("now()").doesNotContainIgnoringCase("current_timestamp"));
  }

  @Test
  void instancesWhoseLocalTimesAre26HoursApartNeitherStealNorExpireALiveLease() {
    String table = JdbcTestSupport.uniqueTable("skew");
    JdbcIdempotencyStore east = store(table, "Pacific/Kiritimati"); // UTC+14
    JdbcIdempotencyStore west = store(table, "Etc/GMT+12"); // UTC-12
    east.createTableIfMissing();
    String key = ExactlyOnceWorker.keyHash("skew-zones", 1);
    String fingerprint = ExactlyOnceWorker.sha256("request");
    String eastOwner = ExactlyOnceWorker.randomHex(32);
    Duration lease = Duration.ofMinutes(5);

    long fencing = east.claim(key, fingerprint, eastOwner, lease, Duration.ofHours(1)).fencingToken();

    ClaimResult fromWest = west.claim(key, fingerprint, ExactlyOnceWorker.randomHex(32), lease, Duration.ofHours(1));
    assertThat(fromWest.status()).as("west cannot take east's live lease").isEqualTo(ClaimResult.Status.IN_PROGRESS);
    assertThat(fromWest.retryAfter()).as("west sees east's lease whole, not 26 h early or late")
        .isGreaterThan(Duration.ofMinutes(4)).isLessThanOrEqualTo(lease);
    IdempotencyRecord seenFromWest = west.read(key).orElseThrow();
    assertThat(seenFromWest.ownerToken()).isEqualTo(eastOwner);
    assertThat(seenFromWest.leaseRemaining()).isGreaterThan(Duration.ofMinutes(4));
    assertThat(seenFromWest.timeToLive()).isGreaterThan(Duration.ofMinutes(59)).isLessThanOrEqualTo(Duration.ofHours(1));

    String westOwner = ExactlyOnceWorker.randomHex(32);
    String other = ExactlyOnceWorker.keyHash("skew-zones", 2);
    long westFencing = west.claim(other, fingerprint, westOwner, lease, Duration.ofHours(1)).fencingToken();
    assertThat(east.claim(other, fingerprint, ExactlyOnceWorker.randomHex(32), lease, Duration.ofHours(1)).status())
        .as("east cannot take west's live lease either").isEqualTo(ClaimResult.Status.IN_PROGRESS);
    assertThat(west.renew(other, westOwner, westFencing, lease)).isEqualTo(WriteResult.APPLIED);
    assertThat(east.complete(key, eastOwner, fencing, new byte[] {7}, Duration.ofHours(1)))
        .isEqualTo(WriteResult.APPLIED);
    assertThat(west.claim(key, fingerprint, ExactlyOnceWorker.randomHex(32), lease, Duration.ofHours(1))
        .record().timeToLive()).isGreaterThan(Duration.ofMinutes(59));
  }

  private static JdbcIdempotencyStore store(String table, String timeZone) {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setServerNames(new String[] {"127.0.0.1"});
    ds.setPortNumbers(new int[] {PG.server().port()});
    ds.setDatabaseName("postgres");
    ds.setUser("postgres");
    ds.setOptions("-c TimeZone=" + timeZone);
    return JdbcIdempotencyStore.builder(ds).tableName(table).build();
  }
}
