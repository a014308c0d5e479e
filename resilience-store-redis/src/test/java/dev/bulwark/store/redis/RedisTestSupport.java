package dev.bulwark.store.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Clients and time travel for the Redis store's tests. */
final class RedisTestSupport {
  private static final String AGE = "local p = redis.call('PTTL', KEYS[1]) "
      + "if p > tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[1], p - tonumber(ARGV[1])) "
      + "elseif p ~= -2 then redis.call('DEL', KEYS[1]) end return p";

  private RedisTestSupport() {}

  /** A client that fails commands at once while disconnected, as the store's documentation advises. */
  static RedisClient client(String uri) {
    RedisClient client = RedisClient.create(uri);
    client.setOptions(ClientOptions.builder()
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .build());
    return client;
  }

  static StatefulRedisConnection<byte[], byte[]> connect(RedisClient client) {
    return client.connect(ByteArrayCodec.INSTANCE);
  }

  /**
   * Ages every record under the prefix by {@code d}: shortens each key's remaining time to live (its lease
   * threshold stays, so the lease shortens with it) and deletes the keys whose life it exceeds.
   */
  static void age(StatefulRedisConnection<byte[], byte[]> connection, String prefix, Duration d) {
    RedisCommands<byte[], byte[]> sync = connection.sync();
    byte[] millis = Long.toString(d.toMillis()).getBytes(StandardCharsets.US_ASCII);
    ScanCursor cursor = ScanCursor.INITIAL;
    ScanArgs match = ScanArgs.Builder.matches(prefix + "*").limit(1000);
    do {
      KeyScanCursor<byte[]> page = sync.scan(cursor, match);
      for (byte[] key : page.getKeys()) {
        sync.eval(AGE, ScriptOutputType.INTEGER, new byte[][] {key}, millis);
      }
      cursor = page;
    } while (!cursor.isFinished());
  }
}
