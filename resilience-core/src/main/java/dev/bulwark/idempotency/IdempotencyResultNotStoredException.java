package dev.bulwark.idempotency;

/**
 * The first execution of this key succeeded, but its result could not be stored (larger than
 * {@link IdempotencyConfig#maxResultBytes()} or the store's limit, or the codec could not encode it), so a
 * repeat cannot replay it. The first caller got its result; repeats get this exception, never a second
 * execution.
 *
 * <pre>{@code
 * try {
 *   return reports.execute(key, fingerprint, () -> render(request));
 * } catch (IdempotencyResultNotStoredException e) {
 *   return conflict("already processed; the response was too large to keep: " + e.reason());
 * }
 * }</pre>
 */
public final class IdempotencyResultNotStoredException extends IdempotencyException {
  private static final long serialVersionUID = 1L;

  private final String reason;

  /**
   * Creates the exception.
   *
   * @param policyName the name of the idempotency policy
   * @param reason why the result was not stored
   */
  public IdempotencyResultNotStoredException(String policyName, String reason) {
    super(policyName, "idempotency '" + policyName
        + "': the first execution succeeded but its result was not stored (" + reason + "); it cannot be replayed",
        null);
    this.reason = reason;
  }

  /**
   * Tells why the result was not stored.
   *
   * @return the reason
   */
  public String reason() {
    return reason;
  }
}
