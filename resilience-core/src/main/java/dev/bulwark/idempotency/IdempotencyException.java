package dev.bulwark.idempotency;

import dev.bulwark.BulwarkException;
import java.util.Objects;

/**
 * The base of the exceptions an {@link Idempotency} policy throws itself (the in-progress rejection excepted,
 * which is a {@link dev.bulwark.CallNotPermittedException} so it carries a retry-after like every rejection).
 *
 * <pre>{@code
 * try {
 *   return payments.execute(key, fingerprint, () -> charge(request));
 * } catch (IdempotencyKeyReuseException e) {
 *   return unprocessable("Idempotency-Key reused with another request");
 * } catch (IdempotencyException e) {
 *   return serverError(e.getMessage());
 * }
 * }</pre>
 */
public class IdempotencyException extends BulwarkException {
  private static final long serialVersionUID = 1L;

  private final String policyName;

  /**
   * Creates the exception.
   *
   * @param policyName the name of the idempotency policy
   * @param message the message, which should not contain the raw key
   * @param cause the cause, or {@code null}
   */
  public IdempotencyException(String policyName, String message, Throwable cause) {
    super(message, cause);
    this.policyName = Objects.requireNonNull(policyName, "policyName");
  }

  /**
   * Returns the name of the idempotency policy that threw.
   *
   * @return the policy name
   */
  public String policyName() {
    return policyName;
  }
}
