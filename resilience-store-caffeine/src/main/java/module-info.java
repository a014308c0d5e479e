/**
 * Bulwark's bounded in-process idempotency store on Caffeine.
 */
module dev.bulwark.store.caffeine {
  requires transitive dev.bulwark.core;
  requires com.github.benmanes.caffeine;

  exports dev.bulwark.store.caffeine;
}
