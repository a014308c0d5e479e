package dev.bulwark.idempotency;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * 64 threads submit the same key at once, round after round, with random delays before and inside the
 * work: the work runs exactly once per key, and every other caller gets the replay or the in-progress
 * rejection, as configured. Real threads and the real clock; the invariants are checked at the end of each
 * round, never against wall-clock thresholds.
 */
class IdempotencyStressTest {
  private static final int THREADS = 64;
  private static final int ROUNDS = 40;

  private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);
  private final ExecutorService workers = Executors.newFixedThreadPool(4);

  @AfterEach
  void shutDown() throws InterruptedException {
    pool.shutdownNow();
    workers.shutdownNow();
    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
  }

  private static void jitter() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    if (random.nextInt(4) == 0) {
      Thread.yield();
    }
    for (int i = random.nextInt(2_000); i > 0; i--) {
      Thread.onSpinWait();
    }
  }

  private Idempotency policy(IdempotencyConfig config) {
    return Idempotency.builder("stress").config(config).heartbeatExecutor(Runnable::run).build();
  }

  @Test
  void repeatsWaitingForCompletionAllGetTheOneExecutionsResult() throws Exception {
    Idempotency policy = policy(IdempotencyConfig.builder()
        .waitForCompletion(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1)).build());
    for (int round = 0; round < ROUNDS; round++) {
      String key = "round-" + round;
      AtomicInteger runs = new AtomicInteger();
      List<Object> outcomes = race(i -> policy.execute(key, "fp", () -> {
        jitter();
        return "result of " + key + " by " + runs.incrementAndGet();
      }));

      assertThat(runs).as("executions in round %d", round).hasValue(1);
      assertThat(outcomes).as("round %d", round).containsOnly("result of " + key + " by 1");
    }
    assertThat(policy.metrics().executions()).isEqualTo(ROUNDS);
    assertThat(policy.metrics().replays()).isEqualTo((long) ROUNDS * (THREADS - 1));
  }

  @Test
  void repeatsNotWaitingGetTheReplayOrTheInProgressRejection() throws Exception {
    Idempotency policy = policy(IdempotencyConfig.defaults());
    for (int round = 0; round < ROUNDS; round++) {
      String key = "round-" + round;
      AtomicInteger runs = new AtomicInteger();
      List<Object> outcomes = race(i -> {
        try {
          return policy.execute(key, "fp", () -> {
            jitter();
            runs.incrementAndGet();
            return "done";
          });
        } catch (IdempotencyInProgressException rejected) {
          return rejected;
        }
      });

      assertThat(runs).as("executions in round %d", round).hasValue(1);
      assertThat(outcomes).allSatisfy(o -> assertThat("done".equals(o) || o instanceof IdempotencyInProgressException)
          .as("%s is the replay or the in-progress rejection", o).isTrue());
      assertThat(outcomes).contains("done");
    }
    Idempotency.Metrics metrics = policy.metrics();
    assertThat(metrics.executions()).isEqualTo(ROUNDS);
    assertThat(metrics.replays() + metrics.inProgressRejections()).isEqualTo((long) ROUNDS * (THREADS - 1));
  }

  @Test
  void asynchronousCallersToo() throws Exception {
    Idempotency policy = policy(IdempotencyConfig.builder()
        .waitForCompletion(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1)).build());
    for (int round = 0; round < ROUNDS / 2; round++) {
      String key = "async-" + round;
      AtomicInteger runs = new AtomicInteger();
      List<Object> outcomes = race(i -> policy.<Integer>executeAsync(key, "fp",
          () -> CompletableFuture.supplyAsync(() -> {
            jitter();
            return runs.incrementAndGet();
          }, workers)).toCompletableFuture().get(60, TimeUnit.SECONDS));

      assertThat(runs).as("executions in round %d", round).hasValue(1);
      assertThat(outcomes).containsOnly(1);
    }
  }

  @Test
  void keysThatRaceAcrossPoliciesAndFingerprintsNeverRunTwice() throws Exception {
    Idempotency policy = policy(IdempotencyConfig.defaults());
    for (int round = 0; round < ROUNDS / 2; round++) {
      String key = "mixed-" + round;
      AtomicInteger runs = new AtomicInteger();
      List<Object> outcomes = race(i -> {
        try {
          return policy.execute(key, i % 2 == 0 ? "even" : "odd", () -> {
            jitter();
            return "run " + runs.incrementAndGet();
          });
        } catch (IdempotencyInProgressException | IdempotencyKeyReuseException rejected) {
          return rejected.getClass();
        }
      });

      assertThat(runs).as("executions in round %d", round).hasValue(1);
      assertThat(outcomes.stream().filter("run 1"::equals).count()).isPositive();
    }
  }

  /** Task of one racer. */
  @FunctionalInterface
  interface Racer {
    Object run(int index) throws Exception;
  }

  private List<Object> race(Racer racer) throws Exception {
    CountDownLatch ready = new CountDownLatch(THREADS);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Object>> futures = new ArrayList<>();
    for (int i = 0; i < THREADS; i++) {
      int index = i;
      futures.add(pool.submit(() -> {
        ready.countDown();
        go.await();
        jitter();
        return racer.run(index);
      }));
    }
    assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
    go.countDown();
    List<Object> outcomes = new ArrayList<>();
    for (Future<Object> future : futures) {
      try {
        outcomes.add(future.get(60, TimeUnit.SECONDS));
      } catch (java.util.concurrent.ExecutionException e) {
        throw new CompletionException(e.getCause());
      }
    }
    return outcomes;
  }
}
