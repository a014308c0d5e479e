package dev.bulwark.spring.app;

import dev.bulwark.spring.annotation.Bulkhead;
import dev.bulwark.spring.annotation.Retry;
import dev.bulwark.spring.annotation.Timeout;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Service;

/** Methods whose bodies run on a policy's thread and report the {@link RequestUser} they see there. */
@Service
public class ContextClient {
  private final AtomicInteger attempts = new AtomicInteger();
  private final List<String> seen = new CopyOnWriteArrayList<>();

  @Timeout(name = "context-timeout")
  public String timed() {
    return RequestUser.CURRENT.get() + " on " + Thread.currentThread().getName();
  }

  /** Fails twice, then answers with the user every attempt saw on the pool's threads. */
  @Retry(name = "context-retry")
  @Bulkhead(name = "context-pool", type = Bulkhead.Type.THREAD_POOL)
  public CompletableFuture<String> retried() {
    seen.add(RequestUser.CURRENT.get() + " on " + (Thread.currentThread().getName().startsWith("bulwark-")
        ? "pool" : Thread.currentThread().getName()));
    if (attempts.incrementAndGet() % 3 != 0) {
      throw new UncheckedIOException(new java.io.IOException("transient"));
    }
    String all = String.join(", ", seen);
    seen.clear();
    return CompletableFuture.completedFuture(all);
  }
}
