package dev.bulwark.retry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.Scheduler;
import dev.bulwark.testing.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/** Many threads through one retry and one budget; the books must balance at the end. */
class RetryStressTest {
  private static final int THREADS = 4;
  private static final int CALLS = 20_000;

  private static void runThreads(Runnable body) throws InterruptedException {
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      Thread thread = new Thread(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
        body.run();
      });
      thread.start();
      threads.add(thread);
    }
    start.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
  }

  private static Retry retry(Scheduler scheduler) {
    return Retry.builder("stress")
        .clock(new ManualClock()) // frozen: all calls fall in one budget window
        .sleeper(nanos -> {})     // no waiting
        .scheduler(scheduler)
        .config(RetryConfig.builder().maxAttempts(4).backoff(Backoff.fixed(Duration.ofMillis(1)))
            .budget(RetryBudgetConfig.ratio(0.2, 1, Duration.ofSeconds(10))).build())
        .build();
  }

  private static void checkBooks(Retry retry, long dependencyCalls, long succeeded, long failed) {
    Retry.Metrics m = retry.metrics();
    long calls = (long) THREADS * CALLS;
    assertThat(m.successfulCallsWithoutRetry() + m.successfulCallsWithRetry()).isEqualTo(succeeded);
    assertThat(m.failedCallsWithoutRetry() + m.failedCallsWithRetry()).isEqualTo(failed);
    assertThat(succeeded + failed).isEqualTo(calls);
    assertThat(m.retries()).isEqualTo(dependencyCalls - calls);
    assertThat(retry.budget().metrics().retriesPermitted()).isEqualTo(m.retries());
    assertThat((double) m.retries()).isLessThanOrEqualTo(0.2 * calls + 10);
  }

  @Test
  void syncCallsBalanceAndNeverExceedTheBudget() throws Exception {
    Retry retry = retry((task, delay) -> {
      throw new AssertionError("sync calls do not schedule");
    });
    LongAdder dependency = new LongAdder();
    LongAdder succeeded = new LongAdder();
    LongAdder failed = new LongAdder();
    runThreads(() -> {
      for (int i = 0; i < CALLS; i++) {
        try {
          retry.call(() -> {
            dependency.increment();
            if (ThreadLocalRandom.current().nextInt(100) < 30) {
              throw new IOException("flaky");
            }
            return "ok";
          });
          succeeded.increment();
        } catch (Exception e) {
          failed.increment();
        }
      }
    });
    checkBooks(retry, dependency.sum(), succeeded.sum(), failed.sum());
  }

  @Test
  void asyncCallsBalanceAndNeverExceedTheBudget() throws Exception {
    // a scheduler that runs each retry at once on the thread that scheduled it
    Retry retry = retry((task, delay) -> {
      task.run();
      return () -> false;
    });
    LongAdder dependency = new LongAdder();
    LongAdder succeeded = new LongAdder();
    LongAdder failed = new LongAdder();
    runThreads(() -> {
      for (int i = 0; i < CALLS; i++) {
        CompletableFuture<String> future = retry.<String>callAsync(() -> {
          dependency.increment();
          return ThreadLocalRandom.current().nextInt(100) < 30
              ? CompletableFuture.failedFuture(new IOException("flaky"))
              : CompletableFuture.completedFuture("ok");
        }).toCompletableFuture();
        if (future.isCompletedExceptionally()) {
          failed.increment();
        } else {
          assertThat(future.join()).isEqualTo("ok");
          succeeded.increment();
        }
      }
    });
    checkBooks(retry, dependency.sum(), succeeded.sum(), failed.sum());
  }
}
