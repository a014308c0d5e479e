package dev.bulwark.bulkhead;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.Permit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Many threads, every path at once (sync calls that throw, async calls cancelled before or after they
 * complete, waiters that time out or are interrupted, permits completed twice from two threads), with
 * invariants tracked by the test: a call never sees more calls in flight than the limit, the bulkhead's own
 * count never drops below the calls the test knows are inside, and at the end nothing is in flight, nobody
 * waits, and exactly the limit can be acquired again.
 */
class BulkheadStressTest {
  private static final int THREADS = 8;
  private static final int OPS = 6_000;

  @Test
  void aFixedLimitIsNeverExceededAndNoSlotLeaks() throws Exception {
    Bulkhead bulkhead = Bulkhead.of("stress", BulkheadConfig.builder()
        .maxConcurrentCalls(3).maxWait(Duration.ofMillis(1)).maxWaitingCalls(4).build());
    Tracker tracker = run(bulkhead, false);
    assertThat(tracker.maxSeen.get()).isBetween(1L, 3L);
    assertQuiescentAndExact(bulkhead, 3);
  }

  @Test
  void noSlotLeaksOrDuplicatesWhileTheLimitChanges() throws Exception {
    Bulkhead bulkhead = Bulkhead.of("stress", BulkheadConfig.builder()
        .maxConcurrentCalls(4).maxWait(Duration.ofMillis(1)).maxWaitingCalls(6).build());
    Tracker tracker = run(bulkhead, true);
    assertThat(tracker.maxSeen.get()).isBetween(1L, 6L);
    bulkhead.changeMaxConcurrentCalls(5);
    assertQuiescentAndExact(bulkhead, 5);
  }

  private static void assertQuiescentAndExact(Bulkhead bulkhead, int limit) {
    assertThat(bulkhead.metrics().concurrentCalls()).isZero();
    assertThat(bulkhead.metrics().waitingCalls()).isZero();
    List<Permit> permits = new ArrayList<>();
    for (int i = 0; i < limit; i++) {
      Permit p = bulkhead.tryAcquirePermit();
      assertThat(p).as("permit %d of %d", i + 1, limit).isNotNull();
      permits.add(p);
    }
    assertThat(bulkhead.tryAcquirePermit()).as("one permit more than the limit").isNull();
    permits.forEach(Permit::release);
    assertThat(bulkhead.metrics().availablePermits()).isEqualTo(limit);
  }

  static final class Tracker {
    final AtomicInteger inside = new AtomicInteger();
    final AtomicLong maxSeen = new AtomicLong();
    final AtomicReference<String> violation = new AtomicReference<>();
    volatile boolean limitChanges;

    void enter(Bulkhead bulkhead) {
      int now = inside.incrementAndGet();
      maxSeen.accumulateAndGet(now, Math::max);
      // This call holds its slot until after exit(), so the bulkhead counts at least this one. (Comparing
      // `now` with a count read later is not sound: other calls may leave in between, so it failed spuriously
      // under load; a slot released early shows up as too many inside, below, or as a wrong count at the end.)
      int counted = bulkhead.metrics().concurrentCalls();
      if (counted < 1) {
        violation.compareAndSet(null, "a call is inside but the bulkhead counts " + counted);
      }
      if (!limitChanges && now > bulkhead.metrics().maxConcurrentCalls()) {
        violation.compareAndSet(null, now + " calls inside a bulkhead of " + bulkhead.metrics().maxConcurrentCalls());
      }
    }

    void exit() {
      inside.decrementAndGet();
    }
  }

