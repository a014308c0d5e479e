package dev.bulwark.micrometer;

import dev.bulwark.circuitbreaker.CircuitBreaker;
import dev.bulwark.circuitbreaker.CircuitBreaker.State;
import io.micrometer.core.instrument.Tag;
import java.util.Locale;

/**
 * The meters of a {@link CircuitBreaker}, read from {@link CircuitBreaker.Metrics}.
 *
 * <p>{@code calls} counts every call once by how it ended, so its sum is the breaker's traffic; slow calls
 * are also successful or failed, so they have a counter of their own rather than an {@code outcome}.
 */
final class CircuitBreakerMeters {
  static final String STATE = "bulwark.circuitbreaker.state";
  static final String CALLS = "bulwark.circuitbreaker.calls";
  static final String SLOW_CALLS = "bulwark.circuitbreaker.slow.calls";
  static final String FAILURE_RATE = "bulwark.circuitbreaker.failure.rate";
  static final String SLOW_CALL_RATE = "bulwark.circuitbreaker.slow.call.rate";
  static final String BUFFERED_CALLS = "bulwark.circuitbreaker.buffered.calls";

  private CircuitBreakerMeters() {}

  static PolicyBinder<CircuitBreaker> binder() {
    return new PolicyBinder<>(CircuitBreaker.class, CircuitBreakerMeters::bind);
  }

  static void bind(CircuitBreaker breaker, MeterSet meters) {
    for (State state : State.values()) {
      meters.gauge(STATE, "1 while the breaker is in this state, else 0", null,
          breaker, b -> b.metrics().state() == state ? 1 : 0, Tag.of("state", lower(state)));
    }
    String calls = "Calls by how they ended";
    meters.counter(CALLS, calls, null,
        breaker, b -> b.metrics().totalSuccessfulCalls(), Tag.of("outcome", "successful"));
    meters.counter(CALLS, calls, null,
        breaker, b -> b.metrics().totalFailedCalls(), Tag.of("outcome", "failed"));
    meters.counter(CALLS, calls, null,
        breaker, b -> b.metrics().totalIgnoredCalls(), Tag.of("outcome", "ignored"));
    meters.counter(CALLS, calls, null,
        breaker, b -> b.metrics().totalReleasedCalls(), Tag.of("outcome", "cancelled"));
    meters.counter(CALLS, calls, null,
        breaker, b -> b.metrics().totalNotPermittedCalls(), Tag.of("outcome", "not_permitted"));
    meters.counter(SLOW_CALLS, "Permitted calls slower than the slow-call threshold, successful or failed",
        null, breaker, b -> b.metrics().totalSlowCalls());
    meters.gauge(FAILURE_RATE, "Failure rate of the current window; NaN until the minimum number of calls",
        "percent", breaker, b -> rate(b.metrics().failureRate()));
    meters.gauge(SLOW_CALL_RATE, "Slow-call rate of the current window; NaN until the minimum number of calls",
        "percent", breaker, b -> rate(b.metrics().slowCallRate()));
    meters.gauge(BUFFERED_CALLS, "Calls recorded in the current window", null,
        breaker, b -> b.metrics().bufferedCalls());
    meters.alsoRemoveOnClose(CircuitBreakerCallTimer.NAME);
  }

  /** The view says -1 for "not enough calls yet"; a gauge says that with NaN, which no alert fires on. */
  private static double rate(double percent) {
    return percent < 0 ? Double.NaN : percent;
  }

  static String lower(State state) {
    return state.name().toLowerCase(Locale.ROOT);
  }
}
