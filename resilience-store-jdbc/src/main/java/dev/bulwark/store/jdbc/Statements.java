package dev.bulwark.store.jdbc;

import dev.bulwark.idempotency.ClaimResult;
import dev.bulwark.idempotency.IdempotencyRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The SQL of one dialect for one table. Every operation but the H2 claim is a single statement; every time
 * comparison uses the database's clock ({@code now} below), and the only times the application sends are
 * durations in microseconds, which the database adds to its own clock.
 */
abstract class Statements {

  /** Columns of a record as {@link #record(ResultSet, int)} reads them, from its first column on. */
  static final String RECORD_COLUMNS_TEMPLATE =
      "r.fencing_token, r.fingerprint, r.owner_token, r.completed, %1$s, %2$s, r.result";

  final String complete;
  final String release;
  final String renew;
  final String read;
  final String delete;
  final String purge;

  Statements(String complete, String release, String renew, String read, String delete, String purge) {
    this.complete = complete;
    this.release = release;
    this.renew = renew;
    this.read = read;
    this.delete = delete;
    this.purge = purge;
  }

  static Statements of(JdbcDialect dialect, String table) {
    switch (dialect) {
      case POSTGRESQL:
        return new PostgresStatements(table);
      case H2:
        return new H2Statements(table);
      default:
        throw new AssertionError(dialect);
    }
  }

  /**
   * Claims a key: see {@link dev.bulwark.idempotency.IdempotencyStore#claim}. Returns null when the attempt
   * saw a state that changed under it and must be repeated (never after changing anything).
   */
  abstract ClaimResult claim(Connection c, String keyHash, String fingerprint, String owner, long leaseMicros,
      long ttlMicros, int timeoutSeconds) throws SQLException;

  /**
   * Reads a live record from {@code rs} starting at column {@code first}: fencing_token, fingerprint,
   * owner_token, completed, microseconds of lease left, microseconds of life left, result.
   */
  static IdempotencyRecord record(ResultSet rs, int first) throws SQLException {
    long fencing = rs.getLong(first);
    String fingerprint = rs.getString(first + 1);
    String owner = rs.getString(first + 2);
    boolean completed = rs.getBoolean(first + 3);
    long leaseMicros = rs.getLong(first + 4);
    long ttlMicros = rs.getLong(first + 5);
    Duration ttl = Duration.ofNanos(Math.multiplyExact(Math.max(1, ttlMicros), 1000L));
    if (completed) {
      byte[] result = rs.getBytes(first + 6);
      return IdempotencyRecord.completed(fingerprint, owner, fencing, result == null ? new byte[0] : result, ttl);
    }
    Duration lease = Duration.ofNanos(Math.multiplyExact(Math.max(0, leaseMicros), 1000L));
    return IdempotencyRecord.inProgress(fingerprint, owner, fencing, lease, ttl);
  }

  static PreparedStatement prepare(Connection c, String sql, int timeoutSeconds) throws SQLException {
    PreparedStatement ps = c.prepareStatement(sql);
    try {
      ps.setQueryTimeout(timeoutSeconds);
      return ps;
    } catch (SQLException | RuntimeException e) {
      ps.close();
      throw e;
    }
  }

  // ---------------------------------------------------------------------------------------------------

  /**
   * PostgreSQL. {@code now} is {@code statement_timestamp()}: one value for the whole statement, the
   * database server's clock, unaffected by a surrounding transaction's start time.
   */
  static final class PostgresStatements extends Statements {
    private static final String NOW = "statement_timestamp()";
    private static final String PLUS = NOW + " + CAST(? AS BIGINT) * INTERVAL '1 microsecond'";

    private final String claim;

