package dev.bulwark.circuitbreaker;

import java.util.Objects;

/**
 * What a {@link CircuitBreaker} tells its listeners: state transitions, the outcome of each call, rejections
 * and resets. Events are immutable values, created only when a listener for their type exists, and delivered
 * on the thread that caused them after the change has taken effect.
 *
 * <pre>{@code
 * CircuitBreaker breaker = CircuitBreaker.builder("payments")
 *     .listener(CircuitBreakerEvent.StateTransition.class,
 *         e -> log.warn("breaker {} went {} -> {}", e.name(), e.from(), e.to()))
 *     .listener(CircuitBreakerEvent.Rejected.class, e -> rejections.increment())
 *     .build();
 * }</pre>
 */
public sealed interface CircuitBreakerEvent {

  /**
   * Returns the name of the breaker that sent the event.
   *
   * @return the breaker's name
   */
  String name();

  /**
   * The breaker changed state.
   *
   * @param name the breaker's name
   * @param from the state before
   * @param to the state after
   */
  record StateTransition(String name, CircuitBreaker.State from, CircuitBreaker.State to)
      implements CircuitBreakerEvent {
    /**
     * Checks the components.
     *
     * @param name the breaker's name
     * @param from the state before
     * @param to the state after
     */
    public StateTransition {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
    }
  }

  /**
   * A permitted call succeeded (or failed with an exception the classifier does not count as a failure).
   *
   * @param name the breaker's name
   * @param durationNanos how long the call took
   * @param slow whether the call was slow
   */
  record Success(String name, long durationNanos, boolean slow) implements CircuitBreakerEvent {}

  /**
   * A permitted call failed.
   *
   * @param name the breaker's name
   * @param durationNanos how long the call took
   * @param slow whether the call was slow
   * @param error what the call threw, or {@code null} when a result was classified as a failure
   */
  record Failure(String name, long durationNanos, boolean slow, Throwable error) implements CircuitBreakerEvent {}

  /**
   * A permitted call ended with an outcome the classifier ignores, or its permit was released (cancelled);
   * it counts for nothing and a half-open probe slot is given back.
   *
   * @param name the breaker's name
   * @param durationNanos how long the call took, or {@code -1} when the permit was released
   * @param error the ignored exception, or {@code null} when the permit was released
   */
  record Ignored(String name, long durationNanos, Throwable error) implements CircuitBreakerEvent {}

  /**
   * The breaker rejected a call.
   *
   * @param name the breaker's name
   * @param state the state that rejected it
   * @param retryAfterNanos nanoseconds until calls may be admitted, or {@code -1} if unknown
   */
  record Rejected(String name, CircuitBreaker.State state, long retryAfterNanos) implements CircuitBreakerEvent {}

  /**
   * The breaker was reset to a fresh {@link CircuitBreaker.State#CLOSED CLOSED} state.
   *
   * @param name the breaker's name
   */
  record Reset(String name) implements CircuitBreakerEvent {}
}
