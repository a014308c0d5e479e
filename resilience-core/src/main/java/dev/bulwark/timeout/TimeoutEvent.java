package dev.bulwark.timeout;

import java.time.Duration;

/**
 * What a {@link Timeout} did, delivered to the listeners given to {@link Timeout.Builder}; only created when
 * someone listens.
 *
 * <pre>{@code
 * Timeout timeout = Timeout.builder("inventory")
 *     .listener(TimeoutEvent.TimedOut.class, e -> log.warn("{} timed out after {}", e.name(), e.expiredAfter()))
 *     .build();
 * }</pre>
 */
public sealed interface TimeoutEvent permits TimeoutEvent.TimedOut {

  /**
   * Returns the name of the timeout.
   *
   * @return the policy name
   */
  String name();

  /**
   * A call ran out of time.
   *
   * <pre>{@code
   * timeoutBuilder.listener(TimeoutEvent.TimedOut.class, e -> timeouts.increment());
   * }</pre>
   *
   * @param name the name of the timeout
   * @param timeout the configured timeout
   * @param expiredAfter how long the policy waited (less than the timeout when the deadline came first)
   * @param deadlineReached whether the deadline ended the wait
   */
  record TimedOut(String name, Duration timeout, Duration expiredAfter, boolean deadlineReached)
      implements TimeoutEvent {}
}
