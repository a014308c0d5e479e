package dev.bulwark.micrometer;

import dev.bulwark.retry.Retry;
import io.micrometer.core.instrument.Tag;

/**
 * The meters of a {@link Retry}, read from {@link Retry.Metrics}.
 *
 * <p>{@code calls} counts every finished call once, by {@code kind}, so its sum is the traffic through the
 * retry; {@code retries} counts the extra attempts it sent (the amplification); {@code stopped.calls} counts
 * the calls that would have been retried but were stopped by the budget or by time, each of which is also in
 * {@code calls} as a failure.
 */
final class RetryMeters {
  static final String CALLS = "bulwark.retry.calls";
  static final String RETRIES = "bulwark.retry.retries";
  static final String STOPPED_CALLS = "bulwark.retry.stopped.calls";
  static final String BUDGET_BALANCE = "bulwark.retry.budget.balance";

  private RetryMeters() {}

  static PolicyBinder<Retry> binder() {
    return new PolicyBinder<>(Retry.class, RetryMeters::bind);
  }

  static void bind(Retry retry, MeterSet meters) {
    String calls = "Finished calls, by whether they succeeded and whether they were retried";
    meters.counter(CALLS, calls, null, retry, r -> r.metrics().successfulCallsWithoutRetry(),
        Tag.of("kind", "successful_without_retry"));
    meters.counter(CALLS, calls, null, retry, r -> r.metrics().successfulCallsWithRetry(),
        Tag.of("kind", "successful_with_retry"));
    meters.counter(CALLS, calls, null, retry, r -> r.metrics().failedCallsWithoutRetry(),
        Tag.of("kind", "failed_without_retry"));
    meters.counter(CALLS, calls, null, retry, r -> r.metrics().failedCallsWithRetry(),
        Tag.of("kind", "failed_with_retry"));
    meters.counter(RETRIES, "Attempts beyond the first of each call", null,
        retry, r -> r.metrics().retries());
    String stopped = "Failed calls that were not retried (further): the budget was exhausted, or time was up";
    meters.counter(STOPPED_CALLS, stopped, null, retry, r -> r.metrics().callsStoppedByBudget(),
        Tag.of("kind", "budget_exhausted"));
    meters.counter(STOPPED_CALLS, stopped, null, retry, r -> r.metrics().callsStoppedByTime(),
        Tag.of("kind", "time_exhausted"));
    meters.gauge(BUDGET_BALANCE,
        "Retry budget level: retries still allowed (ratio) or tokens (token bucket); +Inf when unlimited", null,
        retry, r -> r.metrics().budgetBalance());
  }
}
