package dev.bulwark.store.redis.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * A real Redis server for tests, run from the {@code redis-server} binaries that
 * {@code com.github.codemonstur:embedded-redis} ships inside its jar (linux amd64/arm64, macOS amd64/arm64).
 * Only the binary is used; the library's launcher and its Jedis dependency are not.
 *
 * <p>The binary is copied once per JVM into {@code java.io.tmpdir}; each instance gets a fresh data
 * directory and a free loopback port, both fixed for its life, so {@link #stop()} or {@link #crash()}
 * followed by {@link #start()} brings the same data back on the same port: the outage tests rely on that.
 * Persistence is an append-only file with {@code appendfsync always}: every acknowledged write is in the
 * file before the client hears of it, so even {@link #crash()} (SIGKILL) loses nothing acknowledged.
 *
 * <pre>{@code
 * try (EmbeddedRedis redis = EmbeddedRedis.launch()) {
 *   RedisClient client = RedisClient.create(redis.uri());
 *   redis.crash();   // SIGKILL
 *   redis.start();   // same port, same append-only file
 * }
 * }</pre>
 */
public final class EmbeddedRedis implements AutoCloseable {

  /** Binaries inside the embedded-redis jar, by platform. */
  private static final List<String[]> BINARIES = List.of(
      new String[] {"linux", "amd64", "redis-server-6.2.6-v5-linux-amd64"},
      new String[] {"linux", "aarch64", "redis-server-6.2.7-linux-arm64"},
      new String[] {"mac", "amd64", "redis-server-6.2.6-v5-darwin-amd64"},
      new String[] {"mac", "x86_64", "redis-server-6.2.6-v5-darwin-amd64"},
      new String[] {"mac", "aarch64", "redis-server-6.2.6-v5-darwin-arm64"});

  private static Path binary;

  private final Path executable;
  private final Path workDir;
  private final Path logFile;
  private final int port;
  private final String appendFsync;
  private volatile Process process;
  private volatile boolean closed;
  private final Thread shutdownHook;

  private EmbeddedRedis(Path executable, Path workDir, int port, String appendFsync) {
    this.appendFsync = appendFsync;
    this.executable = executable;
    this.workDir = workDir;
    this.logFile = workDir.resolve("redis.log");
    this.port = port;
    this.shutdownHook = new Thread(this::killQuietly, "embedded-redis-" + port + "-stop");
  }

  /** Starts a new server with an empty data directory on a free port, fsyncing every write. */
  public static EmbeddedRedis launch() throws IOException {
    return launch(true);
  }

  /**
   * Starts a new server with an empty data directory on a free port.
   *
   * @param fsyncEveryWrite {@code appendfsync always} (nothing acknowledged is ever lost, what the outage
   *     tests need) or {@code everysec} (Redis's usual setting, for benchmarks)
   */
  public static EmbeddedRedis launch(boolean fsyncEveryWrite) throws IOException {
    EmbeddedRedis redis = new EmbeddedRedis(binary(), Files.createTempDirectory("bulwark-redis-"), freePort(),
        fsyncEveryWrite ? "always" : "everysec");
    try {
      redis.start();
    } catch (IOException | RuntimeException e) {
      redis.deleteWorkDir();
      throw e;
    }
    Runtime.getRuntime().addShutdownHook(redis.shutdownHook);
    return redis;
  }

  /** The loopback port; the same across restarts. */
  public int port() {
    return port;
  }

  /** A Redis URI for clients, {@code redis://127.0.0.1:<port>}. */
  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /** Whether the server process is alive. */
  public boolean isRunning() {
    Process p = process;
    return p != null && p.isAlive();
  }

  /** The server's version line ({@code redis-server --version}). */
  public String version() throws IOException {
    Process p = new ProcessBuilder(executable.toString(), "--version").redirectErrorStream(true).start();
    try (InputStream in = p.getInputStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    }
  }

  /** Starts (or restarts) the server on the same port and data directory; waits until it answers PING. */
  public synchronized void start() throws IOException {
    if (closed) {
      throw new IllegalStateException("closed");
    }
    if (isRunning()) {
      return;
    }
    Process p = new ProcessBuilder(executable.toString(),
        "--port", Integer.toString(port),
        "--bind", "127.0.0.1",
        "--protected-mode", "no",
        "--daemonize", "no",
        "--dir", workDir.toString(),
        "--appendonly", "yes",
        "--appendfsync", appendFsync,
        "--save", "")
        .directory(workDir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
        .start();
    process = p;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      if (!p.isAlive()) {
        throw new IOException("redis-server exited with " + p.exitValue() + "\n" + logTail());
      }
      if (ping()) {
        return;
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }
    p.destroyForcibly();
    throw new IOException("redis-server on port " + port + " did not answer PING\n" + logTail());
  }

  /** Stops the server cleanly (SIGTERM: Redis flushes the append-only file and exits). */
  public synchronized void stop() throws IOException {
    end(false);
  }

  /** Simulates a crash: SIGKILL, no chance to flush anything (appendfsync always already has). */
  public synchronized void crash() throws IOException {
    end(true);
  }

  /** Kills the server and deletes its data directory. */
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
        // the hook is running or has run
      }
      deleteWorkDir();
    }
  }

  @Override
  public String toString() {
    return "EmbeddedRedis[port=" + port + ", dir=" + workDir + ", running=" + isRunning() + "]";
  }

  private void end(boolean kill) throws IOException {
    Process p = process;
    if (p == null) {
      return;
    }
    process = null;
    if (kill) {
      p.destroyForcibly();
    } else {
      p.destroy();
    }
    try {
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
        throw new IOException("redis-server on port " + port + " did not stop in time\n" + logTail());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping redis-server", e);
    }
  }

  private boolean ping() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
      s.setSoTimeout(1000);
      OutputStream out = s.getOutputStream();
      out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      byte[] reply = new byte[7];
      int n = s.getInputStream().read(reply);
      // "+PONG\r\n" once loaded; "-LOADING ..." while it replays the append-only file
      return n > 0 && new String(reply, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG");
    } catch (IOException e) {
      return false;
    }
  }

  private String logTail() {
    try {
      if (!Files.exists(logFile)) {
        return "";
      }
      List<String> lines = Files.readAllLines(logFile);
      return "--- redis.log (tail) ---\n"
          + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(redis.log unreadable: " + e + ")";
    }
  }

  private void killQuietly() {
    Process p = process;
    if (p != null) {
      p.destroyForcibly();
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

  /** A port that was free on the loopback interface a moment ago. */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      return socket.getLocalPort();
    }
  }

  /** The redis-server binary for this platform, copied out of the jar once per JVM. */
  private static synchronized Path binary() throws IOException {
    if (binary != null) {
      return binary;
    }
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    for (String[] candidate : BINARIES) {
      if (os.contains(candidate[0]) && arch.equals(candidate[1])) {
        URL url = EmbeddedRedis.class.getClassLoader().getResource(candidate[2]);
        if (url == null) {
          throw new IllegalStateException(candidate[2] + " is not on the class path: add "
              + "com.github.codemonstur:embedded-redis");
        }
        Path file = Files.createTempFile("bulwark-redis-server-", "");
        file.toFile().deleteOnExit();
        try (InputStream in = url.openStream()) {
          Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        binary = file;
        return file;
      }
    }
    throw new IllegalStateException("embedded-redis ships no redis-server for " + os + "/" + arch);
  }
}
