package dev.bulwark.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The SPI's value types: factories validate, accessors guard their status, values compare. */
class StoreValueTypesTest {
  private static final String HASH = "a".repeat(64);
  private static final String OWNER = "b".repeat(32);

  @Test
  void claimResultsCarryOnlyWhatTheirStatusAllows() {
    ClaimResult claimed = ClaimResult.claimed(3, true);
    assertThat(claimed.status()).isEqualTo(ClaimResult.Status.CLAIMED);
    assertThat(claimed.fencingToken()).isEqualTo(3);
    assertThat(claimed.isTakeover()).isTrue();
    assertThatThrownBy(claimed::record).isInstanceOf(IllegalStateException.class)
        .hasMessage("record() needs status COMPLETED, was CLAIMED");
    assertThatThrownBy(claimed::retryAfter).isInstanceOf(IllegalStateException.class);

    ClaimResult inProgress = ClaimResult.inProgress(Duration.ofSeconds(5));
    assertThat(inProgress.retryAfter()).isEqualTo(Duration.ofSeconds(5));
    assertThatThrownBy(inProgress::fencingToken).isInstanceOf(IllegalStateException.class)
        .hasMessage("fencingToken() needs status CLAIMED, was IN_PROGRESS");
    assertThatThrownBy(inProgress::isTakeover).isInstanceOf(IllegalStateException.class);

    IdempotencyRecord record = IdempotencyRecord.completed(HASH, OWNER, 1, new byte[] {1}, Duration.ofHours(1));
    assertThat(ClaimResult.completed(record).record()).isSameAs(record);
    assertThat(ClaimResult.fingerprintMismatch()).isSameAs(ClaimResult.fingerprintMismatch());

    assertThat(claimed).isEqualTo(ClaimResult.claimed(3, true)).hasSameHashCodeAs(ClaimResult.claimed(3, true))
        .isNotEqualTo(ClaimResult.claimed(3, false));
    assertThat(claimed.toString()).isEqualTo("ClaimResult[CLAIMED, fencingToken=3, takeover]");
    assertThat(inProgress.toString()).isEqualTo("ClaimResult[IN_PROGRESS, retryAfter=PT5S]");
    assertThat(ClaimResult.fingerprintMismatch().toString()).isEqualTo("ClaimResult[FINGERPRINT_MISMATCH]");
    assertThat(ClaimResult.completed(record).toString()).startsWith("ClaimResult[COMPLETED, IdempotencyRecord[");
  }

  @Test
  void claimResultFactoriesValidate() {
    assertThatThrownBy(() -> ClaimResult.claimed(0, false)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("fencingToken must be >= 1, was 0");
    assertThatThrownBy(() -> ClaimResult.inProgress(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("retryAfter must be > 0, was PT0S");
    assertThatThrownBy(() -> ClaimResult.completed(null)).isInstanceOf(NullPointerException.class);
    IdempotencyRecord inProgress = IdempotencyRecord.inProgress(HASH, OWNER, 1, Duration.ZERO, Duration.ofHours(1));
    assertThatThrownBy(() -> ClaimResult.completed(inProgress)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("record must be COMPLETED, was IN_PROGRESS");
  }

  @Test
  void recordsValidateAndCopyTheirResult() {
    byte[] result = {1, 2};
    IdempotencyRecord completed = IdempotencyRecord.completed(HASH, OWNER, 2, result, Duration.ofHours(1));
    byte[] copy = completed.result();
    copy[0] = 9;
    assertThat(completed.result()).containsExactly(1, 2);
    assertThat(completed.leaseRemaining()).isZero();
    assertThat(completed).isEqualTo(IdempotencyRecord.completed(HASH, OWNER, 2, new byte[] {1, 2}, Duration.ofHours(1)))
        .hasSameHashCodeAs(IdempotencyRecord.completed(HASH, OWNER, 2, new byte[] {1, 2}, Duration.ofHours(1)));
    assertThat(completed.toString()).contains("COMPLETED", "result=2 bytes");

    IdempotencyRecord inProgress = IdempotencyRecord.inProgress(HASH, OWNER, 1, Duration.ofSeconds(3), Duration.ofHours(1));
    assertThatThrownBy(inProgress::result).isInstanceOf(IllegalStateException.class)
        .hasMessage("result() needs state COMPLETED, was IN_PROGRESS");
    assertThat(inProgress.toString()).contains("IN_PROGRESS", "leaseRemaining=PT3S");
    assertThat(inProgress).isNotEqualTo(completed);

    assertThatThrownBy(() -> IdempotencyRecord.inProgress(HASH, OWNER, 1, Duration.ofSeconds(-1), Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("leaseRemaining must be >= 0, was PT-1S");
    assertThatThrownBy(() -> IdempotencyRecord.completed(HASH, OWNER, 1, null, Duration.ofHours(1)))
        .isInstanceOf(NullPointerException.class).hasMessage("result");
    assertThatThrownBy(() -> IdempotencyRecord.completed(HASH, OWNER, 1, result, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("timeToLive must be > 0, was PT0S");
    assertThatThrownBy(() -> IdempotencyRecord.completed("x", OWNER, 1, result, Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("fingerprint must be 64 lower-case hex characters, was \"x\"");
  }

  @Test
  void storeArgumentsNameTheArgumentAndTheRule() {
    assertThatThrownBy(() -> StoreArguments.requireKeyHash("A".repeat(64)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("keyHash must be 64 lower-case hex characters");
    assertThatThrownBy(() -> StoreArguments.requireOwnerToken("g".repeat(32)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("ownerToken must be 32");
    assertThatThrownBy(() -> StoreArguments.requireKeyHash("a".repeat(200)))
        .hasMessageEndingWith("...\"");
    assertThatThrownBy(() -> StoreArguments.checkClaim(HASH, HASH, OWNER, Duration.ofSeconds(10), Duration.ofSeconds(5)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("ttl must be >= lease (PT10S), was PT5S");
    assertThatThrownBy(() -> StoreArguments.checkComplete(HASH, OWNER, 1, new byte[11], Duration.ofHours(1), 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("result must be at most 10 bytes for this store, was 11");
    assertThatThrownBy(() -> StoreArguments.requireLimit(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limit must be >= 1, was 0");
    assertThat(StoreArguments.requireFencingToken(Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void exceptionsCarryWhatHandlersNeed() {
    assertThat(new FencedOutException("p", 7, "complete").fencingToken()).isEqualTo(7);
    assertThat(new FencedOutException("p", 7, "complete").policyName()).isEqualTo("p");
    assertThat(new IdempotencyStoreUnavailableException("p", "renew", true, null))
        .hasMessage("idempotency 'p': the store failed to renew");
    assertThat(new IdempotencyResultNotStoredException("p", "too big").reason()).isEqualTo("too big");
    assertThat(new IdempotencyInProgressException("p", -5).retryAfter()).isEmpty();
  }
}
