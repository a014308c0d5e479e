/**
 * Bulwark's core: lock-free resilience policies with no dependencies.
 *
 * <p>Only the API packages are exported; {@code dev.bulwark.internal} stays private to the module.
 */
module dev.bulwark.core {
  exports dev.bulwark;
  exports dev.bulwark.bulkhead;
  exports dev.bulwark.circuitbreaker;
  exports dev.bulwark.fallback;
  exports dev.bulwark.idempotency;
  exports dev.bulwark.limit;
  exports dev.bulwark.ratelimit;
  exports dev.bulwark.retry;
  exports dev.bulwark.timeout;
}
