package dev.bulwark.store.jdbc;

import dev.bulwark.idempotency.conformance.ExactlyOnceWorker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.idempotency.ClaimResult;
import dev.bulwark.idempotency.IdempotencyStoreException;
import dev.bulwark.store.jdbc.testing.PostgresExtension;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Options, schema and dialect detection of the JDBC store. */
class JdbcIdempotencyStoreTest {

  @RegisterExtension static final PostgresExtension PG = PostgresExtension.shared();

  /** A data source whose every call fails as a refused connection does. */
  private static final DataSource UNREACHABLE = (DataSource) Proxy.newProxyInstance(
      JdbcIdempotencyStoreTest.class.getClassLoader(), new Class<?>[] {DataSource.class},
      (proxy, method, args) -> {
        throw new SQLException("Connection refused", "08001");
      });

  @Test
  void badOptionsAreRejectedWithTheOptionTheRuleAndTheValue() {
    assertThatThrownBy(() -> JdbcIdempotencyStore.builder(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("dataSource");
    JdbcIdempotencyStore.Builder builder = JdbcIdempotencyStore.builder(UNREACHABLE);
    assertThatThrownBy(() -> builder.tableName("idem; DROP TABLE users"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("tableName must be an unquoted SQL identifier")
        .hasMessageEndingWith("was \"idem; DROP TABLE users\"");
    assertThatThrownBy(() -> builder.tableName("a.b.c")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.tableName("\"quoted\"")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.tableName(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("tableName");
    assertThatThrownBy(() -> builder.maxResultBytes(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxResultBytes must be in [1, 268435456], was 0");
    assertThatThrownBy(() -> builder.maxResultBytes(300 << 20)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.queryTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("queryTimeout must be > 0, was PT0S");
    assertThatThrownBy(() -> builder.dialect(null)).isInstanceOf(NullPointerException.class).hasMessage("dialect");

    builder.tableName("app.idempotency").maxResultBytes(1024).queryTimeout(Duration.ofMillis(1500))
        .dialect(JdbcDialect.POSTGRESQL).joinTransactions(false);
    assertThatThrownBy(() -> builder.tableName("other")).isInstanceOf(IllegalStateException.class)
        .hasMessage("tableName was already set to app.idempotency");
    assertThatThrownBy(() -> builder.maxResultBytes(1)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> builder.queryTimeout(Duration.ofSeconds(1))).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> builder.dialect(JdbcDialect.H2)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> builder.joinTransactions(true)).isInstanceOf(IllegalStateException.class);

    JdbcIdempotencyStore store = builder.build();
    assertThat(store.tableName()).isEqualTo("app.idempotency");
    assertThat(store.maxResultBytes()).isEqualTo(1024);
    assertThat(store.dialect()).isEqualTo(JdbcDialect.POSTGRESQL);
    assertThat(store).hasToString("JdbcIdempotencyStore[table=app.idempotency, dialect=POSTGRESQL, "
        + "maxResultBytes=1024, queryTimeout=2s]");
  }

  @Test
  void buildingNeedsNoDatabaseAndAnUnreachableOneFailsTheFirstOperationClearly() {
    JdbcIdempotencyStore store = JdbcIdempotencyStore.of(UNREACHABLE);
    assertThatThrownBy(() -> store.claim(ExactlyOnceWorker.keyHash("x", 1), ExactlyOnceWorker.sha256("f"),
        ExactlyOnceWorker.randomHex(32), Duration.ofSeconds(1), Duration.ofSeconds(1)))
        .isInstanceOf(IdempotencyStoreException.class)
        .hasMessage("JDBC idempotency store (table bulwark_idempotency): detect the database dialect failed, the "
            + "database did not answer it [SQLState 08001]: Connection refused");
  }

  @Test
  void theDialectIsDetectedAndTheSchemaCreatedUnderAQualifiedName() throws Exception {
    try (Connection c = PG.dataSource().getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA IF NOT EXISTS app");
    }
    JdbcIdempotencyStore postgres = JdbcIdempotencyStore.builder(PG.dataSource()).tableName("app.idem").build();
    assertThat(postgres.dialect()).isEqualTo(JdbcDialect.POSTGRESQL);
    postgres.createTableIfMissing();
    postgres.createTableIfMissing(); // idempotent
    assertThat(postgres.claim(ExactlyOnceWorker.keyHash("schema", 1), ExactlyOnceWorker.sha256("f"),
        ExactlyOnceWorker.randomHex(32), Duration.ofSeconds(1), Duration.ofSeconds(1)).status())
        .isEqualTo(ClaimResult.Status.CLAIMED);

    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:schema" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
    JdbcIdempotencyStore embedded = JdbcIdempotencyStore.of(h2);
    assertThat(embedded.dialect()).isEqualTo(JdbcDialect.H2);
    embedded.createTableIfMissing();
    embedded.createTableIfMissing();

    assertThat(JdbcDialect.POSTGRESQL.schema("app.idem").replaceAll("(?m)^--.*$", ""))
        .contains("CREATE TABLE IF NOT EXISTS app.idem (")
        .contains("CREATE INDEX IF NOT EXISTS idem_expires_at_idx ON app.idem (expires_at)")
        .doesNotContain("bulwark_idempotency");
    assertThatThrownBy(() -> JdbcDialect.of("MySQL")).isInstanceOf(IllegalStateException.class)
        .hasMessage("no JdbcDialect for database \"MySQL\": supported are PostgreSQL and H2");
  }

  @Test
  void durationsAreSentInMicrosecondsRoundedUpAndCappedAtACentury() {
    assertThat(JdbcIdempotencyStore.micros(Duration.ofNanos(1))).isEqualTo(1);
    assertThat(JdbcIdempotencyStore.micros(Duration.ofNanos(1001))).isEqualTo(2);
    assertThat(JdbcIdempotencyStore.micros(Duration.ofSeconds(30))).isEqualTo(30_000_000);
    assertThat(JdbcIdempotencyStore.micros(Duration.ofDays(365 * 1000)))
        .isEqualTo(JdbcIdempotencyStore.micros(Duration.ofDays(36_525)));
    assertThat(JdbcIdempotencyStore.micros(Duration.ofSeconds(Long.MAX_VALUE)))
        .isEqualTo(Duration.ofDays(36_525).toNanos() / 1000);
  }
}
