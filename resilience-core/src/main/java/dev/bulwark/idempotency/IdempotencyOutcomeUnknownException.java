package dev.bulwark.idempotency;

/**
 * The first execution of this key failed in a way that may have had its side effect (classified
 * {@link FailureKind#UNKNOWN}), so the key is kept and flagged instead of released: repeats get this
 * exception, never a second execution, until the record expires or an operator resolves it with
 * {@link Idempotency#forget(String)}. An HTTP layer answers 500 and should alert.
 *
 * <pre>{@code
 * try {
 *   return payments.execute(key, fingerprint, () -> charge(request));
 * } catch (IdempotencyOutcomeUnknownException e) {
 *   alerts.raise("payment " + key + " needs reconciliation: " + e.failure());
 *   return serverError("the outcome of this payment is being checked");
 * }
 * }</pre>
 */
public final class IdempotencyOutcomeUnknownException extends IdempotencyException {
  private static final long serialVersionUID = 1L;

  private final String failure;

  /**
   * Creates the exception.
   *
   * @param policyName the name of the idempotency policy
   * @param failure a description of the first execution's failure (its type and message)
   */
  public IdempotencyOutcomeUnknownException(String policyName, String failure) {
    super(policyName, "idempotency '" + policyName + "': the first execution failed with an unknown outcome ("
        + failure + "); the key stays blocked until it expires or is forgotten", null);
    this.failure = failure;
  }

  /**
   * Describes the first execution's failure.
   *
   * @return its type and message
   */
  public String failure() {
    return failure;
  }
}
