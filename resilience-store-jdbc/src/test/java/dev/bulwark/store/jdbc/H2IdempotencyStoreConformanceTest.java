package dev.bulwark.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.bulwark.idempotency.IdempotencyStore;
import dev.bulwark.idempotency.conformance.IdempotencyStoreConformance;
import java.time.Duration;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The JDBC store on an embedded H2 database passes the conformance kit. */
class H2IdempotencyStoreConformanceTest extends IdempotencyStoreConformance {

  private static HikariDataSource pool;
  private static JdbcIdempotencyStore jdbc;
  private static final String TABLE = "bulwark_idempotency";

  @BeforeAll
  static void createTable() {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:conformance" + ProcessHandle.current().pid() + ";DB_CLOSE_DELAY=-1");
    pool = JdbcTestSupport.pool(h2, 70);
    jdbc = JdbcIdempotencyStore.builder(pool).maxResultBytes(256 * 1024).build();
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
    JdbcTestSupport.age(pool, JdbcDialect.H2, TABLE, duration);
  }

  @Override
  protected boolean isStored(String keyHash) throws Exception {
    return JdbcTestSupport.holds(pool, TABLE, keyHash);
  }
}
