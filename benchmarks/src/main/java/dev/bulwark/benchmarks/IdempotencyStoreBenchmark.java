package dev.bulwark.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.idempotency.ClaimResult;
import dev.bulwark.idempotency.IdempotencyStore;
import dev.bulwark.idempotency.InMemoryIdempotencyStore;
import dev.bulwark.idempotency.WriteResult;
import dev.bulwark.store.caffeine.CaffeineIdempotencyStore;
import dev.bulwark.store.jdbc.JdbcIdempotencyStore;
import dev.bulwark.store.jdbc.testing.EmbeddedPostgres;
import dev.bulwark.store.redis.RedisIdempotencyStore;
import dev.bulwark.store.redis.testing.EmbeddedRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Latency of the idempotency stores' two hot paths, one store per {@code store} parameter:
 * <ul>
 *   <li>{@link #claimAndComplete()}: a first request, the claim of a fresh key and the completion that stores
 *       its result (two round trips to a server store);</li>
 *   <li>{@link #replay()}: a repeat, the claim of a completed key that returns its stored result (one round
 *       trip).</li>
 * </ul>
 * {@code postgres} is the JDBC store through HikariCP on a real PostgreSQL 17 and {@code redis} the Lettuce
 * store on a real Redis 6.2, both started by {@link #start()} from the Maven-shipped binaries on loopback;
 * {@code caffeine} and {@code inMemory} are in-process. Neither server waits for the disk (PostgreSQL runs
 * {@code fsync=off}, Redis {@code appendfsync everysec}): the figures measure the stores, not this machine's
 * disk. Server figures are dominated by the loopback round
 * trip and the server's own work, so compare them with each other, not with the in-process stores.
 *
 * <pre>{@code
 * java -jar benchmarks/target/benchmarks.jar IdempotencyStoreBenchmark -f 1 -wi 2 -w 1s -i 3 -r 1s -prof gc
 * java -jar benchmarks/target/benchmarks.jar IdempotencyStoreBenchmark -p store=postgres,redis -t 4
 * }</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class IdempotencyStoreBenchmark {

  /**
   * Short lease and ttl, so the fresh records of claimAndComplete expire within a fraction of a second and
   * the in-process stores stay far below their bounds however fast they run.
   */
  private static final Duration LEASE = Duration.ofMillis(50);
  private static final Duration TTL = Duration.ofMillis(100);
  private static final byte[] RESULT = new byte[256];

  @Param({"postgres", "redis", "caffeine", "inMemory"})
  public String store;

  private IdempotencyStore idempotencyStore;
  private EmbeddedPostgres postgres;
  private HikariDataSource pool;
  private EmbeddedRedis redis;
  private RedisClient redisClient;
  private StatefulRedisConnection<byte[], byte[]> redisConnection;

  private final AtomicLong keys = new AtomicLong(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
  private final String fingerprint = hex(Long.MAX_VALUE / 3, 64);
  private final String owner = hex(Long.MAX_VALUE / 5, 32);
  private String completedKey;

  @Setup(Level.Trial)
  public void start() throws Exception {
    switch (store) {
      case "postgres":
        postgres = EmbeddedPostgres.launch();
        HikariConfig config = new HikariConfig();
        config.setDataSource(postgres.dataSource());
        config.setMaximumPoolSize(Math.max(4, Runtime.getRuntime().availableProcessors() * 2));
        pool = new HikariDataSource(config);
        JdbcIdempotencyStore jdbc = JdbcIdempotencyStore.of(pool);
        jdbc.createTableIfMissing();
        idempotencyStore = jdbc;
        break;
      case "redis":
        redis = EmbeddedRedis.launch(false); // appendfsync everysec, as PostgreSQL here runs fsync=off
        redisClient = RedisClient.create(redis.uri());
        redisConnection = redisClient.connect(ByteArrayCodec.INSTANCE);
        idempotencyStore = RedisIdempotencyStore.of(redisConnection);
        break;
      case "caffeine":
        idempotencyStore = CaffeineIdempotencyStore.builder().maximumCompleted(1_000_000).build();
        break;
      case "inMemory":
        idempotencyStore = InMemoryIdempotencyStore.builder().maxEntries(1_000_000).build();
        break;
      default:
        throw new IllegalArgumentException("store must be postgres, redis, caffeine or inMemory, was " + store);
    }
    completedKey = nextKey();
    ClaimResult claim = idempotencyStore.claim(completedKey, fingerprint, owner, Duration.ofSeconds(30), Duration.ofHours(1));
    if (idempotencyStore.complete(completedKey, owner, claim.fencingToken(), RESULT, Duration.ofHours(1))
        != WriteResult.APPLIED) {
      throw new IllegalStateException("setup could not complete its replay key");
    }
  }

  @TearDown(Level.Trial)
  public void stop() throws Exception {
    if (pool != null) {
      pool.close();
    }
    if (postgres != null) {
      postgres.close();
    }
    if (redisConnection != null) {
      redisConnection.close();
      redisClient.shutdown();
    }
    if (redis != null) {
      redis.close();
    }
  }

  /** A first request: claim a fresh key, store the result. */
  @Benchmark
  public WriteResult claimAndComplete() {
    String key = nextKey();
    ClaimResult claim = idempotencyStore.claim(key, fingerprint, owner, LEASE, TTL);
    return idempotencyStore.complete(key, owner, claim.fencingToken(), RESULT, TTL);
  }

  /** A repeat: the claim of a completed key replays its result. */
  @Benchmark
  public ClaimResult replay() {
    return idempotencyStore.claim(completedKey, fingerprint, owner, LEASE, TTL);
  }

  private String nextKey() {
    return hex(keys.incrementAndGet(), 64);
  }

  /** {@code value} in lower-case hex, left-padded with zeros to {@code length} characters. */
  private static String hex(long value, int length) {
    char[] chars = new char[length];
    java.util.Arrays.fill(chars, '0');
    for (int i = length - 1; i >= length - 16; i--) {
      chars[i] = Character.forDigit((int) (value & 0xf), 16);
      value >>>= 4;
    }
    return new String(chars);
  }
}
