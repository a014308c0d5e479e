package dev.bulwark.idempotency;

/**
 * The key was used before for a request with another fingerprint: a client bug (or a collision of keys), so
 * the work does not run and nothing is replayed. An HTTP layer answers 422 Unprocessable Content.
 *
 * <pre>{@code
 * try {
 *   return orders.execute(key, sha256(body), () -> place(order));
 * } catch (IdempotencyKeyReuseException e) {
 *   return ResponseEntity.unprocessableEntity().body("Idempotency-Key already used for another request");
 * }
 * }</pre>
 */
public final class IdempotencyKeyReuseException extends IdempotencyException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param policyName the name of the idempotency policy
   */
  public IdempotencyKeyReuseException(String policyName) {
    super(policyName, "idempotency '" + policyName
        + "': the key was already used for a request with another fingerprint; the work did not run", null);
  }
}
