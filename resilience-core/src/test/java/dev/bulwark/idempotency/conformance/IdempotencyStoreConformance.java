package dev.bulwark.idempotency.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.idempotency.ClaimResult;
import dev.bulwark.idempotency.FailureClassifier;
import dev.bulwark.idempotency.FailureKind;
import dev.bulwark.idempotency.FencedOutException;
import dev.bulwark.idempotency.Idempotency;
import dev.bulwark.idempotency.IdempotencyConfig;
import dev.bulwark.idempotency.IdempotencyInProgressException;
import dev.bulwark.idempotency.IdempotencyKeyReuseException;
import dev.bulwark.idempotency.IdempotencyOutcomeUnknownException;
import dev.bulwark.idempotency.ClaimResult.Status;
import dev.bulwark.idempotency.IdempotencyRecord;
import dev.bulwark.idempotency.IdempotencyRecord.State;
import dev.bulwark.idempotency.IdempotencyReplayedFailureException;
import dev.bulwark.idempotency.IdempotencyStore;
import dev.bulwark.idempotency.WriteResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The conformance kit of the {@link IdempotencyStore} interface: every store implementation extends this
 * class to prove that it meets the store's contract, concurrency included.
 *
 * <p>An implementation provides three things:
 * <ul>
 *   <li>{@link #createStore()}: the store under test. Called before each test; the store may be shared and
 *       already hold records (every test uses fresh random keys), but it must judge time by its own clock.</li>
 *   <li>{@link #advanceStoreTime(Duration)}: make the store behave as if that much time had passed for every
 *       record it holds, without waiting. The in-memory store moves its clock; a SQL store can shift its
 *       stored timestamps back ({@code UPDATE t SET lease_expires_at = lease_expires_at - ?, expires_at =
 *       expires_at - ?}); a Redis store can shift its stored deadlines and reduce each key's TTL. It needs to
 *       be accurate only to about a second: the kit keeps wide margins around every boundary.</li>
 *   <li>{@link #isStored(String)}: whether the store still physically holds a record for a key, expired or
 *       not, so the kit can check that purging removes expired records and only those.</li>
 * </ul>
 * Besides the store's own operations, the kit runs the {@link Idempotency} executor over the store: many
 * threads executing one key run the work once, a crashed execution is taken over once its lease lapses and
 * its late completion is fenced, and every stored outcome (result, terminal failure, unknown flag) replays.
 *
 * <p>Only one test, {@link #leaseLapsesInTheStoresOwnRealTime()}, waits in real time (a lease of
 * {@link #realTimeLease()}); the whole kit runs in a few seconds against a real server. The concurrency tests
 * use {@link #threads()} threads for {@link #rounds()} rounds; a store with a connection pool should allow
 * that many connections, or override them.
 *
 * <pre>{@code
 * class PostgresIdempotencyStoreConformanceTest extends IdempotencyStoreConformance {
 *   protected IdempotencyStore createStore() { return JdbcIdempotencyStore.postgres(dataSource).build(); }
 *   protected void advanceStoreTime(Duration d) { jdbc.update("UPDATE bulwark_idempotency SET ...", d); }
 *   protected boolean isStored(String keyHash) { return jdbc.exists(keyHash); }
 * }
 * }</pre>
 */
public abstract class IdempotencyStoreConformance {

  /** The lease of most claims. */
  protected static final Duration LEASE = Duration.ofSeconds(30);
  /** The time to live of most claims. */
  protected static final Duration CLAIM_TTL = Duration.ofMinutes(10);
  /** The time to live of most completed records. */
  protected static final Duration RESULT_TTL = Duration.ofHours(1);
  /** Enough to make {@link #LEASE} lapse, with a wide margin. */
  protected static final Duration PAST_LEASE = LEASE.plusSeconds(10);

  /** The store under test, created before each test. */
  protected IdempotencyStore store;

  /**
   * Creates (or returns) the store under test; called before each test.
   *
   * @return the store
   * @throws Exception if it cannot be created
   */
  protected abstract IdempotencyStore createStore() throws Exception;

  /**
   * Ages every record of the store by {@code duration}, as if that much time had passed on the store's clock.
   *
   * @param duration how much time should pass, positive
   * @throws Exception if the store cannot be changed
   */
  protected abstract void advanceStoreTime(Duration duration) throws Exception;

  /**
   * Tells whether the store still holds a record for the key, live or expired (not yet purged).
   *
   * @param keyHash the key hash
   * @return {@code true} if some record for the key remains in the store
   * @throws Exception if the store cannot be read
   */
  protected abstract boolean isStored(String keyHash) throws Exception;

  /**
   * Releases the store after each test; the default does nothing.
   *
   * @param store the store
   * @throws Exception if closing fails
   */
  protected void closeStore(IdempotencyStore store) throws Exception {}

  /**
   * Returns how many threads the concurrency tests use.
   *
   * @return 64 by default
   */
  protected int threads() {
    return 64;
  }

  /**
   * Returns how many rounds each concurrency test runs.
   *
   * @return 20 by default
   */
  protected int rounds() {
    return 20;
  }

  /**
   * Returns the lease of the one test that waits for a lease to lapse in real time: long enough for a claim
   * and a second claim to reach the store before it lapses.
   *
   * @return 500 ms by default
   */
  protected Duration realTimeLease() {
    return Duration.ofMillis(500);
  }

  @BeforeEach
  final void createStoreUnderTest() throws Exception {
    store = createStore();
    assertThat(store).as("createStore()").isNotNull();
  }

  @AfterEach
  final void closeStoreUnderTest() throws Exception {
    closeStore(store);
  }

  // ------------------------------------------------------------------------------------------------------
  // claims

  @Test
  public void claimOfAnAbsentKeyClaimsIt() {
    String key = newKeyHash();
    String fingerprint = newFingerprint();
    String owner = newOwnerToken();

    ClaimResult claim = store.claim(key, fingerprint, owner, LEASE, CLAIM_TTL);

    assertThat(claim.status()).isEqualTo(Status.CLAIMED);
    assertThat(claim.fencingToken()).isPositive();
    assertThat(claim.isTakeover()).isFalse();
    IdempotencyRecord record = read(key);
    assertThat(record.state()).isEqualTo(State.IN_PROGRESS);
    assertThat(record.fingerprint()).isEqualTo(fingerprint);
    assertThat(record.ownerToken()).isEqualTo(owner);
    assertThat(record.fencingToken()).isEqualTo(claim.fencingToken());
    assertThat(record.leaseRemaining()).isPositive().isLessThanOrEqualTo(LEASE);
    assertThat(record.timeToLive()).isGreaterThanOrEqualTo(record.leaseRemaining()).isLessThanOrEqualTo(CLAIM_TTL);
  }

  @Test
  public void claimWhileTheLeaseIsLiveIsInProgressWithTheRemainingLease() throws Exception {
    String key = newKeyHash();
    String fingerprint = newFingerprint();
    String owner = newOwnerToken();
    long fencing = claimed(key, fingerprint, owner);

    ClaimResult second = store.claim(key, fingerprint, newOwnerToken(), LEASE, CLAIM_TTL);
    assertThat(second.status()).isEqualTo(Status.IN_PROGRESS);
    assertThat(second.retryAfter()).isPositive().isLessThanOrEqualTo(LEASE);

    advanceStoreTime(Duration.ofSeconds(10));
    ClaimResult third = store.claim(key, fingerprint, newOwnerToken(), LEASE, CLAIM_TTL);
    assertThat(third.status()).isEqualTo(Status.IN_PROGRESS);
    assertThat(third.retryAfter())
        .isGreaterThan(Duration.ofSeconds(15))
        .isLessThanOrEqualTo(Duration.ofSeconds(20));

    assertInProgress(key, owner, fencing);
  }

  @Test
  public void claimWithAnotherFingerprintIsAMismatchWhileInProgress() throws Exception {
    String key = newKeyHash();
    String owner = newOwnerToken();
    long fencing = claimed(key, newFingerprint(), owner);

    assertThat(store.claim(key, newFingerprint(), newOwnerToken(), LEASE, CLAIM_TTL).status())
        .isEqualTo(Status.FINGERPRINT_MISMATCH);
    assertInProgress(key, owner, fencing);
  }

  @Test
  public void claimWithAnotherFingerprintIsAMismatchEvenAfterTheLeaseLapsed() throws Exception {
    String key = newKeyHash();
    String owner = newOwnerToken();
    long fencing = claimed(key, newFingerprint(), owner);
    advanceStoreTime(PAST_LEASE);

    assertThat(store.claim(key, newFingerprint(), newOwnerToken(), LEASE, CLAIM_TTL).status())
        .as("the fingerprint is checked before the lease")
        .isEqualTo(Status.FINGERPRINT_MISMATCH);
    assertInProgress(key, owner, fencing);
  }

  @Test
  public void claimWithAnotherFingerprintIsAMismatchWhenCompleted() {
    String key = newKeyHash();
    String owner = newOwnerToken();
    long fencing = claimed(key, newFingerprint(), owner);
    assertThat(store.complete(key, owner, fencing, bytes(1, 2, 3), RESULT_TTL)).isEqualTo(WriteResult.APPLIED);

    assertThat(store.claim(key, newFingerprint(), newOwnerToken(), LEASE, CLAIM_TTL).status())
        .isEqualTo(Status.FINGERPRINT_MISMATCH);
    assertThat(read(key).state()).isEqualTo(State.COMPLETED);
  }

  @Test
  public void claimsOfDistinctKeysAreIndependent() {
    String fingerprint = newFingerprint();
    for (int i = 0; i < 10; i++) {
      assertThat(store.claim(newKeyHash(), fingerprint, newOwnerToken(), LEASE, CLAIM_TTL).status())
          .isEqualTo(Status.CLAIMED);
    }
  }

  // ------------------------------------------------------------------------------------------------------
  // completion and replay

  @Test
  public void completionStoresTheResultAndLaterClaimsReplayIt() {
    String key = newKeyHash();
    String fingerprint = newFingerprint();
    String owner = newOwnerToken();
    long fencing = claimed(key, fingerprint, owner);
    byte[] result = bytes(42, 0, -1, 7);

    assertThat(store.complete(key, owner, fencing, result, RESULT_TTL)).isEqualTo(WriteResult.APPLIED);

    ClaimResult replay = store.claim(key, fingerprint, newOwnerToken(), LEASE, CLAIM_TTL);
    assertThat(replay.status()).isEqualTo(Status.COMPLETED);
    IdempotencyRecord record = replay.record();
    assertThat(record.state()).isEqualTo(State.COMPLETED);
    assertThat(record.result()).containsExactly(result);
    assertThat(record.fingerprint()).isEqualTo(fingerprint);
    assertThat(record.ownerToken()).isEqualTo(owner);
    assertThat(record.fencingToken()).isEqualTo(fencing);
    assertThat(record.leaseRemaining()).isZero();
    assertThat(record.timeToLive()).isPositive().isLessThanOrEqualTo(RESULT_TTL);

    IdempotencyRecord read = read(key);
    assertThat(read.state()).isEqualTo(State.COMPLETED);
    assertThat(read.result()).containsExactly(result);
    assertThat(read.ownerToken()).isEqualTo(owner);
    assertThat(read.fencingToken()).isEqualTo(fencing);
  }

  @Test
  public void resultsOfEveryShapeRoundTrip() {
    byte[] allValues = new byte[256];
    for (int i = 0; i < 256; i++) {
      allValues[i] = (byte) i;
    }
    byte[] large = new byte[Math.min(store.maxResultBytes(), 64 * 1024)];
    ThreadLocalRandom.current().nextBytes(large);
    for (byte[] result : List.of(new byte[0], allValues, large)) {
      String key = newKeyHash();
      String fingerprint = newFingerprint();
      String owner = newOwnerToken();
      long fencing = claimed(key, fingerprint, owner);
      assertThat(store.complete(key, owner, fencing, result.clone(), RESULT_TTL)).isEqualTo(WriteResult.APPLIED);
      assertThat(store.claim(key, fingerprint, newOwnerToken(), LEASE, CLAIM_TTL).record().result())
          .as("a result of %d bytes", result.length)
          .containsExactly(result);
    }
  }

  @Test
  public void aResultOfExactlyTheLimitIsStoredAndALargerOneRejected() {
    int limit = store.maxResultBytes();
    assumeThat(limit).as("only a store with a limit of at most 16 MiB is checked").isLessThanOrEqualTo(16 << 20);
    String key = newKeyHash();
    String fingerprint = newFingerprint();
    String owner = newOwnerToken();
    long fencing = claimed(key, fingerprint, owner);

    assertThatThrownBy(() -> store.complete(key, owner, fencing, new byte[limit + 1], RESULT_TTL))
        .isInstanceOf(IllegalArgumentException.class);
    assertInProgress(key, owner, fencing);

    assertThat(store.complete(key, owner, fencing, new byte[limit], RESULT_TTL)).isEqualTo(WriteResult.APPLIED);
    assertThat(read(key).result()).hasSize(limit);
  }

  @Test
  public void theCompletedRecordLivesForTheCompletionTtl() throws Exception {
    String key = newKeyHash();
    String fingerprint = newFingerprint();
    String owner = newOwnerToken();
    long fencing = claimed(key, fingerprint, owner, LEASE, Duration.ofMinutes(1));
    assertThat(store.complete(key, owner, fencing, bytes(1), RESULT_TTL)).isEqualTo(WriteResult.APPLIED);

    advanceStoreTime(Duration.ofMinutes(30));
    assertThat(store.claim(key, fingerprint, newOwnerToken(), LEASE, CLAIM_TTL).status())
        .as("the completion's ttl replaces the claim's")
        .isEqualTo(Status.COMPLETED);

    advanceStoreTime(Duration.ofMinutes(31));
    assertThat(store.read(key)).isEmpty();
  }

  // ------------------------------------------------------------------------------------------------------
  // ownership: fencing of strangers and of stale owners

  @Test
  public void writesOfAnotherOwnerAreFenced() {
    String key = newKeyHash();
    String owner = newOwnerToken();
    long fencing = claimed(key, newFingerprint(), owner);
    String stranger = newOwnerToken();

    assertThat(store.complete(key, stranger, fencing, bytes(1), RESULT_TTL)).isEqualTo(WriteResult.FENCED);
    assertThat(store.renew(key, stranger, fencing, LEASE)).isEqualTo(WriteResult.FENCED);
    assertThat(store.release(key, stranger, fencing)).isEqualTo(WriteResult.FENCED);
    assertInProgress(key, owner, fencing);
  }

  @Test
  public void writesWithAnotherFencingTokenAreFenced() {
    String key = newKeyHash();
    String owner = newOwnerToken();
    long fencing = claimed(key, newFingerprint(), owner);

    assertThat(store.complete(key, owner, fencing + 1, bytes(1), RESULT_TTL)).isEqualTo(WriteResult.FENCED);
    assertThat(store.renew(key, owner, fencing + 1, LEASE)).isEqualTo(WriteResult.FENCED);
    assertThat(store.release(key, owner, fencing + 1)).isEqualTo(WriteResult.FENCED);
    assertInProgress(key, owner, fencing);
  }

  @Test
  public void writesOnAnAbsentKeyAreFencedAndCreateNothing() {
    String key = newKeyHash();
    String owner = newOwnerToken();

    assertThat(store.complete(key, owner, 1, bytes(1), RESULT_TTL)).isEqualTo(WriteResult.FENCED);
    assertThat(store.renew(key, owner, 1, LEASE)).isEqualTo(WriteResult.FENCED);
    assertThat(store.release(key, owner, 1)).isEqualTo(WriteResult.FENCED);
    assertThat(store.read(key)).isEmpty();
  }

  @Test
  public void writesAfterCompletionAreFencedAndChangeNothing() {
    String key = newKeyHash();
    String fingerprint = newFingerprint();
    String owner = newOwnerToken();
    long fencing = claimed(key, fingerprint, owner);
    assertThat(store.complete(key, owner, fencing, bytes(1), RESULT_TTL)).isEqualTo(WriteResult.APPLIED);

    assertThat(store.complete(key, owner, fencing, bytes(2), RESULT_TTL)).isEqualTo(WriteResult.FENCED);
    assertThat(store.renew(key, owner, fencing, LEASE)).isEqualTo(WriteResult.FENCED);
    assertThat(store.release(key, owner, fencing)).isEqualTo(WriteResult.FENCED);
    IdempotencyRecord record = read(key);
    assertThat(record.state()).isEqualTo(State.COMPLETED);
    assertThat(record.result()).containsExactly(1);
  }

  @Test
  public void releaseByTheOwnerRemovesTheRecordSoTheNextClaimRuns() {
    String key = newKeyHash();
    String owner = newOwnerToken();
    long fencing = claimed(key, newFingerprint(), owner);

    assertThat(store.release(key, owner, fencing)).isEqualTo(WriteResult.APPLIED);

    assertThat(store.read(key)).isEmpty();
    assertThat(store.complete(key, owner, fencing, bytes(1), RESULT_TTL)).isEqualTo(WriteResult.FENCED);
    ClaimResult next = store.claim(key, newFingerprint(), newOwnerToken(), LEASE, CLAIM_TTL);
    assertThat(next.status()).as("a released key is free, whatever the fingerprint").isEqualTo(Status.CLAIMED);
    assertThat(next.isTakeover()).isFalse();
  }

  // ------------------------------------------------------------------------------------------------------
  // leases: lapse, takeover, renewal

  @Test
  public void anotherOwnerTakesOverALapsedLeaseWithAHigherFencingToken() throws Exception {
    String key = newKeyHash();
    String fingerprint = newFingerprint();
    long first = claimed(key, fingerprint, newOwnerToken());
    advanceStoreTime(PAST_LEASE);

    String second = newOwnerToken();
    ClaimResult takeover = store.claim(key, fingerprint, second, LEASE, CLAIM_TTL);

    assertThat(takeover.status()).isEqualTo(Status.CLAIMED);
    assertThat(takeover.isTakeover()).isTrue();
    assertThat(takeover.fencingToken()).isGreaterThan(first);
    IdempotencyRecord record = assertInProgress(key, second, takeover.fencingToken());
    assertThat(record.leaseRemaining()).isGreaterThan(LEASE.minusSeconds(5));
  }

  @Test
  public void theOldOwnerIsFencedOutAfterATakeover() throws Exception {
    String key = newKeyHash();
    String fingerprint = newFingerprint();
    String old = newOwnerToken();
    long oldFencing = claimed(key, fingerprint, old);
    advanceStoreTime(PAST_LEASE);
    String current = newOwnerToken();
    long currentFencing = store.claim(key, fingerprint, current, LEASE, CLAIM_TTL).fencingToken();

    assertThat(store.renew(key, old, oldFencing, LEASE)).isEqualTo(WriteResult.FENCED);
    assertThat(store.complete(key, old, oldFencing, bytes(1), RESULT_TTL)).isEqualTo(WriteResult.FENCED);
    assertThat(store.release(key, old, oldFencing)).isEqualTo(WriteResult.FENCED);
    assertInProgress(key, current, currentFencing);

    assertThat(store.complete(key, current, currentFencing, bytes(2), RESULT_TTL)).isEqualTo(WriteResult.APPLIED);
    ClaimResult replay = store.claim(key, fingerprint, newOwnerToken(), LEASE, CLAIM_TTL);
    assertThat(replay.record().result()).containsExactly(2);
    assertThat(replay.record().ownerToken()).isEqualTo(current);
  }

  @Test
  public void successiveTakeoversRaiseTheFencingTokenEachTime() throws Exception {
    String key = newKeyHash();
    String fingerprint = newFingerprint();
    long previous = claimed(key, fingerprint, newOwnerToken());
    for (int i = 0; i < 3; i++) {
      advanceStoreTime(PAST_LEASE);
      ClaimResult takeover = store.claim(key, fingerprint, newOwnerToken(), LEASE, CLAIM_TTL);
      assertThat(takeover.isTakeover()).isTrue();
      assertThat(takeover.fencingToken()).isGreaterThan(previous);
      previous = takeover.fencingToken();
    }
  }

  @Test
  public void anOwnerWhoseLeaseLapsedWithoutATakeoverStillCompletes() throws Exception {
    String key = newKeyHash();
    String fingerprint = newFingerprint();
    String owner = newOwnerToken();
    long fencing = claimed(key, fingerprint, owner);
    advanceStoreTime(PAST_LEASE);

    assertThat(store.complete(key, owner, fencing, bytes(9), RESULT_TTL))
        .as("ownership counts, not the lease")
        .isEqualTo(WriteResult.APPLIED);
    assertThat(store.claim(key, fingerprint, newOwnerToken(), LEASE, CLAIM_TTL).status())
        .isEqualTo(Status.COMPLETED);
  }

  @Test
  public void anOwnerWhoseLeaseLapsedWithoutATakeoverRenewsIt() throws Exception {
    String key = newKeyHash();
    String fingerprint = newFingerprint();
    String owner = newOwnerToken();
    long fencing = claimed(key, fingerprint, owner);
    advanceStoreTime(PAST_LEASE);

    assertThat(store.renew(key, owner, fencing, LEASE)).isEqualTo(WriteResult.APPLIED);
    assertThat(store.claim(key, fingerprint, newOwnerToken(), LEASE, CLAIM_TTL).status())
        .isEqualTo(Status.IN_PROGRESS);
  }

  @Test
  public void renewalKeepsTheLeaseLive() throws Exception {
    String key = newKeyHash();
    String fingerprint = newFingerprint();
    String owner = newOwnerToken();
    long fencing = claimed(key, fingerprint, owner);

    advanceStoreTime(Duration.ofSeconds(20));
    assertThat(store.renew(key, owner, fencing, LEASE)).isEqualTo(WriteResult.APPLIED);
    advanceStoreTime(Duration.ofSeconds(20)); // 40 s after the claim, 20 s after the renewal
    ClaimResult during = store.claim(key, fingerprint, newOwnerToken(), LEASE, CLAIM_TTL);
    assertThat(during.status()).isEqualTo(Status.IN_PROGRESS);
    assertThat(during.retryAfter()).isLessThanOrEqualTo(Duration.ofSeconds(10));
    assertInProgress(key, owner, fencing);

    advanceStoreTime(Duration.ofSeconds(20));
    assertThat(store.claim(key, fingerprint, newOwnerToken(), LEASE, CLAIM_TTL).isTakeover()).isTrue();
  }

  @Test
  public void renewalPastTheRecordTtlExtendsTheRecord() throws Exception {
    String key = newKeyHash();
    String fingerprint = newFingerprint();
    String owner = newOwnerToken();
    long fencing = claimed(key, fingerprint, owner, LEASE, Duration.ofSeconds(60));

    advanceStoreTime(Duration.ofSeconds(25));
    assertThat(store.renew(key, owner, fencing, Duration.ofSeconds(90))).isEqualTo(WriteResult.APPLIED);
    advanceStoreTime(Duration.ofSeconds(60)); // 85 s after the claim: past the claim's ttl, within the lease

    IdempotencyRecord record = assertInProgress(key, owner, fencing);
    assertThat(record.timeToLive()).isGreaterThanOrEqualTo(record.leaseRemaining());
    assertThat(store.claim(key, fingerprint, newOwnerToken(), LEASE, CLAIM_TTL).status())
        .isEqualTo(Status.IN_PROGRESS);
    assertThat(store.complete(key, owner, fencing, bytes(1), RESULT_TTL)).isEqualTo(WriteResult.APPLIED);
  }

  // ------------------------------------------------------------------------------------------------------
  // expiry, delete, purge

  @Test
  public void anExpiredInProgressRecordCountsAsAbsent() throws Exception {
    String key = newKeyHash();
    String owner = newOwnerToken();
    long fencing = claimed(key, newFingerprint(), owner, LEASE, Duration.ofSeconds(60));
    advanceStoreTime(Duration.ofSeconds(70));

    assertThat(store.read(key)).isEmpty();
    assertThat(store.complete(key, owner, fencing, bytes(1), RESULT_TTL)).isEqualTo(WriteResult.FENCED);
    assertThat(store.renew(key, owner, fencing, LEASE)).isEqualTo(WriteResult.FENCED);
    ClaimResult fresh = store.claim(key, newFingerprint(), newOwnerToken(), LEASE, CLAIM_TTL);
    assertThat(fresh.status()).as("an expired record does not keep its fingerprint").isEqualTo(Status.CLAIMED);
    assertThat(fresh.isTakeover()).isFalse();
  }

  @Test
  public void anExpiredCompletedRecordCountsAsAbsent() throws Exception {
    String key = newKeyHash();
    String owner = newOwnerToken();
    long fencing = claimed(key, newFingerprint(), owner);
    assertThat(store.complete(key, owner, fencing, bytes(1), Duration.ofMinutes(5))).isEqualTo(WriteResult.APPLIED);
    advanceStoreTime(Duration.ofMinutes(6));

    assertThat(store.read(key)).isEmpty();
    String next = newOwnerToken();
    ClaimResult fresh = store.claim(key, newFingerprint(), next, LEASE, CLAIM_TTL);
    assertThat(fresh.status()).isEqualTo(Status.CLAIMED);
    assertThat(fresh.isTakeover()).isFalse();
    assertInProgress(key, next, fresh.fencingToken());
  }

  @Test
  public void readOfAnAbsentKeyIsEmpty() {
    assertThat(store.read(newKeyHash())).isEmpty();
  }

  @Test
  public void deleteRemovesARecordWhateverItsStateAndFencesItsOwner() {
    String inProgress = newKeyHash();
    String owner = newOwnerToken();
    long fencing = claimed(inProgress, newFingerprint(), owner);
    String completed = newKeyHash();
    String completer = newOwnerToken();
    long completerFencing = claimed(completed, newFingerprint(), completer);
    assertThat(store.complete(completed, completer, completerFencing, bytes(1), RESULT_TTL))
        .isEqualTo(WriteResult.APPLIED);

    assertThat(store.delete(inProgress)).isTrue();
    assertThat(store.delete(completed)).isTrue();
    assertThat(store.delete(newKeyHash())).isFalse();

    assertThat(store.read(inProgress)).isEmpty();
    assertThat(store.read(completed)).isEmpty();
    assertThat(store.complete(inProgress, owner, fencing, bytes(1), RESULT_TTL)).isEqualTo(WriteResult.FENCED);
    assertThat(store.claim(completed, newFingerprint(), newOwnerToken(), LEASE, CLAIM_TTL).status())
        .isEqualTo(Status.CLAIMED);
  }

  @Test
  public void purgeRemovesExpiredRecordsAndOnlyThem() throws Exception {
    String expiredInProgress = newKeyHash();
    claimed(expiredInProgress, newFingerprint(), newOwnerToken(), LEASE, Duration.ofSeconds(60));
    String expiredCompleted = newKeyHash();
    complete(expiredCompleted, Duration.ofSeconds(60));
    String liveLapsed = newKeyHash();
    String liveOwner = newOwnerToken();
    long liveFencing = claimed(liveLapsed, newFingerprint(), liveOwner, LEASE, CLAIM_TTL);
    String liveCompleted = newKeyHash();
    complete(liveCompleted, RESULT_TTL);
    advanceStoreTime(Duration.ofSeconds(70));

    purgeAll();

    assertThat(isStored(expiredInProgress)).as("expired in-progress record").isFalse();
    assertThat(isStored(expiredCompleted)).as("expired completed record").isFalse();
    assertThat(isStored(liveLapsed)).as("live record whose lease lapsed").isTrue();
    assertThat(isStored(liveCompleted)).as("live completed record").isTrue();
    assertInProgress(liveLapsed, liveOwner, liveFencing);
    assertThat(read(liveCompleted).state()).isEqualTo(State.COMPLETED);
  }

  @Test
  public void purgeRemovesNoMoreThanItsLimit() throws Exception {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String key = newKeyHash();
      complete(key, Duration.ofSeconds(60));
      keys.add(key);
    }
    advanceStoreTime(Duration.ofSeconds(70));

    assertThat(store.purgeExpired(1)).isBetween(0, 1);
    purgeAll();
    for (String key : keys) {
      assertThat(isStored(key)).isFalse();
    }
  }

  // ------------------------------------------------------------------------------------------------------
  // bad input

  @Test
  public void malformedArgumentsAreRejectedBeforeTheStoreIsTouched() {
    String key = newKeyHash();
    String fingerprint = newFingerprint();
    String owner = newOwnerToken();

    assertThatThrownBy(() -> store.claim(null, fingerprint, owner, LEASE, CLAIM_TTL))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.claim(key.toUpperCase(java.util.Locale.ROOT), fingerprint, owner, LEASE,
        CLAIM_TTL)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("keyHash");
    assertThatThrownBy(() -> store.claim(key, "abc", owner, LEASE, CLAIM_TTL))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fingerprint");
    assertThatThrownBy(() -> store.claim(key, fingerprint, owner + "0", LEASE, CLAIM_TTL))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ownerToken");
    assertThatThrownBy(() -> store.claim(key, fingerprint, owner, Duration.ZERO, CLAIM_TTL))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lease");
    assertThatThrownBy(() -> store.claim(key, fingerprint, owner, LEASE, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl");
    assertThatThrownBy(() -> store.claim(key, fingerprint, owner, LEASE, LEASE.minusSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl");
    assertThatThrownBy(() -> store.complete(key, owner, 0, bytes(1), RESULT_TTL))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fencingToken");
    assertThatThrownBy(() -> store.complete(key, owner, 1, null, RESULT_TTL))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.complete(key, owner, 1, bytes(1), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ttl");
    assertThatThrownBy(() -> store.renew(key, owner, 1, Duration.ofMillis(-5)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lease");
    assertThatThrownBy(() -> store.release(key, null, 1)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.read("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.delete(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> store.purgeExpired(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");

    assertThat(store.read(key)).as("no rejected call created a record").isEmpty();
  }

  // ------------------------------------------------------------------------------------------------------
  // concurrency

  @Test
  public void concurrentClaimsOfOneKeyClaimItExactlyOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads());
    try {
      for (int round = 0; round < rounds(); round++) {
        String key = newKeyHash();
        String fingerprint = newFingerprint();
        List<ClaimResult> results = race(pool, threads(),
            i -> store.claim(key, fingerprint, newOwnerToken(), LEASE, CLAIM_TTL));

        assertThat(count(results, Status.CLAIMED)).as("claims that won in round %d", round).isEqualTo(1);
        assertThat(count(results, Status.IN_PROGRESS)).isEqualTo(threads() - 1);
      }
    } finally {
      shutdown(pool);
    }
  }

  @Test
  public void concurrentTakeoversOfALapsedLeaseSucceedExactlyOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads());
    try {
      for (int round = 0; round < Math.max(1, rounds() / 4); round++) {
        String key = newKeyHash();
        String fingerprint = newFingerprint();
        long first = claimed(key, fingerprint, newOwnerToken());
        advanceStoreTime(PAST_LEASE);
        List<String> owners = new ArrayList<>();
        for (int i = 0; i < threads(); i++) {
          owners.add(newOwnerToken());
        }

        List<ClaimResult> results = race(pool, threads(),
            i -> store.claim(key, fingerprint, owners.get(i), LEASE, CLAIM_TTL));

        assertThat(count(results, Status.CLAIMED)).as("takeovers that won in round %d", round).isEqualTo(1);
        assertThat(count(results, Status.IN_PROGRESS)).isEqualTo(threads() - 1);
        int winner = indexOf(results, Status.CLAIMED);
        assertThat(results.get(winner).isTakeover()).isTrue();
        assertThat(results.get(winner).fencingToken()).isGreaterThan(first);
        assertInProgress(key, owners.get(winner), results.get(winner).fencingToken());
      }
    } finally {
      shutdown(pool);
    }
  }

  @Test
  public void aLateCompletionRacingTakeoversNeverWinsAlongsideThem() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads());
    try {
      for (int round = 0; round < Math.max(1, rounds() / 4); round++) {
        String key = newKeyHash();
        String fingerprint = newFingerprint();
        String old = newOwnerToken();
        long oldFencing = claimed(key, fingerprint, old);
        advanceStoreTime(PAST_LEASE);
        List<String> owners = new ArrayList<>();
        for (int i = 0; i < threads(); i++) {
          owners.add(newOwnerToken());
        }

        List<Object> results = race(pool, threads(), i -> i == 0
            ? store.complete(key, old, oldFencing, bytes(1), RESULT_TTL)
            : store.claim(key, fingerprint, owners.get(i), LEASE, CLAIM_TTL));

        WriteResult completion = (WriteResult) results.get(0);
        List<ClaimResult> claims = new ArrayList<>();
        for (int i = 1; i < results.size(); i++) {
          claims.add((ClaimResult) results.get(i));
        }
        IdempotencyRecord record = read(key);
        if (completion == WriteResult.APPLIED) {
          assertThat(count(claims, Status.CLAIMED)).as("takeovers after an applied completion").isZero();
          assertThat(record.state()).isEqualTo(State.COMPLETED);
          assertThat(record.ownerToken()).isEqualTo(old);
        } else {
          assertThat(count(claims, Status.CLAIMED)).as("takeovers that fenced the completion").isEqualTo(1);
          int winner = indexOf(claims, Status.CLAIMED) + 1;
          assertThat(record.state()).isEqualTo(State.IN_PROGRESS);
          assertThat(record.ownerToken()).isEqualTo(owners.get(winner));
        }
      }
    } finally {
      shutdown(pool);
    }
  }

  @Test
  public void concurrentCompletionsByTheOwnerApplyOnce() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads());
    try {
      for (int round = 0; round < Math.max(1, rounds() / 4); round++) {
        String key = newKeyHash();
        String owner = newOwnerToken();
        long fencing = claimed(key, newFingerprint(), owner);

        List<WriteResult> results = race(pool, threads(), i -> i % 2 == 0
            ? store.complete(key, owner, fencing, bytes(i % 100), RESULT_TTL)
            : store.release(key, owner, fencing));

        assertThat(results.stream().filter(r -> r == WriteResult.APPLIED).count())
            .as("applied writes in round %d", round).isEqualTo(1);
        int winner = results.indexOf(WriteResult.APPLIED);
        Optional<IdempotencyRecord> record = store.read(key);
        if (winner % 2 == 0) {
          assertThat(record).isPresent();
          assertThat(record.get().result()).containsExactly((byte) (winner % 100));
        } else {
          assertThat(record).isEmpty();
        }
      }
    } finally {
      shutdown(pool);
    }
  }

  // ------------------------------------------------------------------------------------------------------
  // the store's own clock

  @Test
  public void leaseLapsesInTheStoresOwnRealTime() {
    String key = newKeyHash();
    String fingerprint = newFingerprint();
    Duration lease = realTimeLease();
    long first = claimed(key, fingerprint, newOwnerToken(), lease, CLAIM_TTL);
    assertThat(store.claim(key, fingerprint, newOwnerToken(), lease, CLAIM_TTL).status())
        .as("a second claim right after the first, within a lease of %s", lease)
        .isIn(Status.IN_PROGRESS, Status.CLAIMED);

    String next = newOwnerToken();
    ClaimResult takeover = await()
        .atMost(lease.multipliedBy(20).plusSeconds(5))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> store.claim(key, fingerprint, next, LEASE, CLAIM_TTL),
            claim -> claim.status() == Status.CLAIMED);
    assertThat(takeover.isTakeover()).isTrue();
    assertThat(takeover.fencingToken()).isGreaterThan(first);
  }

  // ------------------------------------------------------------------------------------------------------
  // the executor over this store

  /**
   * Returns an {@link Idempotency} policy over the store under test, with the kit's lease and no heartbeat.
   *
   * @param config adjusts the configuration
   * @return the policy
   */
  protected Idempotency policy(UnaryOperator<IdempotencyConfig.Builder> config) {
    return Idempotency.builder("conformance-" + randomHex(8))
        .config(config.apply(IdempotencyConfig.builder().lease(LEASE).heartbeatInterval(Duration.ZERO)).build())
        .store(store)
        .heartbeatExecutor(Runnable::run)
        .build();
  }

  @Test
  public void concurrentExecutionsOfOneKeyRunTheWorkExactlyOnce() throws Exception {
    Idempotency policy = policy(b -> b);
    ExecutorService pool = Executors.newFixedThreadPool(threads());
    try {
      for (int round = 0; round < rounds(); round++) {
        String key = "order-" + round;
        AtomicInteger runs = new AtomicInteger();
        List<Object> outcomes = race(pool, threads(), i -> {
          try {
            return policy.execute(key, "fingerprint", () -> {
              spin();
              return "receipt " + runs.incrementAndGet();
            });
          } catch (IdempotencyInProgressException inProgress) {
            return inProgress;
          }
        });

        assertThat(runs).as("executions in round %d", round).hasValue(1);
        for (Object outcome : outcomes) {
          assertThat("receipt 1".equals(outcome) || outcome instanceof IdempotencyInProgressException)
              .as("%s is the replay or the in-progress rejection", outcome).isTrue();
        }
      }
    } finally {
      shutdown(pool);
    }
  }

  @Test
  public void concurrentExecutionsWaitingForCompletionAllGetTheOneResult() throws Exception {
    Idempotency policy = policy(b -> b.waitForCompletion(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(5)));
    ExecutorService pool = Executors.newFixedThreadPool(threads());
    try {
      for (int round = 0; round < Math.max(1, rounds() / 4); round++) {
        String key = "payment-" + round;
        AtomicInteger runs = new AtomicInteger();
        List<Object> outcomes = race(pool, threads(), i -> policy.execute(key, "fingerprint", () -> {
          spin();
          return runs.incrementAndGet();
        }));

        assertThat(runs).as("executions in round %d", round).hasValue(1);
        assertThat(outcomes).containsOnly(1);
      }
    } finally {
      shutdown(pool);
    }
  }

  @Test
  public void aCrashedExecutionBlocksItsKeyUntilTheLeaseLapsesThenTheWorkRunsOnce() throws Exception {
    Idempotency policy = policy(b -> b);
    AtomicInteger runs = new AtomicInteger();
    CompletableFuture<String> stalled = new CompletableFuture<>();
    CompletableFuture<String> crashed = policy.<String>executeAsync("shipment-1", "fp", () -> {
      runs.incrementAndGet();
      return stalled; // never renews: the heartbeat is off
    }).toCompletableFuture();

    advanceStoreTime(Duration.ofSeconds(20));
    assertThatThrownBy(() -> policy.execute("shipment-1", "fp", () -> "too early"))
        .isInstanceOf(IdempotencyInProgressException.class);
    advanceStoreTime(Duration.ofSeconds(20));
    assertThat(policy.execute("shipment-1", "fp", () -> "shipped " + runs.incrementAndGet()))
        .isEqualTo("shipped 2");

    stalled.complete("shipped by the crashed owner, late");
    assertThatThrownBy(crashed::join).hasCauseInstanceOf(FencedOutException.class);
    assertThat(policy.execute("shipment-1", "fp", () -> "again")).isEqualTo("shipped 2");
    assertThat(runs).hasValue(2);
  }

  @Test
  public void everyOutcomeRoundTripsThroughTheStore() throws Exception {
    Idempotency policy = policy(b -> b.failureClassifier(FailureClassifier.builder()
        .classify(FailureKind.TERMINAL, IllegalArgumentException.class)
        .classify(FailureKind.RETRYABLE, IllegalStateException.class)
        .build()));

    assertThat(policy.execute("value", "fp", () -> "ok")).isEqualTo("ok");
    assertThat(policy.executeForResult("value", "fp", () -> "other").isReplay()).isTrue();
    assertThatThrownBy(() -> policy.execute("value", "another fp", () -> "x"))
        .isInstanceOf(IdempotencyKeyReuseException.class);

    assertThatThrownBy(() -> policy.execute("declined", "fp", () -> {
      throw new IllegalArgumentException("card declined");
    })).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> policy.execute("declined", "fp", () -> "x"))
        .isInstanceOf(IdempotencyReplayedFailureException.class).hasMessageContaining("card declined");

    assertThatThrownBy(() -> policy.execute("retryable", "fp", () -> {
      throw new IllegalStateException("refused");
    })).isInstanceOf(IllegalStateException.class);
    assertThat(policy.execute("retryable", "fp", () -> "second try")).isEqualTo("second try");

    assertThatThrownBy(() -> policy.execute("unknown", "fp", () -> {
      throw new java.io.IOException("timed out");
    })).isInstanceOf(java.io.IOException.class);
    advanceStoreTime(PAST_LEASE);
    assertThatThrownBy(() -> policy.execute("unknown", "fp", () -> "x"))
        .isInstanceOf(IdempotencyOutcomeUnknownException.class);
    assertThat(policy.forget("unknown")).isTrue();
    assertThat(policy.execute("unknown", "fp", () -> "resolved")).isEqualTo("resolved");
  }

  @Test
  public void aRecordExpiresAfterTheConfiguredTtl() throws Exception {
    Idempotency policy = policy(b -> b.ttl(Duration.ofHours(1)));
    policy.execute("refund-1", "fp", () -> "first");

    advanceStoreTime(Duration.ofMinutes(50));
    assertThat(policy.execute("refund-1", "fp", () -> "second")).isEqualTo("first");
    advanceStoreTime(Duration.ofMinutes(20));
    assertThat(policy.inspect("refund-1")).isEmpty();
    assertThat(policy.execute("refund-1", "fp", () -> "third")).isEqualTo("third");
  }

  private static void spin() {
    for (int i = ThreadLocalRandom.current().nextInt(5_000); i > 0; i--) {
      Thread.onSpinWait();
    }
  }

  // ------------------------------------------------------------------------------------------------------
  // helpers, for subclasses too

  /**
   * Returns a fresh random key hash.
   *
   * @return 64 lower-case hex characters
   */
  protected static String newKeyHash() {
    return randomHex(64);
  }

  /**
   * Returns a fresh random fingerprint hash.
   *
   * @return 64 lower-case hex characters
   */
  protected static String newFingerprint() {
    return randomHex(64);
  }

  /**
   * Returns a fresh random owner token.
   *
   * @return 32 lower-case hex characters
   */
  protected static String newOwnerToken() {
    return randomHex(32);
  }

  private static String randomHex(int length) {
    StringBuilder hex = new StringBuilder(length);
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < length; i++) {
      hex.append(Character.forDigit(random.nextInt(16), 16));
    }
    return hex.toString();
  }

  private static byte[] bytes(int... values) {
    byte[] bytes = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      bytes[i] = (byte) values[i];
    }
    return bytes;
  }

  private long claimed(String key, String fingerprint, String owner) {
    return claimed(key, fingerprint, owner, LEASE, CLAIM_TTL);
  }

  private long claimed(String key, String fingerprint, String owner, Duration lease, Duration ttl) {
    ClaimResult claim = store.claim(key, fingerprint, owner, lease, ttl);
    assertThat(claim.status()).as("claim of a fresh key").isEqualTo(Status.CLAIMED);
    return claim.fencingToken();
  }

  private void complete(String key, Duration ttl) {
    String owner = newOwnerToken();
    long fencing = claimed(key, newFingerprint(), owner, LEASE, CLAIM_TTL);
    assertThat(store.complete(key, owner, fencing, bytes(1), ttl)).isEqualTo(WriteResult.APPLIED);
  }

  private IdempotencyRecord read(String key) {
    Optional<IdempotencyRecord> record = store.read(key);
    assertThat(record).as("record of %s", key).isPresent();
    return record.get();
  }

  private IdempotencyRecord assertInProgress(String key, String owner, long fencing) {
    IdempotencyRecord record = read(key);
    assertThat(record.state()).isEqualTo(State.IN_PROGRESS);
    assertThat(record.ownerToken()).isEqualTo(owner);
    assertThat(record.fencingToken()).isEqualTo(fencing);
    return record;
  }

  private void purgeAll() {
    for (int i = 0; i < 1_000 && store.purgeExpired(10_000) == 10_000; i++) {
      // a shared store may hold many expired records of other tests: purge them all
    }
  }

  /** A task of one racing thread. */
  @FunctionalInterface
  private interface Racer<T> {
    T run(int index) throws Exception;
  }

  /** Runs {@code n} tasks on {@code pool}, all released at once, and returns their results in order. */
  private static <T> List<T> race(ExecutorService pool, int n, Racer<? extends T> racer) throws Exception {
    CountDownLatch ready = new CountDownLatch(n);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<T>> futures = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int index = i;
      Callable<T> task = () -> {
        ready.countDown();
        go.await();
        return racer.run(index);
      };
      futures.add(pool.submit(task));
    }
    assertThat(ready.await(30, TimeUnit.SECONDS)).as("all racers started").isTrue();
    go.countDown();
    List<T> results = new ArrayList<>(n);
    for (Future<T> future : futures) {
      results.add(future.get(60, TimeUnit.SECONDS));
    }
    return results;
  }

  private static long count(List<ClaimResult> results, Status status) {
    return results.stream().filter(r -> r.status() == status).count();
  }

  private static int indexOf(List<ClaimResult> results, Status status) {
    for (int i = 0; i < results.size(); i++) {
      if (results.get(i).status() == status) {
        return i;
      }
    }
    return -1;
  }

  private static void shutdown(ExecutorService pool) throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
  }
}
