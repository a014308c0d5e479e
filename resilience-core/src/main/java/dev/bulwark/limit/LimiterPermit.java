package dev.bulwark.limit;

import dev.bulwark.Permit;

/**
 * A permit of a {@link ConcurrencyLimiter} or {@link LoadShedder}: one call's slot under the limit.
 *
 * <p>The limiter measures the round-trip time itself, from admission to completion on its own clock, so the
 * {@code durationNanos} arguments of {@link Permit} are ignored and the no-argument methods suffice. Report
 * exactly one outcome:
 * <ul>
 *   <li>{@link #onSuccess()}: the call completed; its round-trip time is a sample;</li>
 *   <li>{@link #onDropped()}: the call timed out or the dependency signalled overload (HTTP 429 or 503, gRPC
 *       RESOURCE_EXHAUSTED); it lowers the limit and contributes no round-trip time, so a fast rejection never
 *       looks like a fast success;</li>
 *   <li>{@link #onIgnore()} (or {@link #release()}): the call says nothing about the dependency's capacity
 *       (cancelled, failed validation); the slot is freed and nothing is recorded.</li>
 * </ul>
 * {@link #onResult(long, Object)} and {@link #onFailure(long, Throwable)} let the limiter's classifier choose.
 * Completing a permit a second time, or after its slot has been reused, does nothing: only the first
 * completion counts and frees the slot. (If two threads complete the same permit at once, the loser's call may
 * return a moment before the winner's has freed the slot.)
 *
 * <pre>{@code
 * LimiterPermit permit = limiter.tryAcquirePermit();
 * if (permit == null) {
 *   return Response.status(503).header("Retry-After", "1").build();
 * }
 * try {
 *   Response response = backend.send(request);
 *   if (response.status() == 429) {
 *     permit.onDropped();
 *   } else {
 *     permit.onSuccess();
 *   }
 *   return response;
 * } catch (TimeoutException e) {
 *   permit.onDropped();
 *   throw e;
 * } catch (RuntimeException e) {
 *   permit.onIgnore();
 *   throw e;
 * }
 * }</pre>
 */
public interface LimiterPermit extends Permit {

  /** Reports that the call completed; its round-trip time, measured by the limiter, is a sample. */
  void onSuccess();

  /** Reports that the call timed out or was refused by an overloaded dependency: the limit should fall. */
  void onDropped();

  /** Frees the slot without recording anything. */
  void onIgnore();

  /**
   * Reports success; {@code durationNanos} is ignored, the limiter measures the call itself.
   *
   * @param durationNanos ignored
   */
  @Override
  default void onSuccess(long durationNanos) {
    onSuccess();
  }

  /** Same as {@link #onIgnore()}. */
  @Override
  default void release() {
    onIgnore();
  }
}
