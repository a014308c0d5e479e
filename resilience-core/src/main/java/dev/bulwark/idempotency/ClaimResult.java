package dev.bulwark.idempotency;

import java.time.Duration;
import java.util.Objects;

/**
 * What {@link IdempotencyStore#claim} found and did: the caller now owns the key, or the key is completed,
 * in progress elsewhere, or taken by a different request.
 *
 * <p>Stores create results with the static factories; the executor reads {@link #status()} and the
 * accessors that status allows. An accessor asked for a value its status does not carry throws
 * {@link IllegalStateException}.
 *
 * <pre>{@code
 * ClaimResult claim = store.claim(keyHash, fingerprint, owner, Duration.ofSeconds(30), Duration.ofHours(24));
 * switch (claim.status()) {
 *   case CLAIMED -> run(claim.fencingToken());
 *   case COMPLETED -> replay(claim.record().result());
 *   case IN_PROGRESS -> reject(claim.retryAfter());
 *   case FINGERPRINT_MISMATCH -> rejectKeyReuse();
 * }
 * }</pre>
 */
public final class ClaimResult {

  /** The four answers of a claim. */
  public enum Status {
    /** The caller owns the key now (a new record, or a takeover of a lapsed lease) and should run the work. */
    CLAIMED,
    /** The key holds a completed record with the same fingerprint: replay its result. */
    COMPLETED,
    /** Another execution holds a live lease on the key. */
    IN_PROGRESS,
    /** The key's live record was made for a request with a different fingerprint. */
    FINGERPRINT_MISMATCH
  }

  private static final ClaimResult MISMATCH = new ClaimResult(Status.FINGERPRINT_MISMATCH, 0, false, null, null);

  private final Status status;
  private final long fencingToken;
  private final boolean takeover;
  private final IdempotencyRecord record;
  private final Duration retryAfter;

  private ClaimResult(
      Status status, long fencingToken, boolean takeover, IdempotencyRecord record, Duration retryAfter) {
    this.status = status;
    this.fencingToken = fencingToken;
    this.takeover = takeover;
    this.record = record;
    this.retryAfter = retryAfter;
  }

  /**
   * The caller owns the key.
   *
   * @param fencingToken the record's fencing token, at least 1; a takeover's is greater than the previous
   *     owner's
   * @param takeover {@code true} if the claim took over an in-progress record whose lease had lapsed,
   *     {@code false} for a new record
   * @return the result
   */
  public static ClaimResult claimed(long fencingToken, boolean takeover) {
    StoreArguments.requireFencingToken(fencingToken);
    return new ClaimResult(Status.CLAIMED, fencingToken, takeover, null, null);
  }

  /**
   * The key holds a completed record with the same fingerprint.
   *
   * @param record the completed record
   * @return the result
   * @throws IllegalArgumentException if the record is not completed
   */
  public static ClaimResult completed(IdempotencyRecord record) {
    Objects.requireNonNull(record, "record");
    if (record.state() != IdempotencyRecord.State.COMPLETED) {
      throw new IllegalArgumentException("record must be COMPLETED, was " + record.state());
    }
    return new ClaimResult(Status.COMPLETED, 0, false, record, null);
  }

  /**
   * Another execution holds a live lease on the key.
   *
   * @param retryAfter how long until that lease lapses (the remaining lease); positive
   * @return the result
   */
  public static ClaimResult inProgress(Duration retryAfter) {
    StoreArguments.requirePositive("retryAfter", retryAfter);
    return new ClaimResult(Status.IN_PROGRESS, 0, false, null, retryAfter);
  }

  /**
   * The key's live record belongs to a request with a different fingerprint.
   *
   * @return the result (a shared instance)
   */
  public static ClaimResult fingerprintMismatch() {
    return MISMATCH;
  }

  /**
   * Returns what the claim found and did.
   *
   * @return the status
   */
  public Status status() {
    return status;
  }

  /**
   * Returns the fencing token of a {@link Status#CLAIMED} result.
   *
   * @return the fencing token, at least 1
   * @throws IllegalStateException for any other status
   */
  public long fencingToken() {
    require(Status.CLAIMED, "fencingToken");
    return fencingToken;
  }

  /**
   * Tells whether a {@link Status#CLAIMED} result took over a lapsed lease.
   *
   * @return {@code true} for a takeover, {@code false} for a new record
   * @throws IllegalStateException for any other status
   */
  public boolean isTakeover() {
    require(Status.CLAIMED, "isTakeover");
    return takeover;
  }

  /**
   * Returns the completed record of a {@link Status#COMPLETED} result.
   *
   * @return the record
   * @throws IllegalStateException for any other status
   */
  public IdempotencyRecord record() {
    require(Status.COMPLETED, "record");
    return record;
  }

  /**
   * Returns the remaining lease of an {@link Status#IN_PROGRESS} result.
   *
   * @return a positive duration
   * @throws IllegalStateException for any other status
   */
  public Duration retryAfter() {
    require(Status.IN_PROGRESS, "retryAfter");
    return retryAfter;
  }

  private void require(Status expected, String accessor) {
    if (status != expected) {
      throw new IllegalStateException(accessor + "() needs status " + expected + ", was " + status);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClaimResult other
        && status == other.status
        && fencingToken == other.fencingToken
        && takeover == other.takeover
        && Objects.equals(record, other.record)
        && Objects.equals(retryAfter, other.retryAfter);
  }

  @Override
  public int hashCode() {
    return Objects.hash(status, fencingToken, takeover, record, retryAfter);
  }

  @Override
  public String toString() {
    switch (status) {
      case CLAIMED:
        return "ClaimResult[CLAIMED, fencingToken=" + fencingToken + (takeover ? ", takeover" : "") + "]";
      case COMPLETED:
        return "ClaimResult[COMPLETED, " + record + "]";
      case IN_PROGRESS:
        return "ClaimResult[IN_PROGRESS, retryAfter=" + retryAfter + "]";
      default:
        return "ClaimResult[FINGERPRINT_MISMATCH]";
    }
  }
}
