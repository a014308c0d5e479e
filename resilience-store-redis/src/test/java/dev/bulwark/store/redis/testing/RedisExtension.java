package dev.bulwark.store.redis.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives a test class a real Redis server.
 *
 * <p>{@link #shared()} starts one server for the whole test run (kept in JUnit's root store, closed when
 * the run ends), with {@code appendfsync everysec}: tests that never stop it need no fsync per write.
 * {@link #perClass()} starts one for a single test class, with {@code appendfsync always}, for tests that
 * stop, crash or restart it and count on every acknowledged write surviving.
 *
 * <pre>{@code
 * @RegisterExtension static final RedisExtension REDIS = RedisExtension.shared();
 *
 * @Test void works() {
 *   RedisClient client = RedisClient.create(REDIS.server().uri());
 * }
 * }</pre>
 */
public final class RedisExtension implements BeforeAllCallback, AfterAllCallback {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(RedisExtension.class);

  private final boolean shared;
  private volatile EmbeddedRedis server;

  private RedisExtension(boolean shared) {
    this.shared = shared;
  }

  /** One server for every class that uses this, started on first use, stopped when the test run ends. */
  public static RedisExtension shared() {
    return new RedisExtension(true);
  }

  /** A server of the class's own, stopped and deleted after the class. */
  public static RedisExtension perClass() {
    return new RedisExtension(false);
  }

  /** The server; available from {@code @BeforeAll} on. */
  public EmbeddedRedis server() {
    return Objects.requireNonNull(server, "server not started: register the extension with @RegisterExtension");
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    if (shared) {
      server = context.getRoot().getStore(NAMESPACE)
          .computeIfAbsent(EmbeddedRedis.class, k -> launch(), EmbeddedRedis.class);
    } else {
      server = EmbeddedRedis.launch(true);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    if (!shared && server != null) {
      server.close();
    }
  }

  private static EmbeddedRedis launch() {
    try {
      return EmbeddedRedis.launch(false);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
