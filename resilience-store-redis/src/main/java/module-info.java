/**
 * Bulwark's durable idempotency store on Redis, through the Lettuce client.
 *
 * <p>Lettuce has no module descriptor; {@code lettuce.core} is the automatic module name its jar declares
 * (a stable name, not one derived from the file name).
 */
module dev.bulwark.store.redis {
  requires transitive dev.bulwark.core;
  requires transitive lettuce.core;

  exports dev.bulwark.store.redis;
}
