package dev.bulwark.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.idempotency.IdempotencyStore;
import dev.bulwark.idempotency.conformance.IdempotencyStoreConformance;
import dev.bulwark.store.jdbc.testing.PostgresExtension;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The JDBC store on a real PostgreSQL, through a HikariCP pool, passes the conformance kit. */
class PostgresIdempotencyStoreConformanceTest extends IdempotencyStoreConformance {

  @RegisterExtension static final PostgresExtension PG = PostgresExtension.shared();

  private static HikariDataSource pool;
  private static JdbcIdempotencyStore jdbc;
  private static final String TABLE = JdbcTestSupport.uniqueTable("conformance");

  @BeforeAll
  static void createTable() {
    pool = JdbcTestSupport.pool(PG.dataSource(), 70);
    jdbc = JdbcIdempotencyStore.builder(pool).tableName(TABLE).maxResultBytes(256 * 1024).build();
    jdbc.createTableIfMissing();
  }

  @AfterAll
  static void closePool() {
    pool.close();
  }

  @Override
  protected IdempotencyStore createStore() {
    return jdbc;
  }

  @Override
  protected void advanceStoreTime(Duration duration) throws Exception {
    JdbcTestSupport.age(pool, JdbcDialect.POSTGRESQL, TABLE, duration);
  }

  @Override
  protected boolean isStored(String keyHash) throws Exception {
    return JdbcTestSupport.holds(pool, TABLE, keyHash);
  }
}
