package dev.bulwark.spring.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTP dependency on a random loopback port, scripted by the test: each path answers from a queue of
 * replies (failures, slow replies that wait for a latch the test releases), then with 200 and its default
 * body. Never sleeps.
 */
public final class ScriptedHttpServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread thread = new Thread(r, "scripted-http");
    thread.setDaemon(true);
    return thread;
  });
  private final Map<String, Deque<Reply>> scripts = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

  public ScriptedHttpServer() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Returns the base URL, such as {@code http://127.0.0.1:41234}. */
  public String url() {
    return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
  }

  /** Queues replies for a path, answered in order before the default reply. */
  public ScriptedHttpServer script(String path, Reply... replies) {
    Deque<Reply> queue = scripts.computeIfAbsent(path, p -> new ArrayDeque<>());
    synchronized (queue) {
      for (Reply reply : replies) {
        queue.addLast(reply);
      }
    }
    return this;
  }

  /** Returns how many requests a path received. */
  public int hits(String path) {
    AtomicInteger count = hits.get(path);
    return count == null ? 0 : count.get();
  }

  /** Returns how many requests to a path are being answered now (slow replies waiting). */
  public int inFlight(String path) {
    AtomicInteger count = inFlight.get(path);
    return count == null ? 0 : count.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
    AtomicInteger running = inFlight.computeIfAbsent(path, p -> new AtomicInteger());
    running.incrementAndGet();
    try {
      Reply reply = next(path);
      if (reply.latch != null) {
        try {
          if (!reply.latch.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the test never released " + path);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      byte[] body = reply.body.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(reply.status, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    } catch (IOException e) {
      // the client went away (a timeout): nothing to answer
    } finally {
      running.decrementAndGet();
      exchange.close();
    }
  }

  private Reply next(String path) {
    Deque<Reply> queue = scripts.get(path);
    if (queue != null) {
      synchronized (queue) {
        Reply reply = queue.pollFirst();
        if (reply != null) {
          return reply;
        }
      }
    }
    return Reply.ok("ok:" + path);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  /** One scripted reply. */
  public static final class Reply {
    final int status;
    final String body;
    final CountDownLatch latch;

    private Reply(int status, String body, CountDownLatch latch) {
      this.status = status;
      this.body = body;
      this.latch = latch;
    }

    public static Reply ok(String body) {
      return new Reply(200, body, null);
    }

    public static Reply status(int status) {
      return new Reply(status, "status " + status, null);
    }

    /** A reply that waits until the test counts the latch down, then answers 200 with {@code body}. */
    public static Reply after(CountDownLatch latch, String body) {
      return new Reply(200, body, latch);
    }
  }
}
