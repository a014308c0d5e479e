package dev.bulwark.bulkhead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The classic case: a payment overload must never starve inventory. Payment is saturated by calls that hang;
 * inventory calls keep completing, with no rejection and no added delay (measured in virtual time: the
 * bulkhead's clock never moves, so any wait would show as a non-zero waited time).
 */
class BulkheadIsolationTest {

  @Test
  void aHungPaymentDependencyNeverStarvesInventory() throws Exception {
    ManualClock clock = new ManualClock();
    List<BulkheadEvent> inventoryEvents = new CopyOnWriteArrayList<>();
    Bulkhead payment = Bulkhead.builder("payment")
        .config(BulkheadConfig.builder().maxConcurrentCalls(4).build()).clock(clock).build();
    Bulkhead inventory = Bulkhead.builder("inventory")
        .config(BulkheadConfig.builder().maxConcurrentCalls(4).build()).clock(clock)
        .listener(BulkheadEvent.class, inventoryEvents::add)
        .build();

    CountDownLatch paymentHangs = new CountDownLatch(1);
    ExecutorService callers = Executors.newFixedThreadPool(12);
    try {
      // 10 callers try to pay: 4 hang inside the bulkhead, the other 6 are turned away at once
      List<Future<String>> payments = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        payments.add(callers.submit(() -> payment.call(() -> {
          paymentHangs.await();
          return "paid";
        })));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> payment.metrics().rejectedCalls() == 6);
      assertThat(payment.metrics().concurrentCalls()).isEqualTo(4);
      assertThat(payment.metrics().availablePermits()).isZero();

      // meanwhile inventory serves 2 threads x 2000 calls without a single rejection or wait
      AtomicInteger served = new AtomicInteger();
      List<Future<?>> inventoryCallers = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        inventoryCallers.add(callers.submit(() -> {
          for (int i = 0; i < 2000; i++) {
            long before = clock.nanoTime();
            String stock = inventory.call(() -> "in stock");
            assertThat(stock).isEqualTo("in stock");
            assertThat(clock.nanoTime()).isEqualTo(before);
            served.incrementAndGet();
          }
          return null;
        }));
      }
      for (Future<?> f : inventoryCallers) {
        f.get(30, TimeUnit.SECONDS);
      }
      assertThat(served.get()).isEqualTo(4000);
      assertThat(inventory.metrics().rejectedCalls()).isZero();
      assertThat(inventoryEvents).filteredOn(e -> e instanceof BulkheadEvent.CallPermitted)
          .hasSize(4000)
          .allSatisfy(e -> assertThat(((BulkheadEvent.CallPermitted) e).waitedNanos()).isZero());
      assertThat(inventoryEvents).noneMatch(e -> e instanceof BulkheadEvent.CallRejected);
      assertThat(payment.metrics().concurrentCalls()).isEqualTo(4); // still hung throughout

      paymentHangs.countDown();
      int paid = 0;
      for (Future<String> f : payments) {
        try {
          f.get(10, TimeUnit.SECONDS);
          paid++;
        } catch (java.util.concurrent.ExecutionException e) {
          assertThat(e.getCause()).isInstanceOf(BulkheadFullException.class);
        }
      }
      assertThat(paid).isEqualTo(4);
      assertThat(payment.metrics().concurrentCalls()).isZero();
      assertThat(inventory.metrics().concurrentCalls()).isZero();
    } finally {
      paymentHangs.countDown();
      callers.shutdownNow();
    }
  }

  @Test
  void aSaturatedPaymentPoolNeverStarvesTheInventoryPool() throws Exception {
    ManualClock clock = new ManualClock();
    List<BulkheadEvent> inventoryEvents = new CopyOnWriteArrayList<>();
    ThreadPoolBulkhead payment = ThreadPoolBulkhead.builder("payment")
        .config(ThreadPoolBulkheadConfig.builder().maxThreadPoolSize(2).queueCapacity(2).build())
        .clock(clock).build();
    ThreadPoolBulkhead inventory = ThreadPoolBulkhead.builder("inventory")
        .config(ThreadPoolBulkheadConfig.builder().maxThreadPoolSize(2).queueCapacity(10).build())
        .clock(clock).listener(BulkheadEvent.class, inventoryEvents::add).build();
    CountDownLatch paymentHangs = new CountDownLatch(1);
    try {
      List<CompletableFuture<String>> payments = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        payments.add(payment.submit(() -> {
          paymentHangs.await();
          return "paid";
        }));
      }
      // 2 running, 2 queued, 2 rejected naming the pool
      assertThat(payments).filteredOn(CompletableFuture::isCompletedExceptionally).hasSize(2);
      assertThat(payment.metrics().queueDepth()).isEqualTo(2);

      for (int i = 0; i < 500; i++) {
        int n = i;
        assertThat(inventory.submit(() -> n * 2).get(10, TimeUnit.SECONDS)).isEqualTo(n * 2);
      }
      assertThat(inventory.metrics().rejectedCalls()).isZero();
      assertThat(inventoryEvents).filteredOn(e -> e instanceof BulkheadEvent.CallPermitted).hasSize(500)
          .allSatisfy(e -> assertThat(((BulkheadEvent.CallPermitted) e).waitedNanos()).isZero());
      assertThat(payment.metrics().activeThreads()).isEqualTo(2);
    } finally {
      paymentHangs.countDown();
      payment.close();
      inventory.close();
    }
  }
}
