package dev.bulwark;

/**
 * Receives a policy's events. Listeners are fixed when the policy is built, called after the state change
 * they describe has taken effect, on the thread that caused it. A listener that throws is logged once and
 * never breaks a call. No event object is created for a kind of event nobody listens to.
 *
 * <pre>{@code
 * CircuitBreaker breaker = CircuitBreaker.builder("payments")
 *     .listener(CircuitBreakerEvent.StateTransition.class,
 *         e -> log.warn("breaker {} went {} -> {}", e.name(), e.from(), e.to()))
 *     .build();
 * }</pre>
 *
 * @param <E> the event type
 */
@FunctionalInterface
public interface EventListener<E> {

  /**
   * Handles an event. Should be quick: it runs on the caller's thread.
   *
   * @param event the event, never {@code null}
   */
  void onEvent(E event);
}
