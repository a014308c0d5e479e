package dev.bulwark.store.jdbc;

import dev.bulwark.idempotency.conformance.ExactlyOnceWorker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.idempotency.ClaimResult;
import dev.bulwark.idempotency.WriteResult;
import dev.bulwark.store.jdbc.testing.PostgresExtension;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the PostgreSQL statements lock, and what a race does to a transaction around them: purge never
 * touches a live claim, and a claim that loses a race answers instead of failing.
 */
class PostgresLockingTest {

  @RegisterExtension static final PostgresExtension PG = PostgresExtension.shared();

  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final Duration TTL = Duration.ofMinutes(10);

  private String table;
  private JdbcIdempotencyStore store;
  private final String fingerprint = ExactlyOnceWorker.sha256("request");

  @BeforeEach
  void createTable() {
    table = JdbcTestSupport.uniqueTable("locking");
    store = JdbcIdempotencyStore.builder(PG.dataSource()).tableName(table).queryTimeout(Duration.ofSeconds(3))
        .build();
    store.createTableIfMissing();
  }

  @Test
  void purgeNeitherWaitsForNorLocksLiveClaimsAndSkipsExpiredRowsThatOthersHold() throws Exception {
    List<String> expired = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String key = ExactlyOnceWorker.keyHash(table, i);
      store.claim(key, fingerprint, ExactlyOnceWorker.randomHex(32), LEASE, Duration.ofMinutes(1));
      expired.add(key);
    }
    JdbcTestSupport.age(PG.dataSource(), JdbcDialect.POSTGRESQL, table, Duration.ofMinutes(2));
    String live = ExactlyOnceWorker.keyHash(table, 100);
    String owner = ExactlyOnceWorker.randomHex(32);
    long fencing = store.claim(live, fingerprint, owner, LEASE, TTL).fencingToken();

    try (Connection holder = PG.dataSource().getConnection()) {
      holder.setAutoCommit(false);
      lockRow(holder, live); // some transaction holds the live claim's row
      lockRow(holder, expired.get(0)); // and one expired row

      assertThat(store.purgeExpired(100))
          .as("purged at once, without waiting for the held rows (the statement timeout is 3 s)")
          .isEqualTo(4);
      holder.rollback();
    }
    assertThat(JdbcTestSupport.holds(PG.dataSource(), table, expired.get(0))).as("the held expired row").isTrue();
    assertThat(store.purgeExpired(100)).isEqualTo(1);

