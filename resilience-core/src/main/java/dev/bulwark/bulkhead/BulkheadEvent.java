package dev.bulwark.bulkhead;

/**
 * What happened in a {@link Bulkhead} or {@link ThreadPoolBulkhead}. Events are immutable values, created
 * only when a listener for their type is registered, and delivered after the change they describe.
 *
 * <pre>{@code
 * Bulkhead bulkhead = Bulkhead.builder("payments")
 *     .config(config)
 *     .listener(BulkheadEvent.CallRejected.class,
 *         e -> log.warn("bulkhead {} rejected a call: {}", e.bulkheadName(), e.rejection()))
 *     .build();
 * }</pre>
 */
public sealed interface BulkheadEvent {

  /**
   * Returns the name of the bulkhead the event comes from.
   *
   * @return the bulkhead's name
   */
  String bulkheadName();

  /**
   * A call got a slot (or a thread-pool task was accepted).
   *
   * @param bulkheadName the bulkhead's name
   * @param waitedNanos how long the caller waited for the slot; zero on the fast path
   */
  record CallPermitted(String bulkheadName, long waitedNanos) implements BulkheadEvent {}

  /**
   * A call was rejected.
   *
   * @param bulkheadName the bulkhead's name
   * @param rejection why
   */
  record CallRejected(String bulkheadName, BulkheadFullException.Rejection rejection)
      implements BulkheadEvent {}

  /**
   * A call that held a slot finished and gave the slot back.
   *
   * @param bulkheadName the bulkhead's name
   */
  record CallFinished(String bulkheadName) implements BulkheadEvent {}

  /**
   * The concurrency limit was changed at run time.
   *
   * @param bulkheadName the bulkhead's name
   * @param from the previous limit
   * @param to the new limit
   */
  record LimitChanged(String bulkheadName, int from, int to) implements BulkheadEvent {}

  /**
   * A thread-pool bulkhead shut down.
   *
   * @param bulkheadName the bulkhead's name
   * @param rejectedPendingCalls how many queued calls were rejected with a {@link BulkheadShutDownException}
   */
  record ShutDown(String bulkheadName, int rejectedPendingCalls) implements BulkheadEvent {}
}
