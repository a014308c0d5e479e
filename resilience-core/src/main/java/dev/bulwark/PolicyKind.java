package dev.bulwark;

/**
 * The kinds of policy, declared in the order a {@link Pipeline} nests them, outermost first.
 *
 * <p>The order is the one documented in {@code docs/architecture.md}:
 * {@code Fallback(Idempotency(Retry(CircuitBreaker(RateLimiter(LoadShedder(Bulkhead(Timeout(call))))))))}.
 * So a timeout bounds one attempt, every retry of one operation runs under one idempotency claim, a retry
 * consults the breaker before each attempt, and a fallback sees the final failure.
 *
 * <pre>{@code
 * if (policy.kind().compareTo(PolicyKind.RETRY) > 0) {
 *   // policy sits inside the retry: it sees every attempt
 * }
 * }</pre>
 */
public enum PolicyKind {
  /** Replaces a final failure with a degraded result. */
  FALLBACK,
  /** Runs work at most once per idempotency key. */
  IDEMPOTENCY,
  /** Repeats failed attempts with backoff. */
  RETRY,
  /** Stops calling a failing dependency for a while. */
  CIRCUIT_BREAKER,
  /** Caps the rate at which calls are admitted. */
  RATE_LIMITER,
  /** Adaptive concurrency limit and priority shedding. */
  LOAD_SHEDDER,
  /** Caps concurrent calls to one dependency. */
  BULKHEAD,
  /** Bounds the duration of one attempt. */
  TIMEOUT
}
