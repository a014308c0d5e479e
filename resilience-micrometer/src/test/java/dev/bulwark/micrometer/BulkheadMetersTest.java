package dev.bulwark.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.Permit;
import dev.bulwark.Registry;
import dev.bulwark.bulkhead.Bulkhead;
import dev.bulwark.bulkhead.BulkheadConfig;
import dev.bulwark.bulkhead.BulkheadFullException;
import dev.bulwark.bulkhead.ThreadPoolBulkhead;
import dev.bulwark.bulkhead.ThreadPoolBulkheadConfig;
import dev.bulwark.testing.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Bulkheads driven through scripted scenarios, their meters read after each step. */
class BulkheadMetersTest {
  private final ManualClock clock = new ManualClock();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  @Test
  void semaphoreBulkheadShowsPermitsWaitersAndRejections() {
    Bulkhead bulkhead = Bulkhead.builder("db")
        .config(BulkheadConfig.builder()
            .maxConcurrentCalls(2)
            .maxWait(Duration.ofSeconds(1))
            .maxWaitingCalls(1)
            .build())
        .clock(clock)
        .sleeper(clock)
        .scheduler(clock)
        .build();
    PolicyMeters bound = BulwarkMetrics.bind(bulkhead, meters);
    assertThat(bound.meters()).hasSize(5);
    assertThat(MeterDump.lines(meters)).containsExactly(
        "bulwark.bulkhead.available.permits{name=db} gauge 2",
        "bulwark.bulkhead.concurrent.calls{name=db} gauge 0",
        "bulwark.bulkhead.max.concurrent.calls{name=db} gauge 2",
        "bulwark.bulkhead.rejected.calls{name=db} counter 0",
        "bulwark.bulkhead.waiting.calls{name=db} gauge 0");

    Permit first = bulkhead.tryAcquirePermit();
    Permit second = bulkhead.tryAcquirePermit();
    CompletableFuture<String> waiting = bulkhead.<String>callAsync(
        () -> CompletableFuture.completedFuture("ran")).toCompletableFuture();  // waits for a slot
    CompletableFuture<String> refused = bulkhead.<String>callAsync(
        () -> CompletableFuture.completedFuture("never")).toCompletableFuture(); // no room to wait
    assertThat(refused).isCompletedExceptionally();
    assertThat(bulkhead.tryAcquirePermit()).isNull();                          // refused at once
    assertThat(MeterDump.lines(meters)).containsExactly(
        "bulwark.bulkhead.available.permits{name=db} gauge 0",
        "bulwark.bulkhead.concurrent.calls{name=db} gauge 2",
        "bulwark.bulkhead.max.concurrent.calls{name=db} gauge 2",
        "bulwark.bulkhead.rejected.calls{name=db} counter 2",
        "bulwark.bulkhead.waiting.calls{name=db} gauge 1");

    first.onSuccess(0);   // the waiter takes the slot and finishes
    clock.runDue();
    assertThat(waiting).isCompletedWithValue("ran");
    second.release();
    assertThat(MeterDump.lines(meters)).containsExactly(
        "bulwark.bulkhead.available.permits{name=db} gauge 2",
        "bulwark.bulkhead.concurrent.calls{name=db} gauge 0",
        "bulwark.bulkhead.max.concurrent.calls{name=db} gauge 2",
        "bulwark.bulkhead.rejected.calls{name=db} counter 2",
        "bulwark.bulkhead.waiting.calls{name=db} gauge 0");
    bound.close();
    assertThat(meters.getMeters()).isEmpty();
  }

  @Test
  void threadPoolBulkheadShowsQueueThreadsAndRejections() throws Exception {
    try (ThreadPoolBulkhead pool = ThreadPoolBulkhead.of("reports", ThreadPoolBulkheadConfig.builder()
        .coreThreadPoolSize(1)
        .maxThreadPoolSize(1)
        .queueCapacity(2)
        .build())) {
      PolicyMeters bound = BulwarkMetrics.bind(pool, meters);
      assertThat(bound.meters()).hasSize(8);
      CountDownLatch started = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      List<CompletableFuture<String>> futures = new ArrayList<>();
      futures.add(pool.submit(() -> {
        started.countDown();
        release.await(30, TimeUnit.SECONDS);
        return "first";
      }));
      assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
      futures.add(pool.submit(() -> "queued 1"));
      futures.add(pool.submit(() -> "queued 2"));
      CompletableFuture<String> rejected = pool.submit(() -> "no room");
      assertThat(rejected).isCompletedExceptionally();
      assertThat(rejected.handle((r, e) -> e).join()).isInstanceOf(BulkheadFullException.class);
      assertThat(MeterDump.lines(meters)).containsExactly(
          "bulwark.bulkhead.pool.completed.calls{name=reports} counter 0",
          "bulwark.bulkhead.pool.queue.capacity{name=reports} gauge 2",
          "bulwark.bulkhead.pool.queue.depth{name=reports} gauge 2",
          "bulwark.bulkhead.pool.rejected.calls{name=reports} counter 1",
          "bulwark.bulkhead.pool.threads.active{name=reports} gauge 1",
          "bulwark.bulkhead.pool.threads.core{name=reports} gauge 1",
          "bulwark.bulkhead.pool.threads.max{name=reports} gauge 1",
          "bulwark.bulkhead.pool.threads{name=reports} gauge 1");

      release.countDown();
      CompletableFuture.allOf(futures.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
      assertThat(meters.find(BulkheadMeters.POOL_QUEUE_DEPTH).gauge().value()).isEqualTo(0);
      // the worker may count a completion just after completing the future: wait for it (real threads)
      Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(meters.find(BulkheadMeters.POOL_COMPLETED_CALLS).functionCounter().count()).isEqualTo(3));
      bound.close();
      assertThat(meters.getMeters()).isEmpty();
    }
  }

  @Test
  void metersFollowBulkheadsAddedToAndRemovedFromARegistry() {
    Registry<Bulkhead, BulkheadConfig> bulkheads =
        Registry.builder(BulkheadConfig.defaults(), Bulkhead::of).build();
    try (RegistryMeters following = BulwarkMetrics.bind(bulkheads, meters)) {
      bulkheads.get("a");
      bulkheads.get("b");
      assertThat(meters.getMeters()).hasSize(10);
      bulkheads.remove("b");
      assertThat(meters.getMeters()).hasSize(5);
      assertThat(following.boundNames()).containsExactly("a");
    }
    assertThat(meters.getMeters()).isEmpty();
  }
}
