package dev.bulwark.idempotency;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * A snapshot of one key's live record, as a store read it: in progress (owned, leased) or completed (holding
 * the encoded outcome).
 *
 * <p>Times are relative to the store's clock at the moment of the read: {@link #leaseRemaining()} and
 * {@link #timeToLive()} are durations from then, never instants, because only the store's clock decides
 * expiry. Stores create records with the two factories.
 *
 * <pre>{@code
 * store.read(keyHash).ifPresent(record -> {
 *   if (record.state() == IdempotencyRecord.State.IN_PROGRESS) {
 *     log.info("owned by {} (fencing {}), lease {} left", record.ownerToken(), record.fencingToken(),
 *         record.leaseRemaining());
 *   }
 * });
 * }</pre>
 */
public final class IdempotencyRecord {

  /** The two states of a live record. */
  public enum State {
    /** An execution owns the key and has not finished. */
    IN_PROGRESS,
    /** The execution finished; the record holds its encoded outcome. */
    COMPLETED
  }

  private final State state;
  private final String fingerprint;
  private final String ownerToken;
  private final long fencingToken;
  private final Duration leaseRemaining;
  private final Duration timeToLive;
  private final byte[] result;

  private IdempotencyRecord(State state, String fingerprint, String ownerToken, long fencingToken,
      Duration leaseRemaining, Duration timeToLive, byte[] result) {
    this.state = state;
    this.fingerprint = fingerprint;
    this.ownerToken = ownerToken;
    this.fencingToken = fencingToken;
    this.leaseRemaining = leaseRemaining;
    this.timeToLive = timeToLive;
    this.result = result;
  }

  /**
   * Describes an in-progress record.
   *
   * @param fingerprint the fingerprint hash it was claimed with
   * @param ownerToken the current owner's token
   * @param fencingToken the current owner's fencing token, at least 1
   * @param leaseRemaining how long until the lease lapses; zero if it has
   * @param timeToLive how long until the record expires; positive
   * @return the record
   */
  public static IdempotencyRecord inProgress(String fingerprint, String ownerToken, long fencingToken,
      Duration leaseRemaining, Duration timeToLive) {
    StoreArguments.requireFingerprint(fingerprint);
    StoreArguments.requireOwnerToken(ownerToken);
    StoreArguments.requireFencingToken(fencingToken);
    Objects.requireNonNull(leaseRemaining, "leaseRemaining");
    if (leaseRemaining.isNegative()) {
      throw new IllegalArgumentException("leaseRemaining must be >= 0, was " + leaseRemaining);
    }
    StoreArguments.requirePositive("timeToLive", timeToLive);
    return new IdempotencyRecord(
        State.IN_PROGRESS, fingerprint, ownerToken, fencingToken, leaseRemaining, timeToLive, null);
  }

  /**
   * Describes a completed record.
   *
   * @param fingerprint the fingerprint hash it was claimed with
   * @param ownerToken the token of the owner that completed it
   * @param fencingToken that owner's fencing token, at least 1
   * @param result the encoded outcome as stored; the record keeps the array (no copy)
   * @param timeToLive how long until the record expires; positive
   * @return the record
   */
  public static IdempotencyRecord completed(
      String fingerprint, String ownerToken, long fencingToken, byte[] result, Duration timeToLive) {
    StoreArguments.requireFingerprint(fingerprint);
    StoreArguments.requireOwnerToken(ownerToken);
    StoreArguments.requireFencingToken(fencingToken);
    Objects.requireNonNull(result, "result");
    StoreArguments.requirePositive("timeToLive", timeToLive);
    return new IdempotencyRecord(
        State.COMPLETED, fingerprint, ownerToken, fencingToken, Duration.ZERO, timeToLive, result);
  }

  /** An in-progress record from values a store already validated when they were written. */
  static IdempotencyRecord trustedInProgress(String fingerprint, String ownerToken, long fencingToken,
      Duration leaseRemaining, Duration timeToLive) {
    return new IdempotencyRecord(
        State.IN_PROGRESS, fingerprint, ownerToken, fencingToken, leaseRemaining, timeToLive, null);
  }

  /** A completed record from values a store already validated when they were written. */
  static IdempotencyRecord trustedCompleted(
      String fingerprint, String ownerToken, long fencingToken, byte[] result, Duration timeToLive) {
    return new IdempotencyRecord(
        State.COMPLETED, fingerprint, ownerToken, fencingToken, Duration.ZERO, timeToLive, result);
  }

  /**
   * Returns the state.
   *
   * @return in progress or completed
   */
  public State state() {
    return state;
  }

  /**
   * Returns the fingerprint hash the record was claimed with.
   *
   * @return 64 lower-case hex characters
   */
  public String fingerprint() {
    return fingerprint;
  }

  /**
   * Returns the token of the owner: the current one while in progress, the completing one once completed.
   *
   * @return 32 lower-case hex characters
   */
  public String ownerToken() {
    return ownerToken;
  }

  /**
   * Returns the owner's fencing token.
   *
   * @return at least 1
   */
  public long fencingToken() {
    return fencingToken;
  }

  /**
   * Returns how long the lease of an in-progress record had left when it was read; zero once lapsed, and
   * always zero for a completed record.
   *
   * @return a duration, not negative
   */
  public Duration leaseRemaining() {
    return leaseRemaining;
  }

  /**
   * Returns how long the record had left to live when it was read.
   *
   * @return a positive duration
   */
  public Duration timeToLive() {
    return timeToLive;
  }

  /**
   * Returns a copy of the encoded outcome of a completed record.
   *
   * @return the bytes as stored
   * @throws IllegalStateException if the record is in progress
   */
  public byte[] result() {
    return resultBytes().clone();
  }

  /** The stored array itself, for the executor's replay path; never modified. */
  byte[] resultBytes() {
    if (result == null) {
      throw new IllegalStateException("result() needs state COMPLETED, was " + state);
    }
    return result;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IdempotencyRecord other
        && state == other.state
        && fingerprint.equals(other.fingerprint)
        && ownerToken.equals(other.ownerToken)
        && fencingToken == other.fencingToken
        && leaseRemaining.equals(other.leaseRemaining)
        && timeToLive.equals(other.timeToLive)
        && Arrays.equals(result, other.result);
  }

  @Override
  public int hashCode() {
    return Objects.hash(state, fingerprint, ownerToken, fencingToken, leaseRemaining, timeToLive)
        * 31 + Arrays.hashCode(result);
  }

  @Override
  public String toString() {
    return "IdempotencyRecord[" + state
        + ", fingerprint=" + fingerprint
        + ", owner=" + ownerToken
        + ", fencingToken=" + fencingToken
        + (state == State.IN_PROGRESS ? ", leaseRemaining=" + leaseRemaining : ", result=" + result.length + " bytes")
        + ", timeToLive=" + timeToLive
        + "]";
  }
}
