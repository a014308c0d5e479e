package dev.bulwark.idempotency.conformance;

import dev.bulwark.idempotency.ClaimResult;
import dev.bulwark.idempotency.IdempotencyRecord;
import dev.bulwark.idempotency.IdempotencyStore;
import dev.bulwark.idempotency.IdempotencyStoreException;
import dev.bulwark.idempotency.WriteResult;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * What an idempotent executor does with one key, reduced to the store protocol, for the tests that run
 * many of them against a real server: claim; if claimed, run the work and complete; if completed, done; if
 * in progress, try again. Store failures are retried (after a short pause: the server may be down), and a
 * claim or completion whose answer was lost with the connection is resolved by reading the record, as an
 * executor that fails closed would on the caller's retry. Shared by the store modules' tests.
 */
public final class ExactlyOnceWorker {
  public static final Duration LEASE = Duration.ofSeconds(30);
  public static final Duration TTL = Duration.ofHours(1);

  /** The work: must run exactly once per key. */
  @FunctionalInterface
  public interface Work {
    void run(String keyHash) throws Exception;
  }

  private final IdempotencyStore store;
  private final String worker;
  public final LongAdder executions = new LongAdder();
  public final LongAdder replays = new LongAdder();
  public final LongAdder storeFailures = new LongAdder();
  public volatile IdempotencyStoreException lastFailure;

  public ExactlyOnceWorker(IdempotencyStore store, String worker) {
    this.store = store;
    this.worker = worker;
  }

  /** The result a key's execution stores: who ran it. */
  public byte[] resultOf() {
    return worker.getBytes(StandardCharsets.UTF_8);
  }

  /** Processes one key until its record is completed, by this worker or another. */
  public void process(String keyHash, String fingerprint, Work work) throws Exception {
    String owner = randomHex(32);
    while (true) {
      ClaimResult claim;
      try {
        claim = store.claim(keyHash, fingerprint, owner, LEASE, TTL);
      } catch (IdempotencyStoreException e) {
        failed(e);
        continue;
      }
      switch (claim.status()) {
        case CLAIMED:
          execute(keyHash, owner, claim.fencingToken(), work);
          return;
        case COMPLETED:
          replays.increment();
          return;
        case IN_PROGRESS:
          Optional<IdempotencyRecord> record = readQuietly(keyHash);
          if (record.isPresent() && record.get().ownerToken().equals(owner)
              && record.get().state() == IdempotencyRecord.State.IN_PROGRESS) {
            // our own claim went through but its answer was lost with the connection: it is ours
            execute(keyHash, owner, record.get().fencingToken(), work);
            return;
          }
          Thread.onSpinWait();
          continue;
        default:
          throw new AssertionError("unexpected " + claim + " for " + keyHash);
      }
    }
  }

  private void execute(String keyHash, String owner, long fencing, Work work) throws Exception {
    executions.increment();
    work.run(keyHash);
    byte[] result = resultOf();
    while (true) {
      WriteResult written;
      try {
        written = store.complete(keyHash, owner, fencing, result, TTL);
      } catch (IdempotencyStoreException e) {
        failed(e);
        continue;
      }
      if (written == WriteResult.APPLIED) {
        return;
      }
      // FENCED: fine only if an earlier attempt of ours was applied and its answer lost
      Optional<IdempotencyRecord> record = readQuietly(keyHash);
      if (record.isPresent() && record.get().state() == IdempotencyRecord.State.COMPLETED
          && record.get().ownerToken().equals(owner)) {
        return;
      }
      throw new AssertionError("completion of " + keyHash + " fenced, record " + record);
    }
  }

  private Optional<IdempotencyRecord> readQuietly(String keyHash) {
    while (true) {
      try {
        return store.read(keyHash);
      } catch (IdempotencyStoreException e) {
        failed(e);
      }
    }
  }

  private void failed(IdempotencyStoreException e) {
    storeFailures.increment();
    lastFailure = e;
    // the server is down: pause briefly instead of spinning (this is the worker, not a test's timing)
    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
  }

  /** The key hash of the i-th key of a run: the SHA-256 of its name, as the executor would send it. */
  public static String keyHash(String run, int i) {
    return sha256(run + "/key-" + i);
  }

  public static String sha256(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      StringBuilder hex = new StringBuilder(64);
      for (byte b : digest) {
        hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
      }
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String randomHex(int length) {
    StringBuilder hex = new StringBuilder(length);
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int i = 0; i < length; i++) {
      hex.append(Character.forDigit(random.nextInt(16), 16));
    }
    return hex.toString();
  }
}
