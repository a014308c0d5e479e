package dev.bulwark.limit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.Permit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * Real threads hammering the limiter, the shedder and the throttle; invariants are checked during and after.
 */
class ConcurrencyStressTest {
  static final int THREADS = 4;

  interface Worker {
    void run(int thread, int iteration) throws Exception;
  }

  static void hammer(int iterations, Worker worker) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    for (int t = 0; t < THREADS; t++) {
      int thread = t;
      Thread th = new Thread(() -> {
        try {
          start.await();
          for (int i = 0; i < iterations; i++) {
            worker.run(thread, i);
          }
        } catch (Throwable e) {
          failures.add(e);
        }
      });
      th.start();
      threads.add(th);
    }
    start.countDown();
    for (Thread th : threads) {
      th.join(TimeUnit.MINUTES.toMillis(2));
      assertThat(th.isAlive()).as("a worker is stuck").isFalse();
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void inFlightNeverExceedsTheLimitAndPermitsCompletedTwiceAreHarmless() throws Exception {
    int limit = 6;
    ConcurrencyLimiter limiter = ConcurrencyLimiter.builder("stress")
        .config(ConcurrencyLimiterConfig.builder().algorithm(LimitAlgorithm.fixed(limit))
            .window(Duration.ofMillis(1)).minWindowSamples(1).build())
        .build();
    AtomicInteger holders = new AtomicInteger();
    AtomicInteger maxHolders = new AtomicInteger();
    LongAdder admitted = new LongAdder();
    ConcurrentLinkedQueue<LimiterPermit> handedOver = new ConcurrentLinkedQueue<>();

    hammer(100_000, (thread, i) -> {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      LimiterPermit permit = limiter.tryAcquirePermit();
      if (permit != null) {
        admitted.increment();
        int now = holders.incrementAndGet();
        maxHolders.accumulateAndGet(now, Math::max);
        assertThat(now).isLessThanOrEqualTo(limit);
        holders.decrementAndGet();
        switch (random.nextInt(5)) {
          case 0 -> permit.onSuccess();
          case 1 -> permit.onDropped();
          case 2 -> permit.onIgnore();
          case 3 -> { // completed twice, concurrently with its slot's reuse
            permit.onSuccess();
            permit.onDropped();
          }
          default -> handedOver.add(permit); // completed later, by whichever thread polls it
        }
      }
      LimiterPermit other = handedOver.poll();
      if (other != null) {
        other.onResult(0, "late");
        if (random.nextBoolean()) {
          other.onSuccess(); // and twice
        }
      }
    });
    LimiterPermit rest;
    while ((rest = handedOver.poll()) != null) {
      rest.onSuccess();
    }

    ConcurrencyLimiter.Metrics m = limiter.metrics();
    assertThat(m.inflight()).isZero();
    assertThat(maxHolders.get()).isLessThanOrEqualTo(limit).isPositive();
    assertThat(m.successfulCalls() + m.droppedCalls() + m.ignoredCalls()).isEqualTo(admitted.sum());
    assertThat(admitted.sum() + m.rejectedCalls()).isEqualTo(THREADS * 100_000L);
    // every slot is free again: the limit's worth of calls can be admitted at once
    List<LimiterPermit> all = new ArrayList<>();
    for (int i = 0; i < limit; i++) {
      all.add(limiter.acquirePermit());
    }
    assertThat(limiter.tryAcquirePermit()).isNull();
    all.forEach(LimiterPermit::onSuccess);
  }

  @Test
  void anAdaptiveLimitChangingUnderLoadStaysWithinItsBoundsAndConservesCalls() throws Exception {
    ConcurrencyLimiter limiter = ConcurrencyLimiter.builder("stress")
        .config(ConcurrencyLimiterConfig.builder()
            .algorithm(LimitAlgorithm.gradient().initialLimit(4).maxLimit(12).probeInterval(Duration.ofMillis(5))
                .build())
            .window(Duration.ofMillis(1)).minWindowSamples(1).build())
        .random(new SplittableRandom(2))
        .build();
    AtomicInteger holders = new AtomicInteger();
    AtomicInteger maxHolders = new AtomicInteger();
    LongAdder admitted = new LongAdder();
    hammer(50_000, (thread, i) -> {
      LimiterPermit permit = limiter.tryAcquirePermit();
      if (permit != null) {
        admitted.increment();
        maxHolders.accumulateAndGet(holders.incrementAndGet(), Math::max);
        if (i % 64 == 0) {
          Thread.yield();
        }
        holders.decrementAndGet();
        if (i % 7 == 0) {
          permit.onDropped();
        } else {
          permit.onSuccess();
        }
      }
    });
    ConcurrencyLimiter.Metrics m = limiter.metrics();
    assertThat(m.inflight()).isZero();
    assertThat(maxHolders.get()).isLessThanOrEqualTo(12);
    assertThat(m.limit()).isBetween(1, 12);
    assertThat(m.windows()).isPositive();
    assertThat(m.successfulCalls() + m.droppedCalls()).isEqualTo(admitted.sum());
  }

  @Test
  void prioritiesAndTheQueueNeverPushInFlightPastTheLimitAndEveryCallEnds() throws Exception {
    int limit = 3; // below the number of threads, so calls of every priority queue
    LoadShedder shedder = LoadShedder.builder("stress")
        .config(LoadShedderConfig.builder()
            .limiter(ConcurrencyLimiterConfig.builder().algorithm(LimitAlgorithm.fixed(limit)).build())
            .maxQueueSize(8).queueTimeout(Duration.ofMillis(20)).congestedQueueTimeout(Duration.ofMillis(2))
            .build())
        .build();
    AtomicInteger holders = new AtomicInteger();
    AtomicInteger maxHolders = new AtomicInteger();
    LongAdder served = new LongAdder();
    LongAdder shed = new LongAdder();
    List<CompletableFuture<?>> asyncCalls = new ArrayList<>();
    Object lock = new Object();

    hammer(4_000, (thread, i) -> {
      Priority priority = Priority.of(ThreadLocalRandom.current().nextInt(101));
      if (thread == 0 && i % 2 == 0) {
        CompletableFuture<Object> work = new CompletableFuture<>();
        CompletableFuture<Object> call = shedder.<Object>callAsync(priority, () -> {
          maxHolders.accumulateAndGet(holders.incrementAndGet(), Math::max);
          holders.decrementAndGet();
          return work;
        }).toCompletableFuture();
        call.whenComplete((v, e) -> (e == null ? served : shed).increment());
        work.complete("done");
        synchronized (lock) {
          asyncCalls.add(call);
        }
        return;
      }
      try {
        shedder.call(priority, () -> {
          int now = holders.incrementAndGet();
          maxHolders.accumulateAndGet(now, Math::max);
          if (now > limit) {
            throw new AssertionError("in flight " + now + " > " + limit);
          }
          if (i % 16 == 0) {
            // hold the slot a moment so the queue fills and grants race with timeouts; no assertion depends
            // on how long this takes (regression: a losing releaser overwrote the granted token, inflight 1)
            java.util.concurrent.locks.LockSupport.parkNanos(100_000);
          }
          holders.decrementAndGet();
          return null;
        });
        served.increment();
      } catch (LimitExceededException e) {
        shed.increment();
      }
    });
    for (CompletableFuture<?> call : asyncCalls) {
      call.handle((v, e) -> null).get(1, TimeUnit.MINUTES);
    }

    LoadShedder.Metrics m = shedder.metrics();
    assertThat(maxHolders.get()).isLessThanOrEqualTo(limit);
    assertThat(m.inflight()).isZero();
    assertThat(m.queued()).isZero();
    assertThat(served.sum() + shed.sum()).isEqualTo(THREADS * 4_000L);
    assertThat(m.successfulCalls()).isEqualTo(served.sum());
    assertThat(m.rejectedCalls()).isEqualTo(shed.sum());
    assertThat(((LoadShedderImpl) shedder).handedOver()).as("calls admitted from the queue").isPositive();
  }

  @Test
  void theThrottlesCountersLoseNoUpdateUnderContention() throws Exception {
    AtomicLong now = new AtomicLong();
    AdaptiveThrottle throttle = AdaptiveThrottle.builder("stress").clock(now::get).build();
    Permit permit = throttle.acquirePermit();
    hammer(50_000, (thread, i) -> {
      if (thread % 2 == 0) {
        permit.onSuccess(0);
      } else {
        permit.onFailure(0, new IllegalStateException());
      }
    });
    assertThat(throttle.metrics().requests()).isEqualTo(THREADS * 50_000L);
    assertThat(throttle.metrics().accepts()).isEqualTo(THREADS / 2 * 50_000L);
  }
}
