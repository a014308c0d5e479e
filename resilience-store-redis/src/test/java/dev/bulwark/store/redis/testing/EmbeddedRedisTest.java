package dev.bulwark.store.redis.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;

/** The fixture itself: a real server from the Maven artifact, restartable on the same port and data. */
class EmbeddedRedisTest {

  @Test
  void startsCrashesAndComesBackWithItsDataOnTheSamePort() throws Exception {
    try (EmbeddedRedis redis = EmbeddedRedis.launch()) {
      assertThat(redis.version()).startsWith("Redis server v=6.");
      RedisClient client = RedisClient.create(redis.uri());
      try {
        try (StatefulRedisConnection<String, String> c = client.connect()) {
          c.sync().set("survivor", "1");
        }
        redis.crash();
        assertThat(redis.isRunning()).isFalse();
        redis.start();
        try (StatefulRedisConnection<String, String> c = client.connect()) {
          assertThat(c.sync().get("survivor")).isEqualTo("1");
          c.sync().set("second", "2");
        }
        redis.stop();
        redis.start();
        try (StatefulRedisConnection<String, String> c = client.connect()) {
          assertThat(c.sync().mget("survivor", "second")).hasSize(2)
              .allSatisfy(kv -> assertThat(kv.hasValue()).isTrue());
        }
      } finally {
        client.shutdown();
      }
    }
  }
}
