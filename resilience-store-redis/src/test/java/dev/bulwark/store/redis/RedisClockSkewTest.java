package dev.bulwark.store.redis;

import dev.bulwark.idempotency.conformance.ExactlyOnceWorker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.idempotency.ClaimResult;
import dev.bulwark.idempotency.WriteResult;
import dev.bulwark.store.redis.testing.RedisExtension;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Application instances whose clocks are minutes off cannot steal a live lease or expire one early, because
 * no application time ever reaches Redis: every command the server receives during a full scenario is
 * captured with {@code MONITOR}, and every number the store sent is a duration or a fencing token it was
 * given, never an instant.
 */
class RedisClockSkewTest {

  @RegisterExtension static final RedisExtension REDIS = RedisExtension.shared();


  @Test
  void noApplicationTimeReachesRedis() throws Exception {
    List<List<String>> commands = new CopyOnWriteArrayList<>();
    try (Socket monitor = new Socket(InetAddress.getLoopbackAddress(), REDIS.server().port())) {
      OutputStream out = monitor.getOutputStream();
      out.write("MONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(monitor.getInputStream(), StandardCharsets.UTF_8));
      assertThat(in.readLine()).isEqualTo("+OK");
      Thread reader = new Thread(() -> {
        try {
          for (String line = in.readLine(); line != null; line = in.readLine()) {
            commands.add(quotedArguments(line));
          }
        } catch (java.io.IOException closed) {
          // the test closed the socket
        }
      }, "monitor");
      reader.setDaemon(true);
      reader.start();

      RedisClient client = RedisTestSupport.client(REDIS.server().uri());
      try (StatefulRedisConnection<byte[], byte[]> connection = RedisTestSupport.connect(client)) {
        String prefix = "skew:" + System.nanoTime() + ":";
        RedisIdempotencyStore store = RedisIdempotencyStore.builder(connection).keyPrefix(prefix).build();
        Duration lease = Duration.ofSeconds(30);
        Duration ttl = Duration.ofMinutes(10);
        Duration resultTtl = Duration.ofHours(1);
        String key = ExactlyOnceWorker.keyHash("skew", 1);
        String fingerprint = ExactlyOnceWorker.sha256("request");
        String first = ExactlyOnceWorker.randomHex(32);

        long fencing = store.claim(key, fingerprint, first, lease, ttl).fencingToken();
        assertThat(store.renew(key, first, fencing, lease)).isEqualTo(WriteResult.APPLIED);
        RedisTestSupport.age(connection, prefix, Duration.ofSeconds(40));
        String second = ExactlyOnceWorker.randomHex(32);
        ClaimResult takeover = store.claim(key, fingerprint, second, lease, ttl);
        assertThat(takeover.isTakeover()).isTrue();
        assertThat(store.complete(key, second, takeover.fencingToken(), new byte[] {1}, resultTtl))
            .isEqualTo(WriteResult.APPLIED);
        assertThat(store.read(key)).isPresent();
        assertThat(store.release(key, second, takeover.fencingToken())).isEqualTo(WriteResult.FENCED);
        store.delete(key);
        connection.sync().echo("end-of-scenario".getBytes(StandardCharsets.US_ASCII));

        try {
          await().atMost(Duration.ofSeconds(10))
              .until(() -> commands.stream().anyMatch(c -> c.contains("end-of-scenario")));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
          throw new AssertionError("monitor saw " + commands.size() + ": " + commands.subList(0,
              Math.min(5, commands.size())) + " last " + (commands.isEmpty() ? "" : commands.get(commands.size() - 1)), e);
        }

        Set<String> durationsAndTokens = Set.of(
            Long.toString(lease.toMillis()), Long.toString(ttl.toMillis()), Long.toString(resultTtl.toMillis()),
            String.format("%020d", fencing), String.format("%020d", takeover.fencingToken()));
        List<List<String>> scripts = new ArrayList<>();
        for (List<String> command : commands) {
          if (command.size() > 1 && isStoreScript(command.get(0), command.get(1))) {
            scripts.add(command);
          }
        }
        assertThat(scripts).as("the store's scripts, as Redis received them").hasSizeGreaterThanOrEqualTo(6);
        for (List<String> script : scripts) {
          // EVALSHA sha numkeys key arg...: the arguments are tokens, hashes, the result, and numbers
          for (String arg : script.subList(4, script.size())) {
            if (arg.matches("[0-9]+")) {
              assertThat(durationsAndTokens).as("a number sent in %s", script).contains(arg);
            }
          }
        }
      } finally {
        client.shutdown();
      }
    }
  }

  /** Whether a command runs one of the store's scripts (not the test's own aging script). */
  private static boolean isStoreScript(String command, String shaOrSource) {
    for (Script script : Script.values()) {
      if (command.equalsIgnoreCase("EVALSHA") && shaOrSource.equals(script.sha1)) {
        return true;
      }
    }
    return command.equalsIgnoreCase("EVAL") && shaOrSource.startsWith("-- Bulwark idempotency store");
  }

  /** The quoted arguments of a MONITOR line: {@code +<time> [<db> <client>] "CMD" "arg" ...}. */
  private static List<String> quotedArguments(String line) {
    List<String> args = new ArrayList<>();
    StringBuilder current = null;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (current == null) {
        if (c == '"') {
          current = new StringBuilder();
        }
      } else if (c == '\\' && i + 1 < line.length()) {
        current.append(c).append(line.charAt(++i));
      } else if (c == '"') {
        args.add(current.toString());
        current = null;
      } else {
        current.append(c);
      }
    }
    return args;
  }
}
