package dev.bulwark.store.jdbc.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives a test class a real PostgreSQL server.
 *
 * <p>{@link #shared()} starts one server for the whole test run (kept in JUnit's root store, closed when
 * the run ends): the cheap default for tests that only need a database. {@link #perClass()} starts a
 * server for one test class and closes it after the class: for tests that stop, crash or restart it.
 *
 * <pre>{@code
 * @RegisterExtension static final PostgresExtension PG = PostgresExtension.shared();
 *
 * @Test void works() throws Exception {
 *   try (Connection c = PG.dataSource().getConnection()) { ... }
 * }
 * }</pre>
 */
public final class PostgresExtension implements BeforeAllCallback, AfterAllCallback {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(PostgresExtension.class);

  private final boolean shared;
  private volatile EmbeddedPostgres server;

  private PostgresExtension(boolean shared) {
    this.shared = shared;
  }

  /** One server for every class that uses this, started on first use, stopped when the test run ends. */
  public static PostgresExtension shared() {
    return new PostgresExtension(true);
  }

  /** A server of the class's own, stopped and deleted after the class. */
  public static PostgresExtension perClass() {
    return new PostgresExtension(false);
  }

  /** The server; available from {@code @BeforeAll} on. */
  public EmbeddedPostgres server() {
    return Objects.requireNonNull(server, "server not started: register the extension with @RegisterExtension");
  }

  /** The server's unpooled data source. */
  public DataSource dataSource() {
    return server().dataSource();
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    if (shared) {
      server = context.getRoot().getStore(NAMESPACE)
          .computeIfAbsent(EmbeddedPostgres.class, k -> launch(), EmbeddedPostgres.class);
    } else {
      server = EmbeddedPostgres.launch();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    if (!shared && server != null) {
      server.close();
    }
  }

  private static EmbeddedPostgres launch() {
    try {
      return EmbeddedPostgres.launch();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
