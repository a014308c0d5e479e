package dev.bulwark.store.redis;

import dev.bulwark.idempotency.IdempotencyStore;
import dev.bulwark.idempotency.conformance.IdempotencyStoreConformance;
import dev.bulwark.store.redis.testing.RedisExtension;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Redis store on a real Redis server passes the conformance kit. */
class RedisIdempotencyStoreConformanceTest extends IdempotencyStoreConformance {

  @RegisterExtension static final RedisExtension REDIS = RedisExtension.shared();

  private static final String PREFIX = "conformance:" + ProcessHandle.current().pid() + ":";
  private static RedisClient client;
  private static StatefulRedisConnection<byte[], byte[]> connection;
  private static RedisIdempotencyStore redis;

  @BeforeAll
  static void connect() {
    client = RedisTestSupport.client(REDIS.server().uri());
    connection = RedisTestSupport.connect(client);
    redis = RedisIdempotencyStore.builder(connection).keyPrefix(PREFIX).maxResultBytes(256 * 1024).build();
  }

  @AfterAll
  static void disconnect() {
    connection.close();
    client.shutdown();
  }

  @Override
  protected IdempotencyStore createStore() {
    return redis;
  }

  @Override
  protected void advanceStoreTime(Duration duration) {
    RedisTestSupport.age(connection, PREFIX, duration);
  }

  @Override
  protected boolean isStored(String keyHash) {
    return connection.sync().exists((PREFIX + keyHash).getBytes(StandardCharsets.UTF_8)) > 0;
  }
}
