package dev.bulwark.timeout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.OutcomeClassifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Completion and expiry race on real threads; whoever wins, each call ends exactly once and the counters
 * balance. No timing is asserted: only the invariants.
 */
@org.junit.jupiter.api.Timeout(120)
class TimeoutStressTest {

  @Test
  void everyCallEndsOnceAndTheCountersBalance() throws Exception {
    Timeout timeout = Timeout.of("stress", Duration.ofNanos(200_000)); // 0.2 ms: both sides win often
    ExecutorService completers = Executors.newFixedThreadPool(3);
    int calls = 5_000;
    List<CompletableFuture<String>> inners = new ArrayList<>();
    List<CompletableFuture<String>> outers = new ArrayList<>();
    try {
      for (int i = 0; i < calls; i++) {
        CompletableFuture<String> inner = new CompletableFuture<>();
        inners.add(inner);
        outers.add(timeout.<String>callAsync(() -> inner).toCompletableFuture());
        int kind = ThreadLocalRandom.current().nextInt(3);
        completers.execute(() -> {
          if (kind == 0) {
            inner.complete("ok");
          } else if (kind == 1) {
            inner.completeExceptionally(new IllegalStateException("failed"));
          } // else: never completes; only expiry can end it
        });
      }
      CompletableFuture.allOf(outers.toArray(new CompletableFuture<?>[0])).handle((v, e) -> null)
          .get(60, TimeUnit.SECONDS);
    } finally {
      completers.shutdownNow();
    }
    long ok = 0;
    long failed = 0;
    long timedOut = 0;
    for (CompletableFuture<String> outer : outers) {
      try {
        assertThat(outer.join()).isEqualTo("ok");
        ok++;
      } catch (RuntimeException e) {
        Throwable cause = OutcomeClassifier.unwrap(e);
        if (cause instanceof TimeoutExceededException) {
          timedOut++;
        } else {
          assertThat(cause).hasMessage("failed");
          failed++;
        }
      }
    }
    Timeout.Metrics m = timeout.metrics();
    assertThat(ok + failed + timedOut).isEqualTo(calls);
    assertThat(m.successfulCalls()).isEqualTo(ok);
    assertThat(m.failedCalls()).isEqualTo(failed);
    assertThat(m.timedOutCalls()).isEqualTo(timedOut);
    for (int i = 0; i < calls; i++) {
      if (outers.get(i).isCompletedExceptionally() && OutcomeClassifier.unwrap(
          outers.get(i).handle((v, e) -> e).join()) instanceof TimeoutExceededException) {
        // the timeout won: the work was cancelled, unless it had completed in the meantime
        assertThat(inners.get(i).isDone()).isTrue();
      }
    }
  }

  @Test
  void syncCallsOnRealThreadsEndOnceAndBalance() throws Exception {
    Timeout timeout = Timeout.of("stress", Duration.ofMillis(1));
    ExecutorService callers = Executors.newFixedThreadPool(4);
    int calls = 2_000;
    List<CompletableFuture<String>> results = new ArrayList<>();
    try {
      for (int i = 0; i < calls; i++) {
        results.add(CompletableFuture.supplyAsync(() -> {
          try {
            return timeout.call(() -> {
              if (ThreadLocalRandom.current().nextBoolean()) {
                LockSupport.parkNanos(5_000_000); // slow work; an interrupt at expiry ends the park early
              }
              return "ok";
            });
          } catch (TimeoutExceededException e) {
            return "timeout";
          } catch (Exception e) {
            return "failed: " + e;
          }
        }, callers));
      }
      CompletableFuture.allOf(results.toArray(new CompletableFuture<?>[0])).get(120, TimeUnit.SECONDS);
    } finally {
      callers.shutdownNow();
    }
    long ok = results.stream().filter(f -> f.join().equals("ok")).count();
    long timedOut = results.stream().filter(f -> f.join().equals("timeout")).count();
    assertThat(ok + timedOut).isEqualTo(calls);
    assertThat(timeout.metrics().successfulCalls()).isEqualTo(ok);
    assertThat(timeout.metrics().timedOutCalls()).isEqualTo(timedOut);
    assertThat(timeout.metrics().failedCalls()).isZero();
  }
}
