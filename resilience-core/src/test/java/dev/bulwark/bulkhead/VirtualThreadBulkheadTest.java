package dev.bulwark.bulkhead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.bulwark.bulkhead.BulkheadFullException.Rejection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Virtual threads with a concurrency cap. Runs on Java 21 and later; on the Java 17 baseline every test is
 * skipped with the reason (run {@code ./mvnw -pl resilience-core test -Dtest=VirtualThreadBulkheadTest
 * -Djvm=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java} to run them on Java 25).
 */
class VirtualThreadBulkheadTest {
  private final CountDownLatch release = new CountDownLatch(1);
  private ThreadPoolBulkhead bulkhead;

  @BeforeEach
  void requireVirtualThreads() {
    Assumptions.assumeTrue(ThreadPoolBulkheadConfig.virtualThreadsSupported(),
        "virtual threads need Java 21 or later; this run uses Java " + Runtime.version());
  }

  @AfterEach
  void tearDown() {
    release.countDown();
    if (bulkhead != null) {
      bulkhead.close();
    }
  }

  private ThreadPoolBulkhead pool(int cap, int queue) {
    bulkhead = ThreadPoolBulkhead.of("vt", ThreadPoolBulkheadConfig.builder()
        .virtualThreads(true).maxThreadPoolSize(cap).queueCapacity(queue).build());
    return bulkhead;
  }

  private static boolean isVirtual(Thread thread) {
    try {
      return (Boolean) Thread.class.getMethod("isVirtual").invoke(thread);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void eachCallRunsOnANamedVirtualThread() throws Exception {
    pool(2, 2);
    Thread worker = bulkhead.submit(Thread::currentThread).get(10, TimeUnit.SECONDS);
    assertThat(isVirtual(worker)).isTrue();
    assertThat(worker.getName()).startsWith("bulwark-vt-");
  }

  @Test
  void atMostTheCapRunsAtOnceTheQueueIsBoundedAndFifo() throws Exception {
    pool(2, 3);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    List<Integer> order = new CopyOnWriteArrayList<>();
    List<CompletableFuture<Integer>> calls = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      int id = i;
      calls.add(bulkhead.submit(() -> {
        maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
        order.add(id);
        release.await();
        running.decrementAndGet();
        return id;
      }));
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> order.size() == 2);
    assertThat(bulkhead.metrics().activeThreads()).isEqualTo(2);
    assertThat(bulkhead.metrics().queueDepth()).isEqualTo(3);
    assertThatThrownBy(() -> calls.get(5).join()).cause().isInstanceOfSatisfying(BulkheadFullException.class,
        e -> assertThat(e.rejection()).isEqualTo(Rejection.POOL_FULL)).hasMessageContaining("'vt'");
    release.countDown();
    for (int i = 0; i < 5; i++) {
      assertThat(calls.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(i);
    }
    assertThat(maxRunning.get()).isEqualTo(2);
    assertThat(order.subList(2, 5)).containsExactly(2, 3, 4);
    await().atMost(Duration.ofSeconds(10)).until(() -> bulkhead.metrics().activeThreads() == 0);
  }

  @Test
  void shutdownRejectsQueuedCallsAndTerminatesWhenRunningOnesFinish() throws Exception {
    pool(1, 5);
    CompletableFuture<String> running = bulkhead.submit(() -> {
      release.await();
      return "done";
    });
    CompletableFuture<String> queued = bulkhead.submit(() -> "never");
    await().atMost(Duration.ofSeconds(10)).until(() -> bulkhead.metrics().queueDepth() == 1);
    bulkhead.shutdown();
    assertThatThrownBy(queued::join).cause().isInstanceOfSatisfying(BulkheadShutDownException.class,
        e -> assertThat(e.wasQueued()).isTrue());
    assertThatThrownBy(() -> bulkhead.submit(() -> "late").join()).cause()
        .isInstanceOf(BulkheadShutDownException.class);
    assertThat(bulkhead.isTerminated()).isFalse();
    release.countDown();
    assertThat(running.get(10, TimeUnit.SECONDS)).isEqualTo("done");
    assertThat(bulkhead.awaitTermination(Duration.ofSeconds(10))).isTrue();
  }

  @Test
  void cancellingAQueuedCallFreesItsPlace() throws Exception {
    pool(1, 1);
    bulkhead.submit(() -> {
      release.await();
      return null;
    });
    CompletableFuture<String> queued = bulkhead.submit(() -> "x");
    await().atMost(Duration.ofSeconds(10)).until(() -> bulkhead.metrics().queueDepth() == 1);
    queued.cancel(false);
    assertThat(bulkhead.metrics().queueDepth()).isZero();
    CompletableFuture<String> next = bulkhead.submit(() -> "next");
    release.countDown();
    assertThat(next.get(10, TimeUnit.SECONDS)).isEqualTo("next");
    await().atMost(Duration.ofSeconds(10)).until(() -> bulkhead.metrics().activeThreads() == 0);
  }

  @Test
  void manyCallsNeverExceedTheCapAndLeaveNothingBehind() throws Exception {
    pool(4, 10_000);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger maxRunning = new AtomicInteger();
    List<CompletableFuture<Integer>> calls = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      int id = i;
      calls.add(bulkhead.submit(() -> {
        maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
        Thread.yield();
        running.decrementAndGet();
        return id;
      }));
    }
    for (int i = 0; i < calls.size(); i++) {
      assertThat(calls.get(i).get(30, TimeUnit.SECONDS)).isEqualTo(i);
    }
    assertThat(maxRunning.get()).isBetween(1, 4);
    await().atMost(Duration.ofSeconds(10)).until(() -> bulkhead.metrics().activeThreads() == 0
        && bulkhead.metrics().queueDepth() == 0);
  }
}
