package dev.bulwark.store.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * The SQL dialects {@link JdbcIdempotencyStore} speaks, each with its schema.
 *
 * <ul>
 *   <li>{@link #POSTGRESQL}: the production dialect. A claim is one statement
 *       ({@code INSERT ... ON CONFLICT DO UPDATE ... WHERE <claimable> RETURNING}), so a race on a key never
 *       raises a unique-key violation and never aborts a surrounding transaction; purges use
 *       {@code FOR UPDATE SKIP LOCKED}.</li>
 *   <li>{@link #H2}: for an embedded default, tests and demos. A claim is an optimistic loop of single-row
 *       statements, each conditioned on what the previous one read; a unique-key race is caught and the loop
 *       reads the winner's record, which H2 allows without aborting the transaction.</li>
 * </ul>
 *
 * <pre>{@code
 * String ddl = JdbcDialect.POSTGRESQL.schema("payments_idempotency");
 * }</pre>
 */
public enum JdbcDialect {
  /** PostgreSQL 12 or later. */
  POSTGRESQL("schema-postgresql.sql"),
  /** H2 2.x. */
  H2("schema-h2.sql");

  static final String DEFAULT_TABLE = "bulwark_idempotency";

  private final String schemaResource;

  JdbcDialect(String schemaResource) {
    this.schemaResource = schemaResource;
  }

  /**
   * Returns the DDL that creates the store's table and its index under the given name: the schema file
   * shipped in this jar ({@code dev/bulwark/store/jdbc/schema-*.sql}) with the default name replaced.
   * Every statement is idempotent ({@code IF NOT EXISTS}).
   *
   * @param table the table name, optionally schema-qualified ({@code app.idempotency})
   * @return the statements, separated by semicolons
   * @throws IllegalArgumentException if the name is not a plain SQL identifier
   */
  public String schema(String table) {
    String qualified = JdbcIdempotencyStore.requireTableName(table);
    String simple = qualified.substring(qualified.lastIndexOf('.') + 1);
    String ddl;
    try (InputStream in = JdbcDialect.class.getResourceAsStream(schemaResource)) {
      if (in == null) {
        throw new IllegalStateException(schemaResource + " is missing from the jar");
      }
      ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ddl
        .replace(DEFAULT_TABLE + "_expires_at_idx", simple + "_expires_at_idx")
        .replace("ON " + DEFAULT_TABLE + " ", "ON " + qualified + " ")
        .replace("EXISTS " + DEFAULT_TABLE + " ", "EXISTS " + qualified + " ");
  }

  /** The dialect of a database product name as JDBC reports it. */
  static JdbcDialect of(String databaseProductName) {
    String name = Objects.requireNonNull(databaseProductName, "databaseProductName").toLowerCase(Locale.ROOT);
    if (name.contains("postgres")) {
      return POSTGRESQL;
    }
    if (name.equals("h2")) {
      return H2;
    }
    throw new IllegalStateException("no JdbcDialect for database \"" + databaseProductName
        + "\": supported are PostgreSQL and H2");
  }
}
