package dev.bulwark.idempotency;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jetbrains.kotlinx.lincheck.LinChecker;
import org.jetbrains.kotlinx.lincheck.annotations.Operation;
import org.jetbrains.kotlinx.lincheck.annotations.Param;
import org.jetbrains.kotlinx.lincheck.paramgen.IntGen;
import org.jetbrains.kotlinx.lincheck.strategy.managed.ManagedStrategyGuaranteeKt;
import org.jetbrains.kotlinx.lincheck.strategy.managed.modelchecking.ModelCheckingOptions;
import org.junit.jupiter.api.Test;

/**
 * The in-memory store is linearizable: every interleaving of claims, conditional writes, reads, deletes,
 * purges and the passage of time explored by Lincheck's model checker matches some sequential order of the
 * same operations (the store run on one thread is the sequential model). Two keys, two fingerprints and
 * three owners keep the state space small enough to cover conflicts densely, and a capacity of one record
 * makes every claim of the second key race the first key's removal for the only slot (the race that found a
 * slot given back after the removal instead of with it).
 */
@Param(name = "key", gen = IntGen.class, conf = "0:1")
@Param(name = "fingerprint", gen = IntGen.class, conf = "0:1")
@Param(name = "owner", gen = IntGen.class, conf = "0:2")
@Param(name = "fencing", gen = IntGen.class, conf = "1:3")
public class InMemoryIdempotencyStoreLincheckTest {
  private static final String[] KEYS = {"1".repeat(64), "2".repeat(64)};
  private static final String[] FINGERPRINTS = {"a".repeat(64), "b".repeat(64)};
  private static final String[] OWNERS = {"c".repeat(32), "d".repeat(32), "e".repeat(32)};
  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final Duration TTL = Duration.ofSeconds(60);

  private final AtomicLong now = new AtomicLong(1_000_000_000_000L); // a minimal clock keeps the model small
  private final InMemoryIdempotencyStore store =
      InMemoryIdempotencyStore.builder().clock(now::get).maxEntries(1).build();

  /**
   * Claims a key.
   *
   * @param key the key index
   * @param fingerprint the fingerprint index
   * @param owner the owner index
   * @return the claim result, as text
   */
  @Operation
  public String claim(@Param(name = "key") int key, @Param(name = "fingerprint") int fingerprint,
      @Param(name = "owner") int owner) {
    ClaimResult result = store.claim(KEYS[key], FINGERPRINTS[fingerprint], OWNERS[owner], LEASE, TTL);
    switch (result.status()) {
      case CLAIMED:
        return (result.isTakeover() ? "takeover " : "claimed ") + result.fencingToken();
      case COMPLETED:
        return "completed by " + result.record().result()[0];
      case IN_PROGRESS:
        return "in progress " + result.retryAfter().getSeconds();
      default:
        return "mismatch";
    }
  }

  /**
   * Completes a key.
   *
   * @param key the key index
   * @param owner the owner index
   * @param fencing the fencing token
   * @return the answer
   */
  @Operation
  public WriteResult complete(@Param(name = "key") int key, @Param(name = "owner") int owner,
      @Param(name = "fencing") int fencing) {
    return store.complete(KEYS[key], OWNERS[owner], fencing, new byte[] {(byte) owner}, TTL);
  }

  /**
   * Releases a key.
   *
   * @param key the key index
   * @param owner the owner index
   * @param fencing the fencing token
   * @return the answer
   */
  @Operation
  public WriteResult release(@Param(name = "key") int key, @Param(name = "owner") int owner,
      @Param(name = "fencing") int fencing) {
    return store.release(KEYS[key], OWNERS[owner], fencing);
  }

  /**
   * Renews a lease.
   *
   * @param key the key index
   * @param owner the owner index
   * @param fencing the fencing token
   * @return the answer
   */
  @Operation
  public WriteResult renew(@Param(name = "key") int key, @Param(name = "owner") int owner,
      @Param(name = "fencing") int fencing) {
    return store.renew(KEYS[key], OWNERS[owner], fencing, LEASE);
  }

  /**
   * Reads a key.
   *
   * @param key the key index
   * @return the record, as text
   */
  @Operation
  public String read(@Param(name = "key") int key) {
    return store.read(KEYS[key])
        .map(r -> r.state() + " " + r.ownerToken().charAt(0) + " " + r.fencingToken() + " " + r.timeToLive().getSeconds())
        .orElse("absent");
  }

  /**
   * Deletes a key.
   *
   * @param key the key index
   * @return whether a live record was removed
   */
  @Operation
  public boolean delete(@Param(name = "key") int key) {
    return store.delete(KEYS[key]);
  }

  /**
   * Purges expired records.
   *
   * @return how many were removed
   */
  @Operation
  public int purge() {
    return store.purgeExpired(10);
  }

  /** Lets 40 seconds pass: leases lapse, and records claimed 60 s ago expire. */
  @Operation
  public void advance() {
    now.addAndGet(40_000_000_000L);
  }

  @Test
  void linearizable() {
    LinChecker.check(InMemoryIdempotencyStoreLincheckTest.class,
        new ModelCheckingOptions().iterations(30).invocationsPerIteration(30).threads(2).actorsPerThread(3)
            // ConcurrentHashMap.compute is atomic per key (the JDK's guarantee this store relies on); treating
            // the map's methods as atomic keeps the model small, while our own steps outside it, such as a
            // slot counted before or after a removal, still interleave
            .addGuarantee(ManagedStrategyGuaranteeKt.forClasses(ConcurrentHashMap.class.getName())
                .allMethods().treatAsAtomic()));
  }
}
