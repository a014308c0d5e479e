package dev.bulwark.bulkhead;

import dev.bulwark.CallNotPermittedException;
import dev.bulwark.PolicyKind;

/**
 * A thread-pool bulkhead was shut down before the call could run: either the call was submitted after
 * {@link ThreadPoolBulkhead#shutdown()}, or it was still queued when the bulkhead shut down. The call never
 * started; nothing is silently dropped.
 *
 * <pre>{@code
 * bulkhead.shutdown();
 * bulkhead.submit(() -> work()).exceptionally(e -> {
 *   // e is a CompletionException whose cause is a BulkheadShutDownException
 *   return null;
 * });
 * }</pre>
 */
public class BulkheadShutDownException extends CallNotPermittedException {
  private static final long serialVersionUID = 1L;

  private final boolean wasQueued;

  /**
   * Creates the rejection.
   *
   * @param bulkheadName the bulkhead's name
   * @param wasQueued whether the call had been accepted and was waiting in the queue
   */
  protected BulkheadShutDownException(String bulkheadName, boolean wasQueued) {
    super(PolicyKind.BULKHEAD, bulkheadName, UNKNOWN);
    this.wasQueued = wasQueued;
  }

  /**
   * Tells whether the call had been accepted and was still queued when the bulkhead shut down (as opposed
   * to being submitted afterwards).
   *
   * @return {@code true} for work pending at shutdown
   */
  public boolean wasQueued() {
    return wasQueued;
  }

  @Override
  protected String reason() {
    return wasQueued
        ? "was shut down while the call was queued; the call never ran"
        : "is shut down and accepts no new calls";
  }
}
