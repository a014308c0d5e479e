package dev.bulwark.bulkhead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.bulwark.Deadline;
import dev.bulwark.PolicyKind;
import dev.bulwark.bulkhead.BulkheadFullException.Rejection;
import dev.bulwark.testing.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ThreadPoolBulkheadTest {
  private final CountDownLatch release = new CountDownLatch(1);
  private ThreadPoolBulkhead bulkhead;

  private ThreadPoolBulkhead pool(int threads, int queue) {
    bulkhead = ThreadPoolBulkhead.of("reports",
        ThreadPoolBulkheadConfig.builder().maxThreadPoolSize(threads).queueCapacity(queue).build());
    return bulkhead;
  }

  @AfterEach
  void tearDown() {
    release.countDown();
    if (bulkhead != null) {
      bulkhead.close();
    }
  }

  private String hang() throws InterruptedException {
    release.await();
    return "released";
  }

  @Test
  void runsCallsOnItsOwnNamedDaemonThreads() throws Exception {
    pool(2, 10);
    CompletableFuture<Thread> worker = bulkhead.submit(Thread::currentThread);
    Thread thread = worker.get(10, TimeUnit.SECONDS);
    assertThat(thread.getName()).startsWith("bulwark-reports-");
    assertThat(thread.isDaemon()).isTrue();
    assertThat(thread).isNotSameAs(Thread.currentThread());
    assertThat(bulkhead.kind()).isEqualTo(PolicyKind.BULKHEAD);
    await().atMost(Duration.ofSeconds(10)).until(() -> bulkhead.metrics().completedCalls() == 1);
  }

  @Test
  void aFullPoolRejectsNamingTheBulkhead() throws Exception {
    pool(1, 1);
    CompletableFuture<String> running = bulkhead.submit(this::hang);
    await().atMost(Duration.ofSeconds(10)).until(() -> bulkhead.metrics().activeThreads() == 1);
    CompletableFuture<String> queued = bulkhead.submit(() -> "queued");
    assertThat(bulkhead.metrics().queueDepth()).isEqualTo(1);
    assertThat(bulkhead.metrics().remainingQueueCapacity()).isZero();
    CompletableFuture<String> rejected = bulkhead.submit(() -> "rejected");
    assertThat(rejected).isCompletedExceptionally();
    assertThatThrownBy(rejected::join).cause().isInstanceOfSatisfying(BulkheadFullException.class, e -> {
      assertThat(e.rejection()).isEqualTo(Rejection.POOL_FULL);
      assertThat(e.policyName()).isEqualTo("reports");
    }).hasMessage("bulkhead 'reports' is full: all 1 threads are busy and the queue of 1 tasks is full");
    assertThat(bulkhead.metrics().rejectedCalls()).isEqualTo(1);
    release.countDown();
    assertThat(running.get(10, TimeUnit.SECONDS)).isEqualTo("released");
    assertThat(queued.get(10, TimeUnit.SECONDS)).isEqualTo("queued");
  }

  @Test
  void aZeroCapacityQueueHandsOffOrRejects() throws Exception {
    pool(1, 0);
    CompletableFuture<String> running = bulkhead.submit(this::hang);
    await().atMost(Duration.ofSeconds(10)).until(() -> bulkhead.metrics().activeThreads() == 1);
    assertThatThrownBy(() -> bulkhead.submit(() -> "x").join()).cause()
        .isInstanceOf(BulkheadFullException.class);
    release.countDown();
    assertThat(running.get(10, TimeUnit.SECONDS)).isEqualTo("released");
  }

  @Test
  void shutdownRejectsPendingWorkClearlyAndLetsRunningCallsFinish() throws Exception {
    List<BulkheadEvent> events = new CopyOnWriteArrayList<>();
    bulkhead = ThreadPoolBulkhead.builder("reports")
        .config(ThreadPoolBulkheadConfig.builder().maxThreadPoolSize(1).queueCapacity(5).build())
        .listener(BulkheadEvent.ShutDown.class, events::add)
        .build();
    CompletableFuture<String> running = bulkhead.submit(this::hang);
    await().atMost(Duration.ofSeconds(10)).until(() -> bulkhead.metrics().activeThreads() == 1);
    AtomicBoolean pendingRan = new AtomicBoolean();
    CompletableFuture<String> pending1 = bulkhead.submit(() -> {
      pendingRan.set(true);
      return "p1";
    });
    CompletableFuture<String> pending2 = bulkhead.submit(() -> "p2");
    bulkhead.shutdown();
    assertThat(bulkhead.isShutdown()).isTrue();
    for (CompletableFuture<String> pending : List.of(pending1, pending2)) {
      assertThatThrownBy(pending::join).cause().isInstanceOfSatisfying(BulkheadShutDownException.class,
          e -> assertThat(e.wasQueued()).isTrue())
          .hasMessage("bulkhead 'reports' was shut down while the call was queued; the call never ran");
    }
    assertThatThrownBy(() -> bulkhead.submit(() -> "late").join()).cause()
        .isInstanceOfSatisfying(BulkheadShutDownException.class, e -> assertThat(e.wasQueued()).isFalse())
        .hasMessage("bulkhead 'reports' is shut down and accepts no new calls");
    assertThat(bulkhead.isTerminated()).isFalse();
    release.countDown();
    assertThat(running.get(10, TimeUnit.SECONDS)).isEqualTo("released");
    assertThat(bulkhead.awaitTermination(Duration.ofSeconds(10))).isTrue();
    assertThat(pendingRan).isFalse();
    assertThat(events).containsExactly(new BulkheadEvent.ShutDown("reports", 2));
    assertThat(bulkhead.metrics().rejectedCalls()).isEqualTo(3);
  }

  @Test
  void shutdownNowInterruptsRunningCalls() throws Exception {
    pool(1, 1);
    CompletableFuture<String> running = bulkhead.submit(this::hang);
    await().atMost(Duration.ofSeconds(10)).until(() -> bulkhead.metrics().activeThreads() == 1);
    bulkhead.shutdownNow();
    assertThatThrownBy(() -> running.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(InterruptedException.class);
    assertThat(bulkhead.awaitTermination(Duration.ofSeconds(10))).isTrue();
  }

  @Test
  void cancellingAQueuedCallFreesItsPlaceAndItNeverRuns() throws Exception {
    pool(1, 2);
    bulkhead.submit(this::hang);
    await().atMost(Duration.ofSeconds(10)).until(() -> bulkhead.metrics().activeThreads() == 1);
    AtomicBoolean ran = new AtomicBoolean();
    CompletableFuture<String> queued = bulkhead.submit(() -> {
      ran.set(true);
      return "x";
    });
    assertThat(bulkhead.metrics().queueDepth()).isEqualTo(1);
    queued.cancel(false);
    assertThat(bulkhead.metrics().queueDepth()).isZero();
    release.countDown();
    assertThat(bulkhead.submit(() -> "after").get(10, TimeUnit.SECONDS)).isEqualTo("after");
    assertThat(ran).isFalse();
  }

  @Test
  void regressionCancelInterruptNeverLeaksIntoTheWorkersNextCall() throws Exception {
    pool(1, 5);
    CountDownLatch started = new CountDownLatch(1);
    CompletableFuture<String> victim = bulkhead.submit(() -> {
      started.countDown();
      while (!Thread.currentThread().isInterrupted()) {
        Thread.onSpinWait();
      }
      return "interrupted";
    });
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(victim.cancel(true)).isTrue();
    for (int i = 0; i < 20; i++) {
      assertThat(bulkhead.submit(() -> Thread.currentThread().isInterrupted()).get(10, TimeUnit.SECONDS))
          .as("call %d after the cancelled one sees no interrupt", i).isFalse();
    }
  }

  @Test
  void callRunsOnThePoolAndWaitsRethrowingTheCallsOwnException() throws Exception {
    pool(1, 1);
    assertThat(bulkhead.call(() -> Thread.currentThread().getName())).startsWith("bulwark-reports-");
    assertThatThrownBy(() -> bulkhead.call(() -> {
      throw new IOException("disk");
    })).isInstanceOf(IOException.class).hasMessage("disk");
    bulkhead.submit(this::hang);
    await().atMost(Duration.ofSeconds(10)).until(() -> bulkhead.metrics().activeThreads() == 1);
    bulkhead.submit(() -> "fills the queue");
    assertThatThrownBy(() -> bulkhead.call(() -> "x")).isInstanceOf(BulkheadFullException.class);
  }

  @Test
  void callAsyncRunsTheSupplierOnAWorkerAndCompletesWithItsStage() throws Exception {
    pool(1, 1);
    CompletableFuture<String> inner = new CompletableFuture<>();
    List<String> supplierThread = new CopyOnWriteArrayList<>();
    CompletableFuture<String> outer = bulkhead.callAsync(() -> {
      supplierThread.add(Thread.currentThread().getName());
      return inner;
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> supplierThread.size() == 1);
    assertThat(supplierThread.get(0)).startsWith("bulwark-reports-");
    // the worker is free while the stage is pending
    assertThat(bulkhead.submit(() -> "free").get(10, TimeUnit.SECONDS)).isEqualTo("free");
    assertThat(outer).isNotDone();
    inner.complete("done");
    assertThat(outer.get(10, TimeUnit.SECONDS)).isEqualTo("done");
    CompletableFuture<String> failing = bulkhead.callAsync(() -> CompletableFuture.failedFuture(new IOException("x")));
    assertThatThrownBy(() -> failing.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IOException.class);
  }

  @Test
  void theCallersDeadlineIsInstalledInTheWorkerAndAQueuedCallPastItNeverStarts() throws Exception {
    ManualClock clock = new ManualClock();
    bulkhead = ThreadPoolBulkhead.builder("reports")
        .config(ThreadPoolBulkheadConfig.builder().maxThreadPoolSize(1).queueCapacity(5).build())
        .clock(clock).build();
    Deadline deadline = Deadline.after(Duration.ofSeconds(1), clock);
    assertThat(deadline.call(() -> bulkhead.submit(Deadline::current)).get(10, TimeUnit.SECONDS))
        .isSameAs(deadline);

    bulkhead.submit(this::hang);
    await().atMost(Duration.ofSeconds(10)).until(() -> bulkhead.metrics().activeThreads() == 1);
    AtomicBoolean ran = new AtomicBoolean();
    CompletableFuture<Boolean> queued = deadline.call(() -> bulkhead.submit(() -> ran.getAndSet(true)));
    clock.advance(Duration.ofSeconds(1));
    release.countDown();
    assertThatThrownBy(() -> queued.get(10, TimeUnit.SECONDS)).cause()
        .isInstanceOfSatisfying(BulkheadFullException.class,
            e -> assertThat(e.rejection()).isEqualTo(Rejection.DEADLINE_EXCEEDED));
    assertThat(ran).isFalse();
  }

  @Test
  void eventsDescribeTheLifeOfEachCall() throws Exception {
    List<BulkheadEvent> events = new CopyOnWriteArrayList<>();
    ManualClock clock = new ManualClock();
    bulkhead = ThreadPoolBulkhead.builder("reports")
        .config(ThreadPoolBulkheadConfig.builder().maxThreadPoolSize(1).queueCapacity(0).build())
        .clock(clock).listener(BulkheadEvent.class, events::add).build();
    bulkhead.submit(() -> "a").get(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> events.size() == 2);
    assertThat(events).containsExactly(new BulkheadEvent.CallPermitted("reports", 0),
        new BulkheadEvent.CallFinished("reports"));
  }

  @Test
  void closeWaitsForRunningCalls() throws Exception {
    pool(1, 1);
    CompletableFuture<String> running = bulkhead.submit(() -> {
      release.await();
      return "finished";
    });
    Thread closer = new Thread(bulkhead::close);
    closer.start();
    await().atMost(Duration.ofSeconds(10)).until(bulkhead::isShutdown);
    assertThat(closer.isAlive()).isTrue();
    release.countDown();
    closer.join(TimeUnit.SECONDS.toMillis(10));
    assertThat(closer.isAlive()).isFalse();
    assertThat(running).isCompletedWithValue("finished");
    assertThat(bulkhead.isTerminated()).isTrue();
  }
}
