package dev.bulwark.idempotency;

import dev.bulwark.CallNotPermittedException;
import dev.bulwark.PolicyKind;

/**
 * Another execution of the same key is in progress and holds a live lease, so this one did not run (nor,
 * if the policy waits for completion, did the first finish within the wait). {@link #retryAfter()} is the
 * remaining lease: by then the first has finished, or its lease has lapsed and a repeat takes over. An HTTP
 * layer answers 409 Conflict with {@code Retry-After}.
 *
 * <pre>{@code
 * try {
 *   return payments.execute(key, fingerprint, () -> charge(request));
 * } catch (IdempotencyInProgressException e) {
 *   response.setHeader("Retry-After", String.valueOf(e.retryAfter().orElseThrow().toSeconds() + 1));
 *   return conflict("a request with this Idempotency-Key is being processed");
 * }
 * }</pre>
 */
public final class IdempotencyInProgressException extends CallNotPermittedException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the rejection, without a stack trace.
   *
   * @param policyName the name of the idempotency policy
   * @param retryAfterNanos the remaining lease of the execution in progress, in nanoseconds
   */
  public IdempotencyInProgressException(String policyName, long retryAfterNanos) {
    super(PolicyKind.IDEMPOTENCY, policyName, retryAfterNanos);
  }

  @Override
  protected String reason() {
    return "rejected the call: another execution of the same key is in progress";
  }
}
