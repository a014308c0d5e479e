package dev.bulwark.micrometer;

import dev.bulwark.ratelimit.RateLimiter;

/** The meters of a {@link RateLimiter}, read from {@link RateLimiter.Metrics}. */
final class RateLimiterMeters {
  static final String AVAILABLE_PERMITS = "bulwark.ratelimiter.available.permits";
  static final String WAITING_CALLS = "bulwark.ratelimiter.waiting.calls";
  static final String REJECTED_CALLS = "bulwark.ratelimiter.rejected.calls";

  private RateLimiterMeters() {}

  static PolicyBinder<RateLimiter> binder() {
    return new PolicyBinder<>(RateLimiter.class, RateLimiterMeters::bind);
  }

  static void bind(RateLimiter limiter, MeterSet meters) {
    meters.gauge(AVAILABLE_PERMITS, "Permits that could be taken now without waiting; negative while callers"
        + " wait for permits reserved ahead", null, limiter, l -> l.metrics().availablePermits());
    meters.gauge(WAITING_CALLS, "Callers waiting for reserved permits", null,
        limiter, l -> l.metrics().waitingCalls());
    meters.counter(REJECTED_CALLS, "Calls refused a permit", null,
        limiter, l -> l.metrics().rejectedCalls());
  }
}
