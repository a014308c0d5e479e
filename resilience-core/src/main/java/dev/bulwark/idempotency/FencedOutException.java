package dev.bulwark.idempotency;

/**
 * This execution lost its claim before it could record its outcome: its lease lapsed and another execution
 * took the key over (or the record expired or was deleted), so the store refused its write. The work did
 * run, and the other execution may run it too: a lease shorter than the work, without a heartbeat, allows
 * exactly this. The outcome recorded for the key, if any, is the other execution's.
 *
 * <pre>{@code
 * try {
 *   return exports.execute(key, fingerprint, () -> runExport(job));
 * } catch (FencedOutException e) {
 *   log.warn("export {} lost its lease (fencing token {}); raise the lease or enable the heartbeat",
 *       job, e.fencingToken());
 *   throw e;
 * }
 * }</pre>
 */
public final class FencedOutException extends IdempotencyException {
  private static final long serialVersionUID = 1L;

  private final long fencingToken;

  /**
   * Creates the exception.
   *
   * @param policyName the name of the idempotency policy
   * @param fencingToken the fencing token this execution held
   * @param operation the write that was refused, such as {@code "complete"}
   */
  public FencedOutException(String policyName, long fencingToken, String operation) {
    super(policyName, "idempotency '" + policyName + "': fenced out at " + operation + " (fencing token "
        + fencingToken + "): another execution took the key over, or the record expired or was deleted; "
        + "this execution's outcome was not recorded", null);
    this.fencingToken = fencingToken;
  }

  /**
   * Returns the fencing token this execution held.
   *
   * @return the fencing token
   */
  public long fencingToken() {
    return fencingToken;
  }
}
