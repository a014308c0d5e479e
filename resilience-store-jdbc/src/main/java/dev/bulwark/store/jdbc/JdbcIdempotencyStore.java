package dev.bulwark.store.jdbc;

import dev.bulwark.idempotency.ClaimResult;
import dev.bulwark.idempotency.IdempotencyRecord;
import dev.bulwark.idempotency.IdempotencyStore;
import dev.bulwark.idempotency.IdempotencyStoreException;
import dev.bulwark.idempotency.StoreArguments;
import dev.bulwark.idempotency.WriteResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * An {@link IdempotencyStore} in a SQL table that every instance of a service shares: PostgreSQL in
 * production, H2 as an embedded default. Works with any {@link DataSource} (a connection pool such as
 * HikariCP in production); needs nothing but {@code java.sql}.
 *
 * <p>The table ({@link JdbcDialect#schema(String)}, shipped as {@code dev/bulwark/store/jdbc/schema-*.sql})
 * holds one row per key hash. Every operation is one short statement on one row, and every time it compares
 * is the <em>database's</em> clock: the application sends durations (lease, ttl), never instants, so
 * instances whose clocks disagree by minutes still agree on every lease. In PostgreSQL:
 * <ul>
 *   <li><b>claim</b>: {@code INSERT ... ON CONFLICT (key_hash) DO UPDATE ... WHERE <expired, or lease lapsed
 *       with the same fingerprint> RETURNING}, which inserts, takes over, or reads the record in one
 *       statement. Two claims racing on a key never raise a unique-key violation: the loser gets the
 *       winner's record (in progress or completed), and a transaction around it is never aborted;</li>
 *   <li><b>complete, release, renew</b>: an {@code UPDATE} or {@code DELETE} whose {@code WHERE} requires
 *       the caller's owner token and fencing token on a live in-progress record: a fenced caller changes
 *       nothing;</li>
 *   <li><b>purgeExpired</b>: deletes a batch of expired rows, oldest first, locking only those rows and
 *       skipping any that another transaction holds ({@code FOR UPDATE SKIP LOCKED}): it never waits for,
 *       or blocks, a live claim.</li>
 * </ul>
 *
 * <p><b>Transactions.</b> Each operation takes a connection from the data source and returns it at once. By
 * default an operation is its own transaction: on a connection in auto-commit mode (every pool's default)
 * the statement commits by itself; otherwise the store commits it. Give the store a data source whose
 * connections are not bound to the caller's transaction. {@link Builder#joinTransactions(boolean)} is for
 * the other case: the store then never commits or rolls back, so claim, business writes and completion
 * commit or roll back together; a concurrent claim of the same key waits for that transaction.
 *
 * <p><b>Failures</b> (connection refused, pool exhausted, statement timeout) throw
 * {@link IdempotencyStoreException} naming the operation and the SQL state: the executor fails closed on it
 * by default. Nothing is retried inside the store except a claim that raced another on the same key.
 *
 * <pre>{@code
 * HikariDataSource pool = new HikariDataSource(config);
 * JdbcIdempotencyStore store = JdbcIdempotencyStore.builder(pool)
 *     .tableName("bulwark_idempotency")
 *     .build();
 * store.createTableIfMissing();   // or run schema-postgresql.sql with Flyway / Liquibase
 * scheduler.scheduleWithFixedDelay(() -> store.purgeExpired(1_000), 1, 1, TimeUnit.MINUTES);
 * }</pre>
 */
public final class JdbcIdempotencyStore implements IdempotencyStore {

  private static final Pattern TABLE_NAME =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?");
  private static final int DEFAULT_MAX_RESULT_BYTES = 1 << 20;
  private static final int MAX_RESULT_BYTES_LIMIT = 256 << 20;
  private static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(5);
  /** Longest duration sent to the database: 100 years. Longer leases and ttls are cut to it. */
  private static final long MAX_MICROS = Duration.ofDays(36_525).toNanos() / 1000;
  /** Claims retried because the row changed during the statement; far above what contention produces. */
  private static final int MAX_CLAIM_ATTEMPTS = 100;

  private final DataSource dataSource;
  private final String table;
  private final int maxResultBytes;
  private final int queryTimeoutSeconds;
  private final boolean joinTransactions;
  private volatile JdbcDialect dialect;
  private volatile Statements statements;

  private JdbcIdempotencyStore(Builder builder) {
    this.dataSource = builder.dataSource;
    this.table = builder.table;
    this.maxResultBytes = builder.maxResultBytes;
    this.queryTimeoutSeconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE,
        (builder.queryTimeout.toMillis() + 999) / 1000));
    this.joinTransactions = builder.joinTransactions;
    this.dialect = builder.dialect;
    this.statements = builder.dialect == null ? null : Statements.of(builder.dialect, table);
  }

  /**
   * Returns a store on the data source with every default: table {@code bulwark_idempotency}, dialect
   * detected from the database on first use.
   *
   * @param dataSource where connections come from
   * @return the store
   */
  public static JdbcIdempotencyStore of(DataSource dataSource) {
    return builder(dataSource).build();
  }

  /**
   * Starts a store on the data source.
   *
   * @param dataSource where connections come from
   * @return a builder with the defaults
   */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /**
   * Returns the table's name, as configured.
   *
   * @return the table name
   */
  public String tableName() {
    return table;
  }

  /**
   * Returns the dialect, detecting it from the database if the builder was not given one.
   *
   * @return the dialect
   * @throws IdempotencyStoreException if the database cannot be reached to detect it
   */
  public JdbcDialect dialect() {
    statements();
    return dialect;
  }

  /**
   * Creates the table and its index if they do not exist: the statements of
   * {@link JdbcDialect#schema(String)}. Handy for tests and an embedded database; production schemas are
   * better created by a migration tool from the same file. Safe to call repeatedly; when several instances
   * start at once, run the migration instead.
   *
   * @throws IdempotencyStoreException if a statement fails
   */
  public void createTableIfMissing() {
    String ddl = dialect().schema(table);
    inTransaction("createTableIfMissing", c -> {
      try (Statement s = c.createStatement()) {
        for (String sql : ddl.replaceAll("(?m)^\\s*--.*$", "").split(";")) {
          if (!sql.isBlank()) {
            s.execute(sql.trim());
          }
        }
      }
      return null;
    });
  }

  @Override
  public ClaimResult claim(String keyHash, String fingerprint, String ownerToken, Duration lease, Duration ttl) {
    StoreArguments.checkClaim(keyHash, fingerprint, ownerToken, lease, ttl);
    long leaseMicros = micros(lease);
    long ttlMicros = micros(ttl);
    Statements sql = statements();
    return inTransaction("claim", c -> {
      for (int attempt = 0; attempt < MAX_CLAIM_ATTEMPTS; attempt++) {
        ClaimResult result = sql.claim(c, keyHash, fingerprint, ownerToken, leaseMicros, ttlMicros,
            queryTimeoutSeconds);
        if (result != null) {
          return result;
        }
      }
      throw new SQLException("the record kept changing under " + MAX_CLAIM_ATTEMPTS + " claim attempts",
          "40001");
    });
  }

  @Override
  public WriteResult complete(String keyHash, String ownerToken, long fencingToken, byte[] result, Duration ttl) {
    StoreArguments.checkComplete(keyHash, ownerToken, fencingToken, result, ttl, maxResultBytes);
    long ttlMicros = micros(ttl);
    Statements sql = statements();
    return inTransaction("complete", c -> {
      try (PreparedStatement ps = Statements.prepare(c, sql.complete, queryTimeoutSeconds)) {
        ps.setBytes(1, result);
        ps.setLong(2, ttlMicros);
        ps.setString(3, keyHash);
        ps.setString(4, ownerToken);
        ps.setLong(5, fencingToken);
        return ps.executeUpdate() == 1 ? WriteResult.APPLIED : WriteResult.FENCED;
      }
    });
  }

  @Override
  public WriteResult release(String keyHash, String ownerToken, long fencingToken) {
    StoreArguments.checkOwnership(keyHash, ownerToken, fencingToken);
    Statements sql = statements();
    return inTransaction("release", c -> {
      try (PreparedStatement ps = Statements.prepare(c, sql.release, queryTimeoutSeconds)) {
        ps.setString(1, keyHash);
        ps.setString(2, ownerToken);
        ps.setLong(3, fencingToken);
        return ps.executeUpdate() == 1 ? WriteResult.APPLIED : WriteResult.FENCED;
      }
    });
  }

  @Override
  public WriteResult renew(String keyHash, String ownerToken, long fencingToken, Duration lease) {
    StoreArguments.checkOwnership(keyHash, ownerToken, fencingToken);
    long leaseMicros = micros(StoreArguments.requirePositive("lease", lease));
    Statements sql = statements();
    return inTransaction("renew", c -> {
      try (PreparedStatement ps = Statements.prepare(c, sql.renew, queryTimeoutSeconds)) {
        ps.setLong(1, leaseMicros);
        ps.setLong(2, leaseMicros);
        ps.setString(3, keyHash);
        ps.setString(4, ownerToken);
        ps.setLong(5, fencingToken);
        return ps.executeUpdate() == 1 ? WriteResult.APPLIED : WriteResult.FENCED;
      }
    });
  }

  @Override
  public Optional<IdempotencyRecord> read(String keyHash) {
    StoreArguments.requireKeyHash(keyHash);
    Statements sql = statements();
    return inTransaction("read", c -> {
      try (PreparedStatement ps = Statements.prepare(c, sql.read, queryTimeoutSeconds)) {
        ps.setString(1, keyHash);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(Statements.record(rs, 1)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public boolean delete(String keyHash) {
    StoreArguments.requireKeyHash(keyHash);
    Statements sql = statements();
    return inTransaction("delete", c -> {
      try (PreparedStatement ps = Statements.prepare(c, sql.delete, queryTimeoutSeconds)) {
        ps.setString(1, keyHash);
        return ps.executeUpdate() > 0;
      }
    });
  }

  @Override
  public int purgeExpired(int limit) {
    StoreArguments.requireLimit(limit);
    Statements sql = statements();
    return inTransaction("purgeExpired", c -> {
      try (PreparedStatement ps = Statements.prepare(c, sql.purge, queryTimeoutSeconds)) {
        ps.setInt(1, limit);
        return ps.executeUpdate();
      }
    });
  }

  /**
   * Returns the largest result {@link #complete} accepts.
   *
   * @return {@link Builder#maxResultBytes(int)}, 1 MiB by default
   */
  @Override
  public int maxResultBytes() {
    return maxResultBytes;
  }

  @Override
  public String toString() {
    JdbcDialect d = dialect;
    return "JdbcIdempotencyStore[table=" + table + ", dialect=" + (d == null ? "not yet detected" : d)
        + ", maxResultBytes=" + maxResultBytes + ", queryTimeout=" + queryTimeoutSeconds + "s"
        + (joinTransactions ? ", joinTransactions" : "") + "]";
  }

  // ------------------------------------------------------------------------------------------------------

  /** Work on one connection that may throw SQLException. */
  @FunctionalInterface
  private interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
  }

  /**
   * Runs {@code work} on a connection of its own and returns the connection. Unless transactions are
   * joined, a connection that is not in auto-commit mode is committed after the work and rolled back after
   * a failure, so each operation is its own transaction either way.
   */
  private <T> T inTransaction(String operation, SqlWork<T> work) {
    try (Connection c = dataSource.getConnection()) {
      boolean commit = !joinTransactions && !c.getAutoCommit();
      try {
        T result = work.run(c);
        if (commit) {
          c.commit();
        }
        return result;
      } catch (SQLException | RuntimeException e) {
        if (commit) {
          try {
            c.rollback();
          } catch (SQLException rollback) {
            e.addSuppressed(rollback);
          }
        }
        throw e;
      }
    } catch (SQLException e) {
      throw failure(operation, e);
    }
  }

  private IdempotencyStoreException failure(String operation, SQLException e) {
    return new IdempotencyStoreException("JDBC idempotency store (table " + table + "): " + operation
        + " failed, the database did not answer it [SQLState " + e.getSQLState() + "]: " + e.getMessage(), e);
  }

  private Statements statements() {
    Statements s = statements;
    if (s == null) {
      JdbcDialect detected = inTransaction("detect the database dialect",
          c -> JdbcDialect.of(c.getMetaData().getDatabaseProductName()));
      s = Statements.of(detected, table);
      dialect = detected;
      statements = s; // a benign race: every thread detects the same dialect
    }
    return s;
  }

  /** A positive duration in whole microseconds, rounded up, at most 100 years. */
  static long micros(Duration d) {
    if (d.getSeconds() >= MAX_MICROS / 1_000_000) {
      return MAX_MICROS;
    }
    long micros = d.getSeconds() * 1_000_000 + (d.getNano() + 999) / 1000;
    return Math.min(Math.max(micros, 1), MAX_MICROS);
  }

  static String requireTableName(String table) {
    Objects.requireNonNull(table, "tableName");
    if (!TABLE_NAME.matcher(table).matches()) {
      throw new IllegalArgumentException("tableName must be an unquoted SQL identifier, optionally "
          + "schema-qualified ([A-Za-z_][A-Za-z0-9_]*, at most 63 characters each), was \"" + table + "\"");
    }
    return table;
  }

  /**
   * Builds a {@link JdbcIdempotencyStore}. Each option may be set once.
   *
   * <pre>{@code
   * JdbcIdempotencyStore store = JdbcIdempotencyStore.builder(dataSource)
   *     .dialect(JdbcDialect.POSTGRESQL)
   *     .tableName("payments.idempotency")
   *     .maxResultBytes(64 * 1024)
   *     .queryTimeout(Duration.ofSeconds(2))
   *     .build();
   * }</pre>
   */
  public static final class Builder {
    private final DataSource dataSource;
    private String table = JdbcDialect.DEFAULT_TABLE;
    private JdbcDialect dialect;
    private int maxResultBytes = DEFAULT_MAX_RESULT_BYTES;
    private Duration queryTimeout = DEFAULT_QUERY_TIMEOUT;
    private boolean joinTransactions;
    private boolean tableSet;
    private boolean maxResultBytesSet;
    private boolean queryTimeoutSet;
    private boolean joinTransactionsSet;

    private Builder(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /**
     * Sets the table's name. Default {@code bulwark_idempotency}.
     *
     * @param tableName an unquoted identifier, optionally schema-qualified
     * @return this builder
     */
    public Builder tableName(String tableName) {
      once(tableSet, "tableName", table);
      this.table = requireTableName(tableName);
      tableSet = true;
      return this;
    }

    /**
     * Sets the dialect. Default: detected from {@code DatabaseMetaData.getDatabaseProductName()} on first
     * use, so building the store needs no connection.
     *
     * @param dialect the dialect
     * @return this builder
     */
    public Builder dialect(JdbcDialect dialect) {
      once(this.dialect != null, "dialect", this.dialect);
      this.dialect = Objects.requireNonNull(dialect, "dialect");
      return this;
    }

    /**
     * Sets the largest result the store accepts. Default 1 MiB; at most 256 MiB. Results are read and
     * written whole, so keep them small: a response body, not a file.
     *
     * @param maxResultBytes the limit in bytes, in [1, 268435456]
     * @return this builder
     */
    public Builder maxResultBytes(int maxResultBytes) {
      once(maxResultBytesSet, "maxResultBytes", this.maxResultBytes);
      if (maxResultBytes < 1 || maxResultBytes > MAX_RESULT_BYTES_LIMIT) {
        throw new IllegalArgumentException(
            "maxResultBytes must be in [1, " + MAX_RESULT_BYTES_LIMIT + "], was " + maxResultBytes);
      }
      this.maxResultBytes = maxResultBytes;
      maxResultBytesSet = true;
      return this;
    }

    /**
     * Sets the timeout of every statement ({@code Statement.setQueryTimeout}, whole seconds, rounded up).
     * Default 5 seconds. How long getting a connection may take is the pool's setting (HikariCP's
     * {@code connectionTimeout}); keep both short so that a database outage fails claims fast.
     *
     * @param queryTimeout a positive duration
     * @return this builder
     */
    public Builder queryTimeout(Duration queryTimeout) {
      once(queryTimeoutSet, "queryTimeout", this.queryTimeout);
      this.queryTimeout = StoreArguments.requirePositive("queryTimeout", queryTimeout);
      queryTimeoutSet = true;
      return this;
    }

    /**
     * Leaves transaction control to the connection's owner. Default {@code false}: each operation is its
     * own transaction, committed by the store if the connection is not in auto-commit mode. With
     * {@code true} the store never commits or rolls back: for a data source that hands out the caller's
     * transactional connection, so that the claim, the work's own writes and the completion commit or roll
     * back together. Use it only at PostgreSQL's default isolation, READ COMMITTED.
     *
     * @param joinTransactions whether operations run in the caller's transaction
     * @return this builder
     */
    public Builder joinTransactions(boolean joinTransactions) {
      once(joinTransactionsSet, "joinTransactions", this.joinTransactions);
      this.joinTransactions = joinTransactions;
      joinTransactionsSet = true;
      return this;
    }

    /**
     * Builds the store. Touches no connection.
     *
     * @return the store
     */
    public JdbcIdempotencyStore build() {
      return new JdbcIdempotencyStore(this);
    }

    private static void once(boolean set, String option, Object value) {
      if (set) {
        throw new IllegalStateException(option + " was already set to " + value);
      }
    }
  }
}
