package dev.bulwark.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/** Pools, table names and time travel for the JDBC store's tests. */
final class JdbcTestSupport {
  private static final AtomicInteger TABLES = new AtomicInteger();

  private JdbcTestSupport() {}

  /** A HikariCP pool on the data source: the pool the store is documented with. */
  static HikariDataSource pool(DataSource target, int size) {
    HikariConfig config = new HikariConfig();
    config.setDataSource(target);
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(0);
    config.setConnectionTimeout(Duration.ofSeconds(5).toMillis());
    config.setPoolName("bulwark-test-" + TABLES.incrementAndGet());
    return new HikariDataSource(config);
  }

  /** A table name no other test uses. */
  static String uniqueTable(String prefix) {
    return prefix + "_" + TABLES.incrementAndGet() + "_" + ProcessHandle.current().pid();
  }

  /** Ages every record of the table by {@code d}: shifts its stored instants back. */
  static void age(DataSource ds, JdbcDialect dialect, String table, Duration d) throws SQLException {
    String shift = dialect == JdbcDialect.POSTGRESQL
        ? "%1$s - CAST(? AS BIGINT) * INTERVAL '1 microsecond'"
        : "DATEADD(MICROSECOND, -CAST(? AS BIGINT), %1$s)";
    String sql = "UPDATE " + table + " SET lease_expires_at = " + String.format(shift, "lease_expires_at")
        + ", expires_at = " + String.format(shift, "expires_at");
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, JdbcIdempotencyStore.micros(d));
      ps.setLong(2, JdbcIdempotencyStore.micros(d));
      ps.executeUpdate();
    }
  }

  /** Whether the table holds a row for the key, expired or not. */
  static boolean holds(DataSource ds, String table, String keyHash) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + table + " WHERE key_hash = ?")) {
      ps.setString(1, keyHash);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** How many rows the table holds. */
  static long rows(DataSource ds, String table) throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + table);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
