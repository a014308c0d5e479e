package dev.bulwark.circuitbreaker;

import dev.bulwark.CallNotPermittedException;
import dev.bulwark.PolicyKind;
import java.util.Objects;

/**
 * A {@link CircuitBreaker} rejected a call: it is {@link CircuitBreaker.State#OPEN OPEN},
 * {@link CircuitBreaker.State#FORCED_OPEN FORCED_OPEN}, or {@link CircuitBreaker.State#HALF_OPEN HALF_OPEN}
 * with every probe taken.
 *
 * <p>Like every rejection it has no stack trace and builds its message only when asked, for example
 * {@code "circuit breaker 'payments' is OPEN; a call may be admitted in 27412 ms"}. {@link #retryAfter()}
 * tells how long until the breaker may admit calls again: the rest of the open duration when open, the rest
 * of the half-open episode at the latest when half-open, unknown when forced open.
 *
 * <pre>{@code
 * try {
 *   return breaker.call(() -> payments.charge(order));
 * } catch (CircuitBreakerOpenException e) {
 *   log.info("{} is {}, retry in {}", e.policyName(), e.state(), e.retryAfter().orElse(null));
 *   return Charge.deferred(order);
 * }
 * }</pre>
 */
public class CircuitBreakerOpenException extends CallNotPermittedException {
  private static final long serialVersionUID = 1L;

  private final CircuitBreaker.State state;

  /**
   * Creates a rejection without a stack trace.
   *
   * @param name the breaker's name
   * @param state the state that rejected the call
   * @param retryAfterNanos nanoseconds until calls may be admitted, or {@link #UNKNOWN}
   */
  public CircuitBreakerOpenException(String name, CircuitBreaker.State state, long retryAfterNanos) {
    super(PolicyKind.CIRCUIT_BREAKER, name, retryAfterNanos);
    this.state = Objects.requireNonNull(state, "state");
  }

  /**
   * Returns the state of the breaker when it rejected the call.
   *
   * @return the state
   */
  public CircuitBreaker.State state() {
    return state;
  }

  @Override
  protected String reason() {
    switch (state) {
      case HALF_OPEN:
        return "is HALF_OPEN and all its probe calls are taken";
      case FORCED_OPEN:
        return "is FORCED_OPEN and rejects every call until it is transitioned manually";
      default:
        return "is " + state;
    }
  }
}
