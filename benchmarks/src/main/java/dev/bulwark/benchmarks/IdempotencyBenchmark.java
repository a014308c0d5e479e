package dev.bulwark.benchmarks;

import dev.bulwark.idempotency.ClaimResult;
import dev.bulwark.idempotency.Idempotency;
import dev.bulwark.idempotency.IdempotencyConfig;
import dev.bulwark.idempotency.InMemoryIdempotencyStore;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The idempotency executor over the in-memory store: the first execution of a key (claim, run, complete)
 * and the replay of a completed key. None of the peers (Resilience4j, Failsafe, concurrency-limits) has an
 * idempotency primitive, so Bulwark is measured against the bare call only.
 *
 * <ul>
 *   <li>{@code bulwarkExecute}: a fresh key each call: hash the key and fingerprint (SHA-256), claim, run,
 *       encode the result, complete; then {@code forget} the key so the store stays the same size (the
 *       figure includes that delete);</li>
 *   <li>{@code bulwarkReplay}: one completed key, called again and again: hash, claim (finds COMPLETED),
 *       decode, return;</li>
 *   <li>{@code bulwarkStoreClaimComplete} and {@code bulwarkStoreReplay}: the same two paths on the store
 *       alone, with precomputed hashes, to separate the store's cost from the executor's (hashing,
 *       envelope, codec);</li>
 *   <li>{@code baseline}: the bare work.</li>
 * </ul>
 * Run at 1 and 2 threads; with {@code -prof gc}, {@code gc.alloc.rate.norm} is the bytes allocated per call:
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar IdempotencyBenchmark -t 1 -prof gc
 * java -jar benchmarks/target/benchmarks.jar IdempotencyBenchmark -t 2 -prof gc
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class IdempotencyBenchmark {
  private static final String FINGERPRINT = "POST /payments 9f86d081884c7d65";
  private static final String RESULT = "receipt 4711";
  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final Duration TTL = Duration.ofHours(24);

  private InMemoryIdempotencyStore store;
  private Idempotency idempotency;
  private Callable<String> work;
  private String replayKeyHash;
  private String fingerprintHash;
  private byte[] storedResult;

  /** Per-thread fresh keys, so threads never contend on one key in the execute paths. */
  @State(Scope.Thread)
  public static class Keys {
    private final String prefix = "key-" + Long.toHexString(ThreadLocalRandom.current().nextLong()) + "-";
    private final String hashPrefix = hex(32); // distinct per thread: threads never share a key
    private long sequence;
    private final StringBuilder hash = new StringBuilder(64);
    private final String owner = hex(32);

    String nextKey() {
      return prefix + sequence++;
    }

    String nextKeyHash() {
      hash.setLength(0);
      hash.append(hashPrefix);
      String suffix = Long.toHexString(sequence++);
      for (int i = suffix.length(); i < 32; i++) {
        hash.append('0');
      }
      hash.append(suffix);
      return hash.toString();
    }
  }

  @Setup
  public void setUp() throws Exception {
    store = InMemoryIdempotencyStore.builder().maxEntries(1 << 20).build();
    idempotency = Idempotency.builder("payments")
        .config(IdempotencyConfig.builder().heartbeatInterval(Duration.ZERO).build())
        .store(store)
        .build();
    work = () -> RESULT;
    idempotency.execute("replayed-key", FINGERPRINT, work);

    replayKeyHash = hex(64);
    fingerprintHash = hex(64);
    String owner = hex(32);
    storedResult = new byte[64];
    long fencing = store.claim(replayKeyHash, fingerprintHash, owner, LEASE, TTL).fencingToken();
    store.complete(replayKeyHash, owner, fencing, storedResult, TTL);
  }

  private static String hex(int length) {
    StringBuilder hex = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      hex.append(Character.forDigit(ThreadLocalRandom.current().nextInt(16), 16));
    }
    return hex.toString();
  }

  @Benchmark
  public String baseline() throws Exception {
    return work.call();
  }

  @Benchmark
  public String bulwarkExecute(Keys keys) throws Exception {
    String key = keys.nextKey();
    String result = idempotency.execute(key, FINGERPRINT, work);
    idempotency.forget(key);
    return result;
  }

  @Benchmark
  public String bulwarkReplay() throws Exception {
    return idempotency.execute("replayed-key", FINGERPRINT, work);
  }

  @Benchmark
  public boolean bulwarkStoreClaimComplete(Keys keys) {
    String keyHash = keys.nextKeyHash();
    ClaimResult claim = store.claim(keyHash, fingerprintHash, keys.owner, LEASE, TTL);
    store.complete(keyHash, keys.owner, claim.fencingToken(), storedResult, TTL);
    return store.delete(keyHash);
  }

  @Benchmark
  public ClaimResult bulwarkStoreReplay(Keys keys) {
    return store.claim(replayKeyHash, fingerprintHash, keys.owner, LEASE, TTL);
  }
}