    // a purge that is still in its transaction holds locks on expired rows only: the live claim completes
    try (Connection purging = PG.dataSource().getConnection()) {
      purging.setAutoCommit(false);
      String another = ExactlyOnceWorker.keyHash(table, 200);
      store.claim(another, fingerprint, ExactlyOnceWorker.randomHex(32), LEASE, Duration.ofMinutes(1));
      JdbcTestSupport.age(PG.dataSource(), JdbcDialect.POSTGRESQL, table, Duration.ofSeconds(61));
      JdbcIdempotencyStore joined = JdbcIdempotencyStore.builder(new SingleConnectionDataSource(purging))
          .tableName(table).joinTransactions(true).build();
      assertThat(joined.purgeExpired(100)).isEqualTo(1);
      assertThat(store.complete(live, owner, fencing, new byte[] {1}, TTL))
          .as("completing a live claim while a purge transaction is open")
          .isEqualTo(WriteResult.APPLIED);
      purging.commit();
    }
  }

  @Test
  void aClaimThatLosesARaceAnswersAndLeavesTheSurroundingTransactionUsable() throws Exception {
    String key = ExactlyOnceWorker.keyHash(table, 1);
    try (Connection c = PG.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE " + table + "_orders (id INT PRIMARY KEY)");
    }

    try (Connection first = PG.dataSource().getConnection(); Connection second = PG.dataSource().getConnection()) {
      first.setAutoCommit(false);
      second.setAutoCommit(false);
      JdbcIdempotencyStore inFirst = JdbcIdempotencyStore.builder(new SingleConnectionDataSource(first))
          .tableName(table).joinTransactions(true).build();
      JdbcIdempotencyStore inSecond = JdbcIdempotencyStore.builder(new SingleConnectionDataSource(second))
          .tableName(table).joinTransactions(true).build();
      try (Statement s = second.createStatement()) {
        s.execute("INSERT INTO " + table + "_orders VALUES (2)"); // the second transaction has work of its own
      }

      assertThat(inFirst.claim(key, fingerprint, ExactlyOnceWorker.randomHex(32), LEASE, TTL).status())
          .isEqualTo(ClaimResult.Status.CLAIMED);
      // the second transaction's claim waits on the first's uncommitted row ...
      CompletableFuture<ClaimResult> racing = CompletableFuture.supplyAsync(
          () -> inSecond.claim(key, fingerprint, ExactlyOnceWorker.randomHex(32), LEASE, TTL));
      await().atMost(Duration.ofSeconds(30)).until(() -> waitingForALock() > 0);
      assertThat(racing).isNotDone();
      try (Statement s = first.createStatement()) {
        s.execute("INSERT INTO " + table + "_orders VALUES (1)");
      }
      first.commit();
      // ... and once it commits, answers in progress: no unique violation, nothing aborted
      assertThat(racing.get(30, TimeUnit.SECONDS).status()).isEqualTo(ClaimResult.Status.IN_PROGRESS);
      try (Statement s = second.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table
          + "_orders")) {
        rs.next();
        assertThat(rs.getInt(1)).as("the second transaction still works").isEqualTo(2);
      }
      second.commit();
    }
    try (Connection c = PG.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table + "_orders")) {
      rs.next();
      assertThat(rs.getInt(1)).as("both transactions committed").isEqualTo(2);
    }
  }

  @Test
  void aClaimInARolledBackTransactionLeavesNoTrace() throws Exception {
    String key = ExactlyOnceWorker.keyHash(table, 2);
    try (Connection c = PG.dataSource().getConnection()) {
      c.setAutoCommit(false);
      JdbcIdempotencyStore joined = JdbcIdempotencyStore.builder(new SingleConnectionDataSource(c))
          .tableName(table).joinTransactions(true).build();
      String owner = ExactlyOnceWorker.randomHex(32);
      long fencing = joined.claim(key, fingerprint, owner, LEASE, TTL).fencingToken();
      assertThat(joined.complete(key, owner, fencing, new byte[] {1}, TTL)).isEqualTo(WriteResult.APPLIED);
      c.rollback();
    }
    assertThat(store.read(key)).as("claim and completion rolled back with the work").isEmpty();
  }

  @Test
  void withoutJoinTheStoreCommitsItsOwnStatementOnAConnectionOutOfAutoCommit() throws Exception {
    String key = ExactlyOnceWorker.keyHash(table, 3);
    try (Connection c = PG.dataSource().getConnection()) {
      c.setAutoCommit(false);
      JdbcIdempotencyStore own = JdbcIdempotencyStore.builder(new SingleConnectionDataSource(c))
          .tableName(table).build();
      assertThat(own.claim(key, fingerprint, ExactlyOnceWorker.randomHex(32), LEASE, TTL).status())
          .isEqualTo(ClaimResult.Status.CLAIMED);
      assertThat(store.claim(key, fingerprint, ExactlyOnceWorker.randomHex(32), LEASE, TTL).status())
          .as("visible to others at once").isEqualTo(ClaimResult.Status.IN_PROGRESS);
    }
  }

  private static int waitingForALock() throws Exception {
    try (Connection c = PG.dataSource().getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_locks WHERE NOT granted")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private void lockRow(Connection c, String key) throws Exception {
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + table + " WHERE key_hash = ? FOR UPDATE")) {
      ps.setString(1, key);
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
      }
    }
  }
}
