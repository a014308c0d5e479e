package dev.bulwark.store.redis;

import dev.bulwark.idempotency.ClaimResult;
import dev.bulwark.idempotency.IdempotencyRecord;
import dev.bulwark.idempotency.IdempotencyStore;
import dev.bulwark.idempotency.IdempotencyStoreException;
import dev.bulwark.idempotency.StoreArguments;
import dev.bulwark.idempotency.WriteResult;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An {@link IdempotencyStore} on Redis through the Lettuce client, shared by every instance of a service.
 *
 * <p>Each record is one Redis string under {@code keyPrefix + keyHash}; the key's expiry ({@code PX}) is the
 * record's time to live, so Redis removes expired records by itself and {@link #purgeExpired(int)} has
 * nothing to do. A claim of a free key is {@code SET key record NX PX ttl}; the lease of an in-progress
 * record is stored as a threshold on the key's remaining time to live (live while {@code PTTL > threshold}),
 * so both deadlines are counted down by the <em>Redis server's</em> clock and no client's clock is consulted.
 * Each operation is one Lua script run by {@code EVALSHA} (reloaded after a server restart), atomic on its
 * key:
 * <ul>
 *   <li><b>claim</b>: {@code SET NX PX}; when the key exists, the same script replays a completed record,
 *       answers in-progress or fingerprint-mismatch, or takes over a lapsed lease with the fencing token plus
 *       one;</li>
 *   <li><b>complete, release, renew</b>: check the owner token and fencing token of the in-progress record,
 *       then rewrite, delete or extend it; any other caller is fenced and changes nothing.</li>
 * </ul>
 *
 * <p><b>Replicas and failover.</b> Redis replicates asynchronously. A claim or completion acknowledged by
 * a primary that fails before its replica received the write is lost when the replica is promoted: the key
 * is free again, and a retry runs the work a second time. Redis (Sentinel or Cluster) therefore gives
 * "at most once unless a failover loses the last writes", not the durability of a synchronously replicated
 * database. Use the JDBC store on PostgreSQL where a duplicate execution after a failover is unacceptable.
 * Persistence on a single server is the server's {@code appendonly}/{@code appendfsync} setting.
 *
 * <p><b>Failures</b> (connection lost, timeout, server error) throw {@link IdempotencyStoreException}; the
 * executor fails closed on it by default. Create the client with
 * {@code ClientOptions.disconnectedBehavior(REJECT_COMMANDS)} so that commands fail at once while the
 * connection is down, instead of queueing until {@link Builder#commandTimeout(Duration)}.
 *
 * <pre>{@code
 * RedisClient client = RedisClient.create("redis://redis.internal:6379");
 * client.setOptions(ClientOptions.builder()
 *     .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
 * StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE);
 * RedisIdempotencyStore store = RedisIdempotencyStore.builder(connection)
 *     .keyPrefix("orders:idempotency:")
 *     .build();
 * }</pre>
 */
public final class RedisIdempotencyStore implements IdempotencyStore {

  private static final String DEFAULT_PREFIX = "bulwark:idempotency:";
  private static final int DEFAULT_MAX_RESULT_BYTES = 1 << 20;
  private static final int MAX_RESULT_BYTES_LIMIT = 256 << 20;
  private static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(2);
  /** Longest duration sent to Redis: 100 years in milliseconds, within the 15 digits of a lease threshold. */
  private static final long MAX_MILLIS = Duration.ofDays(36_525).toMillis();

  private final StatefulRedisConnection<byte[], byte[]> connection;
  private final byte[] prefix;
  private final String prefixText;
  private final int maxResultBytes;
  private final long commandTimeoutNanos;

  private RedisIdempotencyStore(Builder builder) {
    this.connection = builder.connection;
    this.prefixText = builder.prefix;
    this.prefix = builder.prefix.getBytes(StandardCharsets.UTF_8);
    this.maxResultBytes = builder.maxResultBytes;
    this.commandTimeoutNanos = builder.commandTimeout.toNanos();
  }

  /**
   * Returns a store with the defaults on a connection that uses {@code ByteArrayCodec}.
   *
   * @param connection a connection to the Redis server (thread-safe, shared by every caller)
   * @return the store
   */
  public static RedisIdempotencyStore of(StatefulRedisConnection<byte[], byte[]> connection) {
    return builder(connection).build();
  }

  /**
   * Starts a store on a connection that uses {@code ByteArrayCodec}
   * ({@code client.connect(ByteArrayCodec.INSTANCE)}). The store does not close the connection.
   *
   * @param connection a connection to the Redis server
   * @return a builder with the defaults
   */
  public static Builder builder(StatefulRedisConnection<byte[], byte[]> connection) {
    return new Builder(connection);
  }

  /**
   * Returns the prefix of every key the store writes.
   *
   * @return the prefix, {@code bulwark:idempotency:} by default
   */
  public String keyPrefix() {
    return prefixText;
  }

  @Override
  public ClaimResult claim(String keyHash, String fingerprint, String ownerToken, Duration lease, Duration ttl) {
    StoreArguments.checkClaim(keyHash, fingerprint, ownerToken, lease, ttl);
    long leaseMillis = millis(lease);
    long ttlMillis = Math.max(millis(ttl), leaseMillis);
    List<Object> reply = run("claim", Script.CLAIM, ScriptOutputType.MULTI, key(keyHash),
        ascii(fingerprint), ascii(ownerToken), ascii(Long.toString(leaseMillis)), ascii(Long.toString(ttlMillis)));
    int status = ((Long) reply.get(0)).intValue();
    switch (status) {
      case 1:
        return ClaimResult.claimed((Long) reply.get(1), false);
      case 2:
        return ClaimResult.claimed((Long) reply.get(1), true);
      case 3:
        return ClaimResult.completed(decode("claim", (Long) reply.get(1), (byte[]) reply.get(2)));
      case 4:
        return ClaimResult.inProgress(Duration.ofMillis((Long) reply.get(1)));
      case 5:
        return ClaimResult.fingerprintMismatch();
      default:
        throw new IdempotencyStoreException("Redis idempotency store: claim script answered " + reply, null);
    }
  }

  @Override
  public WriteResult complete(String keyHash, String ownerToken, long fencingToken, byte[] result, Duration ttl) {
    StoreArguments.checkComplete(keyHash, ownerToken, fencingToken, result, ttl, maxResultBytes);
    Long applied = run("complete", Script.COMPLETE, ScriptOutputType.INTEGER, key(keyHash),
        ascii(ownerToken), RecordCodec.fencing(fencingToken), ascii(Long.toString(millis(ttl))), result);
    return applied == 1 ? WriteResult.APPLIED : WriteResult.FENCED;
  }

  @Override
  public WriteResult release(String keyHash, String ownerToken, long fencingToken) {
    StoreArguments.checkOwnership(keyHash, ownerToken, fencingToken);
    Long applied = run("release", Script.RELEASE, ScriptOutputType.INTEGER, key(keyHash),
        ascii(ownerToken), RecordCodec.fencing(fencingToken));
    return applied == 1 ? WriteResult.APPLIED : WriteResult.FENCED;
  }

  @Override
  public WriteResult renew(String keyHash, String ownerToken, long fencingToken, Duration lease) {
    StoreArguments.checkOwnership(keyHash, ownerToken, fencingToken);
    long leaseMillis = millis(StoreArguments.requirePositive("lease", lease));
    Long applied = run("renew", Script.RENEW, ScriptOutputType.INTEGER, key(keyHash),
        ascii(ownerToken), RecordCodec.fencing(fencingToken), ascii(Long.toString(leaseMillis)));
    return applied == 1 ? WriteResult.APPLIED : WriteResult.FENCED;
  }

  @Override
  public Optional<IdempotencyRecord> read(String keyHash) {
    StoreArguments.requireKeyHash(keyHash);
    List<Object> reply = run("read", Script.READ, ScriptOutputType.MULTI, key(keyHash));
    if (reply == null || reply.isEmpty() || reply.get(0) == null) {
      return Optional.empty();
    }
    return Optional.of(decode("read", (Long) reply.get(0), (byte[]) reply.get(1)));
  }

  private static IdempotencyRecord decode(String operation, long pttl, byte[] value) {
    try {
      return RecordCodec.decode(pttl, value);
    } catch (RuntimeException e) {
      throw new IdempotencyStoreException("Redis idempotency store: " + operation + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public boolean delete(String keyHash) {
    StoreArguments.requireKeyHash(keyHash);
    byte[] key = key(keyHash);
    return await("delete", connection.async().del(key)) > 0;
  }

  /**
   * Does nothing: Redis removes a record when its key expires.
   *
   * @param limit at least 1
   * @return 0
   */
  @Override
  public int purgeExpired(int limit) {
    StoreArguments.requireLimit(limit);
    return 0;
  }

  /**
   * Returns the largest result {@link #complete} accepts.
   *
   * @return {@link Builder#maxResultBytes(int)}, 1 MiB by default
   */
  @Override
  public int maxResultBytes() {
    return maxResultBytes;
  }

  @Override
  public String toString() {
    return "RedisIdempotencyStore[keyPrefix=" + prefixText + ", maxResultBytes=" + maxResultBytes
        + ", commandTimeout=" + Duration.ofNanos(commandTimeoutNanos) + "]";
  }

  // ------------------------------------------------------------------------------------------------------

  /** Runs a script by its SHA-1, loading it first if the server does not know it (after a restart). */
  private <T> T run(String operation, Script script, ScriptOutputType type, byte[] key, byte[]... args) {
    RedisAsyncCommands<byte[], byte[]> async = connection.async();
    byte[][] keys = {key};
    try {
      return await(operation, async.<T>evalsha(script.sha1, type, keys, args));
    } catch (IdempotencyStoreException e) {
      if (!(e.getCause() instanceof RedisNoScriptException)) {
        throw e;
      }
      // EVAL runs the script and caches it; EVALSHA finds it from then on
      return await(operation, async.<T>eval(script.source, type, keys, args));
    }
  }

  private <T> T await(String operation, RedisFuture<T> future) {
    try {
      return future.get(commandTimeoutNanos, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new IdempotencyStoreException("Redis idempotency store: " + operation + " failed, Redis did not answer"
          + " within " + Duration.ofNanos(commandTimeoutNanos), e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IdempotencyStoreException("Redis idempotency store: " + operation + " failed: " + cause, cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(true);
      throw new IdempotencyStoreException("Redis idempotency store: " + operation + " interrupted", e);
    } catch (RedisException e) {
      throw new IdempotencyStoreException("Redis idempotency store: " + operation + " failed: " + e, e);
    }
  }

  private byte[] key(String keyHash) {
    byte[] key = Arrays.copyOf(prefix, prefix.length + keyHash.length());
    for (int i = 0; i < keyHash.length(); i++) {
      key[prefix.length + i] = (byte) keyHash.charAt(i);
    }
    return key;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** A positive duration in whole milliseconds, rounded up, at most 100 years. */
  static long millis(Duration d) {
    if (d.getSeconds() >= MAX_MILLIS / 1000) {
      return MAX_MILLIS;
    }
    long millis = d.getSeconds() * 1000 + (d.getNano() + 999_999) / 1_000_000;
    return Math.min(Math.max(millis, 1), MAX_MILLIS);
  }

  /**
   * Builds a {@link RedisIdempotencyStore}. Each option may be set once.
   *
   * <pre>{@code
   * RedisIdempotencyStore store = RedisIdempotencyStore.builder(connection)
   *     .keyPrefix("payments:idem:")
   *     .maxResultBytes(64 * 1024)
   *     .commandTimeout(Duration.ofMillis(500))
   *     .build();
   * }</pre>
   */
  public static final class Builder {
    private final StatefulRedisConnection<byte[], byte[]> connection;
    private String prefix = DEFAULT_PREFIX;
    private int maxResultBytes = DEFAULT_MAX_RESULT_BYTES;
    private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
    private boolean prefixSet;
    private boolean maxResultBytesSet;
    private boolean commandTimeoutSet;

    private Builder(StatefulRedisConnection<byte[], byte[]> connection) {
      this.connection = Objects.requireNonNull(connection, "connection");
    }

    /**
     * Sets the prefix of every key. Default {@code bulwark:idempotency:}. In Redis Cluster, a hash tag in the
     * prefix ({@code {idem}:}) would put every record on one shard: leave it out so records spread.
     *
     * @param keyPrefix the prefix; may be empty
     * @return this builder
     */
    public Builder keyPrefix(String keyPrefix) {
      once(prefixSet, "keyPrefix", prefix);
      this.prefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
      prefixSet = true;
      return this;
    }

    /**
     * Sets the largest result the store accepts. Default 1 MiB; at most 256 MiB. A record is read and written
     * whole, and Redis holds it in memory: keep results small.
     *
     * @param maxResultBytes the limit in bytes, in [1, 268435456]
     * @return this builder
     */
    public Builder maxResultBytes(int maxResultBytes) {
      once(maxResultBytesSet, "maxResultBytes", this.maxResultBytes);
      if (maxResultBytes < 1 || maxResultBytes > MAX_RESULT_BYTES_LIMIT) {
        throw new IllegalArgumentException(
            "maxResultBytes must be in [1, " + MAX_RESULT_BYTES_LIMIT + "], was " + maxResultBytes);
      }
      this.maxResultBytes = maxResultBytes;
      maxResultBytesSet = true;
      return this;
    }

    /**
     * Sets how long an operation waits for Redis before it fails. Default 2 seconds.
     *
     * @param commandTimeout a positive duration
     * @return this builder
     */
    public Builder commandTimeout(Duration commandTimeout) {
      once(commandTimeoutSet, "commandTimeout", this.commandTimeout);
      this.commandTimeout = StoreArguments.requirePositive("commandTimeout", commandTimeout);
      commandTimeoutSet = true;
      return this;
    }

    /**
     * Builds the store. Sends nothing to Redis: the scripts load on first use.
     *
     * @return the store
     */
    public RedisIdempotencyStore build() {
      return new RedisIdempotencyStore(this);
    }

    private static void once(boolean set, String option, Object value) {
      if (set) {
        throw new IllegalStateException(option + " was already set to " + value);
      }
    }
  }
}
