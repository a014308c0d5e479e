/**
 * Idempotency: run work at most once per key, store its outcome, replay it to repeats.
 *
 * <p>Records live in an {@link dev.bulwark.idempotency.IdempotencyStore}, the service provider interface that
 * the in-memory store in this package and the JDBC and Redis stores implement; its value types are
 * {@link dev.bulwark.idempotency.ClaimResult}, {@link dev.bulwark.idempotency.IdempotencyRecord} and
 * {@link dev.bulwark.idempotency.WriteResult}, and {@link dev.bulwark.idempotency.StoreArguments} fixes the
 * formats of their arguments.
 */
package dev.bulwark.idempotency;
