package dev.bulwark.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.store.jdbc.testing.PostgresExtension;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two separate JVM processes, each with several threads and its own connection pool, hammer the same keys
 * on one PostgreSQL: every key executes exactly once. The processes also run in time zones 26 hours apart,
 * which must not matter.
 */
class PostgresCrossProcessTest {

  @RegisterExtension static final PostgresExtension PG = PostgresExtension.shared();

  private static final int KEYS = 300;
  private static final int THREADS = 4;

  @Test
  void twoProcessesHammeringTheSameKeysExecuteEachExactlyOnce() throws Exception {
    String table = JdbcTestSupport.uniqueTable("cross_process");
    JdbcIdempotencyStore.builder(PG.dataSource()).tableName(table).build().createTableIfMissing();
    try (Connection c = PG.dataSource().getConnection(); Statement s = c.createStatement()) {
      // no unique constraint: a second execution must show up as a second row, not as an error
      s.execute("CREATE TABLE " + table + "_executions (key_hash VARCHAR(64) NOT NULL, worker TEXT NOT NULL)");
      // where the two processes meet before they start, so that their runs overlap (see CrossProcessClaimer)
      s.execute("CREATE TABLE " + table + "_started (worker TEXT NOT NULL)");
    }
    String run = "run-" + System.nanoTime();

    List<Process> processes = new ArrayList<>();
    List<Path> logs = new ArrayList<>();
    String[][] workers = {{"east", "Pacific/Kiritimati"}, {"west", "Etc/GMT+12"}};
    try {
      for (String[] worker : workers) {
        Path log = Files.createTempFile("cross-process-" + worker[0], ".log");
        logs.add(log);
        processes.add(new ProcessBuilder(javaExecutable(), "-Xmx256m", "-Duser.timezone=" + worker[1],
            "-cp", System.getProperty("java.class.path"), CrossProcessClaimer.class.getName(),
            PG.server().jdbcUrl(), table, run, Integer.toString(KEYS), Integer.toString(THREADS), worker[0])
            .redirectError(log.toFile())
            .start());
      }
      List<BufferedReader> outputs = new ArrayList<>();
      for (Process p : processes) {
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).as("a child process started").isEqualTo("ready");
        outputs.add(out);
      }
      for (Process p : processes) {
        OutputStream in = p.getOutputStream();
        in.write("go\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
      }
      long totalExecutions = 0;
      for (int i = 0; i < processes.size(); i++) {
        Process p = processes.get(i);
        assertThat(p.waitFor(3, TimeUnit.MINUTES)).as("process %s finished", workers[i][0]).isTrue();
        assertThat(p.exitValue()).as("exit code of %s; stderr:%n%s", workers[i][0], Files.readString(logs.get(i)))
            .isZero();
        String done = outputs.get(i).readLine();
        assertThat(done).startsWith("done ");
        totalExecutions += Long.parseLong(done.split(" ")[1]);
      }
      assertThat(totalExecutions).as("executions reported by both processes").isEqualTo(KEYS);
    } finally {
      for (Process p : processes) {
        p.destroyForcibly();
      }
      for (Path log : logs) {
        Files.deleteIfExists(log);
      }
    }

    try (Connection c = PG.dataSource().getConnection(); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT key_hash) FROM " + table + "_executions")) {
        rs.next();
        assertThat(rs.getLong(1)).as("executions").isEqualTo(KEYS);
        assertThat(rs.getLong(2)).as("keys executed").isEqualTo(KEYS);
      }
      try (ResultSet rs = s.executeQuery("SELECT count(DISTINCT worker) FROM " + table + "_executions")) {
        rs.next();
        assertThat(rs.getLong(1)).as("both processes executed some keys").isEqualTo(2);
      }
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table + " r JOIN " + table + "_executions e"
          + " ON e.key_hash = r.key_hash WHERE r.completed AND convert_from(r.result, 'UTF8') = e.worker")) {
        rs.next();
        assertThat(rs.getLong(1)).as("records completed by the process that executed them").isEqualTo(KEYS);
      }
    }
  }

  private static String javaExecutable() throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    if (!Files.isExecutable(java)) {
      throw new IOException("no java executable at " + java);
    }
    return java.toString();
  }
}
