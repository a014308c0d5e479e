package dev.bulwark.spring.app;

import dev.bulwark.CallNotPermittedException;
import dev.bulwark.spring.annotation.Bulkhead;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Service;

@Service
public class ReportsClient {
  /** Set by a test to see which thread ran a thread-pool bulkhead's body, and what context it saw. */
  public static final ThreadLocal<String> REQUEST_ID = new ThreadLocal<>();

  private final DependencyHttp http;

  public ReportsClient(DependencyHttp http) {
    this.http = http;
  }

  // semaphore bulkhead

  @Bulkhead(name = "reports", fallbackMethod = "busy")
  public String report(String id) {
    return http.get("/reports/" + id);
  }

  @Bulkhead(name = "reports-async", fallbackMethod = "busy")
  public CompletableFuture<String> reportAsync(String id) {
    return http.getAsync("/reports-async/" + id);
  }

  String busy(String id, CallNotPermittedException e) {
    return "busy: " + e.policyName();
  }

  // thread-pool bulkhead

  @Bulkhead(name = "exports", type = Bulkhead.Type.THREAD_POOL, fallbackMethod = "busy")
  public CompletableFuture<String> export(String id) {
    String body = http.get("/exports/" + id); // blocking, on the pool's thread
    return CompletableFuture.completedFuture(body + " on " + Thread.currentThread().getName()
        + " for request " + REQUEST_ID.get());
  }
}
