/**
 * A bounded in-process {@link dev.bulwark.idempotency.IdempotencyStore} on Caffeine:
 * {@link dev.bulwark.store.caffeine.CaffeineIdempotencyStore}.
 */
package dev.bulwark.store.caffeine;
