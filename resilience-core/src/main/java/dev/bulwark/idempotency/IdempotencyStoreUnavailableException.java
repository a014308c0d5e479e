package dev.bulwark.idempotency;

/**
 * The idempotency store could not answer. Thrown instead of running the work when the policy fails closed
 * (the default), and attached as a suppressed exception to the work's own failure when releasing or
 * recording it failed. An HTTP layer answers 503 Service Unavailable.
 *
 * <pre>{@code
 * try {
 *   return payments.execute(key, fingerprint, () -> charge(request));
 * } catch (IdempotencyStoreUnavailableException e) {
 *   return serviceUnavailable("cannot guarantee exactly-once right now: " + e.getMessage());
 * }
 * }</pre>
 */
public final class IdempotencyStoreUnavailableException extends IdempotencyException {
  private static final long serialVersionUID = 1L;

  private final String operation;

  /**
   * Creates the exception.
   *
   * @param policyName the name of the idempotency policy
   * @param operation the store operation that failed, such as {@code "claim"}
   * @param workRan whether the work had run before the store failed
   * @param cause the store's failure
   */
  public IdempotencyStoreUnavailableException(
      String policyName, String operation, boolean workRan, Throwable cause) {
    super(policyName, "idempotency '" + policyName + "': the store failed to " + operation
        + (workRan ? "" : "; failing closed, the work did not run")
        + (cause == null ? "" : ": " + cause), cause);
    this.operation = operation;
  }

  /**
   * Returns the store operation that failed: {@code claim}, {@code complete}, {@code release} or
   * {@code renew}.
   *
   * @return the operation
   */
  public String operation() {
    return operation;
  }
}
