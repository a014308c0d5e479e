/**
 * Bulwark's durable idempotency store on JDBC: PostgreSQL, and H2 as an embedded default.
 *
 * <p>Needs only {@code java.sql}: the driver and the connection pool are the application's choice.
 */
module dev.bulwark.store.jdbc {
  requires transitive dev.bulwark.core;
  requires transitive java.sql;

  exports dev.bulwark.store.jdbc;
}
