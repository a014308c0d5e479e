package dev.bulwark.micrometer;

import java.util.List;

/**
 * The built-in binders, one per kind of policy with a metrics view. Order matters where one policy type
 * extends another: the more specific type comes first.
 */
final class Binders {
  private Binders() {}

  static List<PolicyBinder<?>> all() {
    return List.of(
        CircuitBreakerMeters.binder(),
        RetryMeters.binder(),
        BulkheadMeters.semaphore(),
        BulkheadMeters.pool(),
        RateLimiterMeters.binder(),
        LimitMeters.shedder(),
        LimitMeters.limiter(),
        LimitMeters.throttle(),
        IdempotencyMeters.binder());
  }
}
