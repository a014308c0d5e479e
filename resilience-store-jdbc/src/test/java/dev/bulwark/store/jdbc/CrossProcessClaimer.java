package dev.bulwark.store.jdbc;

import dev.bulwark.idempotency.conformance.ExactlyOnceWorker;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

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
      rendezvous(pool, table, worker, threads);

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

  /**
   * Waits, with every pooled connection open, until the other process has got as far: "go" alone did not
   * make them overlap (a process whose pool was still connecting once found all the keys already done by
   * the other), and the test checks that both processes executed some keys.
   */
  private static void rendezvous(HikariDataSource pool, String table, String worker, int threads)
      throws Exception {
    List<Connection> warm = new ArrayList<>();
    try {
      for (int i = 0; i < threads; i++) {
        warm.add(pool.getConnection());
      }
      Connection c = warm.get(0);
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + "_started (worker) VALUES (?)")) {
        ps.setString(1, worker);
        ps.executeUpdate();
      }
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
      try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + table + "_started")) {
        for (;;) {
          try (ResultSet rs = ps.executeQuery()) {
            rs.next();
            if (rs.getLong(1) >= 2) {
              return;
            }
          }
          if (System.nanoTime() - deadline > 0) {
            throw new IllegalStateException("the other process never started");
          }
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // real processes: real time
        }
      }
    } finally {
      for (Connection c : warm) {
        c.close();
      }
    }
  }
}