  private static Tracker run(Bulkhead bulkhead, boolean changeLimit) throws Exception {
    Tracker tracker = new Tracker();
    tracker.limitChanges = changeLimit;
    ConcurrentLinkedQueue<Throwable> unexpected = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<CompletableFuture<?>> pending = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<CompletableFuture<?>> failing = new ConcurrentLinkedQueue<>();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      Thread thread = new Thread(() -> {
        try {
          while (start.getCount() > 0) {
            Thread.onSpinWait();
          }
          ThreadLocalRandom random = ThreadLocalRandom.current();
          for (int i = 0; i < OPS; i++) {
            try {
              step(bulkhead, tracker, pending, failing, random, changeLimit);
            } catch (BulkheadFullException | InterruptedException expected) {
              Thread.interrupted(); // an INTERRUPTED rejection leaves the flag set
            }
          }
        } catch (Throwable e) {
          unexpected.add(e);
        }
      }, "stress-" + t);
      threads.add(thread);
      thread.start();
    }
    Thread interrupter = new Thread(() -> {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      while (threads.stream().anyMatch(Thread::isAlive)) {
        threads.get(random.nextInt(threads.size())).interrupt();
        Thread.onSpinWait();
        Thread.yield();
      }
    });
    start.countDown();
    interrupter.start();
    for (Thread thread : threads) {
      thread.join(TimeUnit.SECONDS.toMillis(120));
      assertThat(thread.isAlive()).as("thread %s finished", thread.getName()).isFalse();
    }
    interrupter.join();
    // complete whatever async work is left, then let queued async waiters drain or time out
    for (CompletableFuture<?> f; (f = pending.poll()) != null; ) {
      f.complete(null);
    }
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30))
        .until(() -> bulkhead.metrics().concurrentCalls() == 0 && bulkhead.metrics().waitingCalls() == 0);
    assertThat(unexpected).isEmpty();
    assertThat(tracker.violation.get()).isNull();
    // a supplier that throws fails its call, whether it ran at once or after queueing (or was rejected)
    assertThat(failing).allSatisfy(f -> assertThat(f).failsWithin(Duration.ofSeconds(10))
        .withThrowableThat().havingCause()
        .isInstanceOfAny(IllegalArgumentException.class, BulkheadFullException.class));
    assertThat(tracker.inside.get()).isZero();
    return tracker;
  }

  private static void step(Bulkhead bulkhead, Tracker tracker, ConcurrentLinkedQueue<CompletableFuture<?>> pending,
      ConcurrentLinkedQueue<CompletableFuture<?>> failing, ThreadLocalRandom random, boolean changeLimit)
      throws Exception {
    switch (random.nextInt(changeLimit ? 6 : 5)) {
      case 0: // a sync call that may throw
        try {
          bulkhead.call(() -> {
            tracker.enter(bulkhead);
            try {
              if (random.nextInt(4) == 0) {
                throw new IllegalStateException("call failed");
              }
              Thread.onSpinWait();
              return null;
            } finally {
              tracker.exit();
            }
          });
        } catch (IllegalStateException expected) {
          // the call's own failure
        }
        break;
      case 1: { // an async call completed later by someone, maybe cancelled first
        CompletableFuture<Object> inner = new CompletableFuture<>();
        CompletableFuture<Object> outer = bulkhead.<Object>callAsync(() -> inner)
            .toCompletableFuture();
        if (random.nextBoolean()) {
          outer.cancel(true);
        }
        // the inner work completes (or not yet) on another thread, maybe even after cancellation
        CompletableFuture<?> previous = pending.poll();
        if (previous != null) {
          previous.complete(null);
        }
        pending.add(inner);
        break;
      }
      case 2: { // the permit layer, completed twice from two threads
        Permit permit = bulkhead.tryAcquirePermit();
        if (permit != null) {
          tracker.enter(bulkhead);
          tracker.exit();
          Thread other = new Thread(permit::release);
          other.start();
          permit.onSuccess(1);
          other.join();
        }
        break;
      }
      case 3: { // an async call that fails synchronously in its supplier
        failing.add(bulkhead.<Object>callAsync(() -> {
          throw new IllegalArgumentException("supplier failed");
        }).toCompletableFuture());
        break;
      }
      case 4: { // a blocking acquirePermit, released once
        Permit permit = bulkhead.acquirePermit();
        tracker.enter(bulkhead);
        tracker.exit();
        permit.onFailure(1, new RuntimeException());
        break;
      }
      default: // change the limit
        bulkhead.changeMaxConcurrentCalls(1 + random.nextInt(6));
        break;
    }
  }
}
