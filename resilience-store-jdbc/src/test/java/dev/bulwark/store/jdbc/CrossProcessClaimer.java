package dev.bulwark.store.jdbc;

import dev.bulwark.idempotency.conformance.ExactlyOnceWorker;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The main class of one of the processes in {@link PostgresCrossProcessTest}: hammers the same keys as the
 * other process, on the same table, with several threads. Its "work" for a key inserts a row into
 * {@code <table>_executions}, in its own transaction, so the parent can count executions per key across
 * processes.
 *
 * <p>Arguments: JDBC URL, table, run name, number of keys, threads, worker name. Prints {@code ready}, waits
 * for a line on standard input (so both processes start together), prints {@code done <executions>
 * <replays>} and exits 0; exits 1 after printing a stack trace on any failure.
 */
public final class CrossProcessClaimer {
  private CrossProcessClaimer() {}

  public static void main(String[] args) throws Exception {
    String url = args[0];
    String table = args[1];
    String run = args[2];
    int keys = Integer.parseInt(args[3]);
    int threads = Integer.parseInt(args[4]);
    String worker = args[5];

    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setMaximumPoolSize(threads + 1);
    config.setPoolName(worker);
    try (HikariDataSource pool = new HikariDataSource(config)) {
      JdbcIdempotencyStore store = JdbcIdempotencyStore.builder(pool).tableName(table).build();
      ExactlyOnceWorker exactlyOnce = new ExactlyOnceWorker(store, worker);
      String fingerprint = ExactlyOnceWorker.sha256(run + "/request");
      String insert = "INSERT INTO " + table + "_executions (key_hash, worker) VALUES (?, ?)";
      ExactlyOnceWorker.Work work = keyHash -> {
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(insert)) {
          ps.setString(1, keyHash);
          ps.setString(2, worker);
          ps.executeUpdate();
        }
      };

      System.out.println("ready");
      System.out.flush();
      new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();

      ExecutorService executor = Executors.newFixedThreadPool(threads);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int first = t;
        futures.add(executor.submit(() -> {
          // every thread of both processes walks all keys, each from its own offset: constant collisions
          for (int i = 0; i < keys; i++) {
            int k = (first * keys / threads + i) % keys;
            exactlyOnce.process(ExactlyOnceWorker.keyHash(run, k), fingerprint, work);
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get(5, TimeUnit.MINUTES);
      }
      executor.shutdown();
      System.out.println("done " + exactlyOnce.executions.sum() + " " + exactlyOnce.replays.sum());
    } catch (Throwable t) {
      t.printStackTrace();
      System.exit(1);
    }
  }
}
