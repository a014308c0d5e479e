/**
 * A durable {@link dev.bulwark.idempotency.IdempotencyStore} on Redis through Lettuce:
 * {@link dev.bulwark.store.redis.RedisIdempotencyStore}.
 */
package dev.bulwark.store.redis;
