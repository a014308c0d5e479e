/**
 * Idempotency: run work at most once per key, store its outcome, replay it to repeats.
 *
 * <p>The executor is {@link dev.bulwark.idempotency.Idempotency}, configured by
 * {@link dev.bulwark.idempotency.IdempotencyConfig}; failures are sorted by a
 * {@link dev.bulwark.idempotency.FailureClassifier} and results stored through a
 * {@link dev.bulwark.idempotency.ResultCodec}. Records live in an
 * {@link dev.bulwark.idempotency.IdempotencyStore}, the service provider interface that
 * {@link dev.bulwark.idempotency.InMemoryIdempotencyStore} and the JDBC and Redis stores implement; its value
 * types are {@link dev.bulwark.idempotency.ClaimResult}, {@link dev.bulwark.idempotency.IdempotencyRecord} and
 * {@link dev.bulwark.idempotency.WriteResult}, and {@link dev.bulwark.idempotency.StoreArguments} fixes the
 * formats of their arguments. The state machine is drawn in {@code docs/idempotency.md}.
 */
package dev.bulwark.idempotency;