    PostgresStatements(String table) {
      super(
          "UPDATE " + table + " SET completed = TRUE, result = ?, expires_at = " + PLUS
              + " WHERE key_hash = ? AND owner_token = ? AND fencing_token = ? AND NOT completed"
              + " AND expires_at > " + NOW,
          "DELETE FROM " + table
              + " WHERE key_hash = ? AND owner_token = ? AND fencing_token = ? AND NOT completed"
              + " AND expires_at > " + NOW,
          "UPDATE " + table + " SET lease_expires_at = " + PLUS + ", expires_at = GREATEST(expires_at, " + PLUS
              + ") WHERE key_hash = ? AND owner_token = ? AND fencing_token = ? AND NOT completed"
              + " AND expires_at > " + NOW,
          "SELECT " + columns() + " FROM " + table + " r WHERE r.key_hash = ? AND r.expires_at > " + NOW,
          "DELETE FROM " + table + " WHERE key_hash = ? AND expires_at > " + NOW,
          // Locks only expired rows (the subquery's WHERE filters before FOR UPDATE locks), skips any row
          // someone else holds, and re-checks expiry on the row it deletes.
          "DELETE FROM " + table + " WHERE key_hash IN (SELECT key_hash FROM " + table
              + " WHERE expires_at <= " + NOW + " ORDER BY expires_at LIMIT ? FOR UPDATE SKIP LOCKED)"
              + " AND expires_at <= " + NOW);
      // One statement: insert, or take over a record that is expired (counts as absent: fencing restarts at
      // 1) or in progress with the same fingerprint and a lapsed lease (fencing + 1). When neither happens,
      // the second branch returns the record as the statement's snapshot saw it. ON CONFLICT decides on the
      // latest committed row while the SELECT sees the snapshot taken when the statement began, so the two
      // can disagree only if the row changed during the statement: then the snapshot row is absent or looks
      // claimable, and the caller simply runs the statement again.
      this.claim = "WITH claimed AS ("
          + "INSERT INTO " + table + " AS r (key_hash, fingerprint, owner_token, fencing_token, completed,"
          + " lease_expires_at, expires_at, result) VALUES (?, ?, ?, 1, FALSE, " + PLUS + ", " + PLUS + ", NULL)"
          + " ON CONFLICT (key_hash) DO UPDATE SET"
          + " fingerprint = EXCLUDED.fingerprint,"
          + " owner_token = EXCLUDED.owner_token,"
          + " fencing_token = CASE WHEN r.expires_at <= " + NOW + " THEN 1 ELSE r.fencing_token + 1 END,"
          + " completed = FALSE,"
          + " lease_expires_at = EXCLUDED.lease_expires_at,"
          + " expires_at = EXCLUDED.expires_at,"
          + " result = NULL"
          + " WHERE r.expires_at <= " + NOW
          + " OR (NOT r.completed AND r.fingerprint = EXCLUDED.fingerprint AND r.lease_expires_at <= " + NOW + ")"
          + " RETURNING r.fencing_token)"
          + " SELECT TRUE, c.fencing_token, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM claimed c"
          + " UNION ALL"
          + " SELECT FALSE, " + columns() + ", (r.expires_at <= " + NOW + ") FROM " + table + " r"
          + " WHERE r.key_hash = ? AND NOT EXISTS (SELECT 1 FROM claimed)";
    }

    private static String columns() {
      return String.format(RECORD_COLUMNS_TEMPLATE, micros("r.lease_expires_at"), micros("r.expires_at"));
    }

    private static String micros(String column) {
      return "CAST(EXTRACT(EPOCH FROM (" + column + " - " + NOW + ")) * 1000000 AS BIGINT)";
    }

