/**
 * A durable {@link dev.bulwark.idempotency.IdempotencyStore} in a SQL table, shared by every instance of a
 * service: {@link dev.bulwark.store.jdbc.JdbcIdempotencyStore}, with the dialects in
 * {@link dev.bulwark.store.jdbc.JdbcDialect}.
 */
package dev.bulwark.store.jdbc;