    @Override
    ClaimResult claim(Connection c, String keyHash, String fingerprint, String owner, long leaseMicros,
        long ttlMicros, int timeoutSeconds) throws SQLException {
      try (PreparedStatement ps = prepare(c, claim, timeoutSeconds)) {
        ps.setString(1, keyHash);
        ps.setString(2, fingerprint);
        ps.setString(3, owner);
        ps.setLong(4, leaseMicros);
        ps.setLong(5, ttlMicros);
        ps.setString(6, keyHash);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return null; // the row appeared after our snapshot: look again
          }
          if (rs.getBoolean(1)) {
            long fencing = rs.getLong(2);
            return ClaimResult.claimed(fencing, fencing > 1);
          }
          boolean expired = rs.getBoolean(9);
          IdempotencyRecord record = record(rs, 2);
          return answer(record, expired, fingerprint);
        }
      }
    }
  }

  /**
   * What a claim that changed nothing answers about the record it saw, or null if that record was
   * claimable (so the snapshot it came from is older than the row the claim was decided on).
   */
  static ClaimResult answer(IdempotencyRecord record, boolean expired, String fingerprint) {
    if (expired) {
      return null;
    }
    if (!record.fingerprint().equals(fingerprint)) {
      return ClaimResult.fingerprintMismatch();
    }
    if (record.state() == IdempotencyRecord.State.COMPLETED) {
      return ClaimResult.completed(record);
    }
    if (record.leaseRemaining().isZero()) {
      return null;
    }
    return ClaimResult.inProgress(record.leaseRemaining());
  }

  // ---------------------------------------------------------------------------------------------------

  /**
   * H2 2.x. {@code now} is {@code CURRENT_TIMESTAMP}, which H2 fixes per transaction; in auto-commit mode
   * every statement is its own transaction.
   */
  static final class H2Statements extends Statements {
    private static final String NOW = "CURRENT_TIMESTAMP";
    private static final String PLUS = "DATEADD(MICROSECOND, CAST(? AS BIGINT), " + NOW + ")";

    private final String select;
    private final String insert;
    private final String replaceExpired;
    private final String takeOver;

    H2Statements(String table) {
      super(
          "UPDATE " + table + " SET completed = TRUE, result = ?, expires_at = " + PLUS
              + " WHERE key_hash = ? AND owner_token = ? AND fencing_token = ? AND NOT completed"
              + " AND expires_at > " + NOW,
          "DELETE FROM " + table
              + " WHERE key_hash = ? AND owner_token = ? AND fencing_token = ? AND NOT completed"
              + " AND expires_at > " + NOW,
          "UPDATE " + table + " SET lease_expires_at = " + PLUS + ", expires_at = GREATEST(expires_at, " + PLUS
              + ") WHERE key_hash = ? AND owner_token = ? AND fencing_token = ? AND NOT completed"
              + " AND expires_at > " + NOW,
          "SELECT " + columns() + " FROM " + table + " r WHERE r.key_hash = ? AND r.expires_at > " + NOW,
          "DELETE FROM " + table + " WHERE key_hash = ? AND expires_at > " + NOW,
          "DELETE FROM " + table + " WHERE key_hash IN (SELECT key_hash FROM " + table
              + " WHERE expires_at <= " + NOW + " ORDER BY expires_at FETCH FIRST ? ROWS ONLY)"
              + " AND expires_at <= " + NOW);
      this.select = "SELECT " + columns() + ", (r.expires_at <= " + NOW + ") FROM " + table
          + " r WHERE r.key_hash = ?";
      this.insert = "INSERT INTO " + table + " (key_hash, fingerprint, owner_token, fencing_token, completed,"
          + " lease_expires_at, expires_at, result) VALUES (?, ?, ?, 1, FALSE, " + PLUS + ", " + PLUS + ", NULL)";
      String set = " SET fingerprint = ?, owner_token = ?, completed = FALSE, lease_expires_at = " + PLUS
          + ", expires_at = " + PLUS + ", result = NULL, fencing_token = ";
      this.replaceExpired = "UPDATE " + table + set + "1"
          + " WHERE key_hash = ? AND owner_token = ? AND fencing_token = ? AND expires_at <= " + NOW;
      this.takeOver = "UPDATE " + table + set + "fencing_token + 1"
          + " WHERE key_hash = ? AND owner_token = ? AND fencing_token = ? AND NOT completed"
          + " AND fingerprint = ? AND expires_at > " + NOW + " AND lease_expires_at <= " + NOW;
    }

    private static String columns() {
      return String.format(RECORD_COLUMNS_TEMPLATE, micros("r.lease_expires_at"), micros("r.expires_at"));
    }

    private static String micros(String column) {
      return "DATEDIFF(MICROSECOND, " + NOW + ", " + column + ")";
    }

    @Override
    ClaimResult claim(Connection c, String keyHash, String fingerprint, String owner, long leaseMicros,
        long ttlMicros, int timeoutSeconds) throws SQLException {
      IdempotencyRecord seen;
      boolean expired;
      try (PreparedStatement ps = prepare(c, select, timeoutSeconds)) {
        ps.setString(1, keyHash);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            seen = null;
            expired = false;
          } else {
            expired = rs.getBoolean(8);
            seen = expired ? null : record(rs, 1);
            if (expired) {
              // a record that expires right now may report a non-positive life: read only what we need
              return replaceExpired(c, keyHash, fingerprint, owner, rs.getString(3), rs.getLong(1), leaseMicros,
                  ttlMicros, timeoutSeconds);
            }
          }
        }
      }
      if (seen == null) {
        try (PreparedStatement ps = prepare(c, insert, timeoutSeconds)) {
          ps.setString(1, keyHash);
          ps.setString(2, fingerprint);
          ps.setString(3, owner);
          ps.setLong(4, leaseMicros);
          ps.setLong(5, ttlMicros);
          ps.executeUpdate();
          return ClaimResult.claimed(1, false);
        } catch (SQLException e) {
          if (isUniqueViolation(e)) {
            return null; // another claim inserted first: read its record
          }
          throw e;
        }
      }
      ClaimResult answer = answer(seen, false, fingerprint);
      if (answer != null) {
        return answer;
      }
      try (PreparedStatement ps = prepare(c, takeOver, timeoutSeconds)) {
        int i = bindSet(ps, fingerprint, owner, leaseMicros, ttlMicros);
        ps.setString(i++, keyHash);
        ps.setString(i++, seen.ownerToken());
        ps.setLong(i++, seen.fencingToken());
        ps.setString(i, fingerprint);
        return ps.executeUpdate() == 1 ? ClaimResult.claimed(seen.fencingToken() + 1, true) : null;
      }
    }

    private ClaimResult replaceExpired(Connection c, String keyHash, String fingerprint, String owner,
        String oldOwner, long oldFencing, long leaseMicros, long ttlMicros, int timeoutSeconds)
        throws SQLException {
      try (PreparedStatement ps = prepare(c, replaceExpired, timeoutSeconds)) {
        int i = bindSet(ps, fingerprint, owner, leaseMicros, ttlMicros);
        ps.setString(i++, keyHash);
        ps.setString(i++, oldOwner);
        ps.setLong(i, oldFencing);
        return ps.executeUpdate() == 1 ? ClaimResult.claimed(1, false) : null;
      }
    }

    private static int bindSet(PreparedStatement ps, String fingerprint, String owner, long leaseMicros,
        long ttlMicros) throws SQLException {
      ps.setString(1, fingerprint);
      ps.setString(2, owner);
      ps.setLong(3, leaseMicros);
      ps.setLong(4, ttlMicros);
      return 5;
    }
  }

  /** SQLState class 23 is an integrity constraint violation; 23505 the unique one. */
  static boolean isUniqueViolation(SQLException e) {
    for (SQLException x = e; x != null; x = x.getNextException()) {
      String state = x.getSQLState();
      if (state != null && state.startsWith("23")) {
        return true;
      }
    }
    return false;
  }
}
