package dev.bulwark.bulkhead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.bulwark.Deadline;
import dev.bulwark.Permit;
import dev.bulwark.PolicyKind;
import dev.bulwark.bulkhead.BulkheadFullException.Rejection;
import dev.bulwark.testing.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SemaphoreBulkheadTest {

  /** Runs one scenario through the synchronous and the asynchronous decorator paths alike. */
  enum Path {
    SYNC {
      @Override
      <T> T run(Bulkhead bulkhead, Callable<T> call) throws Exception {
        return bulkhead.call(call);
      }
    },
    ASYNC {
      @Override
      <T> T run(Bulkhead bulkhead, Callable<T> call) throws Exception {
        CompletionStage<T> stage = bulkhead.callAsync(() -> {
          try {
            return CompletableFuture.completedFuture(call.call());
          } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
          }
        });
        try {
          return stage.toCompletableFuture().join();
        } catch (CompletionException e) {
          throw (Exception) e.getCause();
        }
      }
    };

    abstract <T> T run(Bulkhead bulkhead, Callable<T> call) throws Exception;
  }

  private final ManualClock clock = new ManualClock();

  private Bulkhead bulkhead(int limit, Duration maxWait) {
    BulkheadConfig.Builder config = BulkheadConfig.builder().maxConcurrentCalls(limit);
    if (!maxWait.isZero()) {
      config.maxWait(maxWait).maxWaitingCalls(100);
    }
    return Bulkhead.builder("payments").config(config.build()).clock(clock).sleeper(clock).scheduler(clock)
        .build();
  }

  private static List<Permit> fill(Bulkhead bulkhead, int n) {
    List<Permit> permits = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      permits.add(bulkhead.acquirePermit());
    }
    return permits;
  }

  @ParameterizedTest
  @EnumSource(Path.class)
  void runsCallsAndGivesTheSlotBackOnSuccessAndOnFailure(Path path) throws Exception {
    Bulkhead bulkhead = bulkhead(2, Duration.ZERO);
    assertThat(path.run(bulkhead, () -> {
      assertThat(bulkhead.metrics().concurrentCalls()).isEqualTo(1);
      return "ok";
    })).isEqualTo("ok");
    assertThat(bulkhead.metrics().concurrentCalls()).isZero();
    assertThatThrownBy(() -> path.run(bulkhead, () -> {
      throw new IOException("boom");
    })).isInstanceOf(IOException.class).hasMessage("boom");
    assertThat(bulkhead.metrics().concurrentCalls()).isZero();
    assertThat(bulkhead.metrics().availablePermits()).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(Path.class)
  void aFullBulkheadWithoutWaitRejectsAtOnceNamingItself(Path path) {
    Bulkhead bulkhead = bulkhead(2, Duration.ZERO);
    fill(bulkhead, 2);
    assertThatThrownBy(() -> path.run(bulkhead, () -> "never"))
        .isInstanceOfSatisfying(BulkheadFullException.class, e -> {
          assertThat(e.rejection()).isEqualTo(Rejection.FULL);
          assertThat(e.policyName()).isEqualTo("payments");
          assertThat(e.policyKind()).isEqualTo(PolicyKind.BULKHEAD);
          assertThat(e.limit()).isEqualTo(2);
          assertThat(e.getStackTrace()).isEmpty();
        })
        .hasMessage("bulkhead 'payments' is full: all 2 slots are in use and the call could not wait "
            + "(maxWait is zero)");
    assertThat(bulkhead.metrics().rejectedCalls()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Path.class)
  void aWaiterThatGetsNoSlotWithinMaxWaitIsRejectedInVirtualTime(Path path) {
    Bulkhead bulkhead = bulkhead(1, Duration.ofMillis(200));
    fill(bulkhead, 1);
    long before = clock.nanoTime();
    if (path == Path.SYNC) {
      // the sleeper is the manual clock: the wait advances virtual time instead of blocking
      assertThatThrownBy(() -> path.run(bulkhead, () -> "never"))
          .isInstanceOfSatisfying(BulkheadFullException.class, e -> {
            assertThat(e.rejection()).isEqualTo(Rejection.WAIT_TIMED_OUT);
            assertThat(e.waitedNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
          });
    } else {
      CompletableFuture<String> stage = bulkhead.callAsync(() -> CompletableFuture.completedFuture("late"))
          .toCompletableFuture();
      assertThat(bulkhead.metrics().waitingCalls()).isEqualTo(1);
      clock.advance(Duration.ofMillis(199));
      assertThat(stage).isNotDone();
      clock.advance(Duration.ofMillis(1));
      assertThat(stage).isCompletedExceptionally();
      assertThatThrownBy(stage::join).cause().isInstanceOfSatisfying(BulkheadFullException.class,
          e -> assertThat(e.rejection()).isEqualTo(Rejection.WAIT_TIMED_OUT));
    }
    assertThat(clock.nanoTime() - before).isEqualTo(TimeUnit.MILLISECONDS.toNanos(200));
    assertThat(bulkhead.metrics().waitingCalls()).isZero();
    assertThat(bulkhead.metrics().concurrentCalls()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Path.class)
  void theDeadlineShortensTheWait(Path path) throws Exception {
    Bulkhead bulkhead = bulkhead(1, Duration.ofSeconds(10));
    fill(bulkhead, 1);
    Deadline deadline = Deadline.after(Duration.ofMillis(30), clock);
    if (path == Path.SYNC) {
      assertThatThrownBy(() -> deadline.call(() -> path.run(bulkhead, () -> "never")))
          .isInstanceOfSatisfying(BulkheadFullException.class, e -> {
            assertThat(e.rejection()).isEqualTo(Rejection.DEADLINE_EXCEEDED);
            assertThat(e.waitedNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(30));
          });
    } else {
      CompletableFuture<String> stage = deadline.call(
          () -> bulkhead.callAsync(() -> CompletableFuture.completedFuture("x")).toCompletableFuture());
      clock.advance(Duration.ofMillis(30));
      assertThatThrownBy(stage::join).cause().isInstanceOfSatisfying(BulkheadFullException.class,
          e -> assertThat(e.rejection()).isEqualTo(Rejection.DEADLINE_EXCEEDED));
    }
  }

  @ParameterizedTest
  @EnumSource(Path.class)
  void anExpiredDeadlineRejectsWithoutQueueing(Path path) throws Exception {
    Bulkhead bulkhead = bulkhead(1, Duration.ofSeconds(10));
    fill(bulkhead, 1);
    Deadline deadline = Deadline.after(Duration.ofMillis(5), clock);
    clock.advance(Duration.ofMillis(5));
    long before = clock.nanoTime();
    assertThatThrownBy(() -> deadline.call(() -> path.run(bulkhead, () -> "never")))
        .isInstanceOfSatisfying(BulkheadFullException.class,
            e -> assertThat(e.rejection()).isEqualTo(Rejection.DEADLINE_EXCEEDED));
    assertThat(clock.nanoTime()).isEqualTo(before);
    assertThat(bulkhead.metrics().waitingCalls()).isZero();
  }

  @Test
  void waitersBeyondMaxWaitingCallsAreRejectedAtOnce() {
    Bulkhead bulkhead = Bulkhead.builder("payments")
        .config(BulkheadConfig.builder().maxConcurrentCalls(1).maxWait(Duration.ofSeconds(1)).maxWaitingCalls(2)
            .build())
        .clock(clock).sleeper(clock).scheduler(clock).build();
    fill(bulkhead, 1);
    CompletableFuture<Integer> first = bulkhead.callAsync(() -> CompletableFuture.completedFuture(1))
        .toCompletableFuture();
    CompletableFuture<Integer> second = bulkhead.callAsync(() -> CompletableFuture.completedFuture(2))
        .toCompletableFuture();
    CompletableFuture<Integer> third = bulkhead.callAsync(() -> CompletableFuture.completedFuture(3))
        .toCompletableFuture();
    assertThat(first).isNotDone();
    assertThat(second).isNotDone();
    assertThatThrownBy(third::join).cause().isInstanceOfSatisfying(BulkheadFullException.class, e -> {
      assertThat(e.rejection()).isEqualTo(Rejection.TOO_MANY_WAITING);
      assertThat(e.queueBound()).isEqualTo(2);
    }).hasMessageContaining("2 callers (maxWaitingCalls) are already waiting");
    assertThatThrownBy(() -> bulkhead.call(() -> 4)).isInstanceOfSatisfying(BulkheadFullException.class,
        e -> assertThat(e.rejection()).isEqualTo(Rejection.TOO_MANY_WAITING));
    assertThat(bulkhead.metrics().waitingCalls()).isEqualTo(2);
  }

  @Test
  void releasedSlotsGoToAsyncWaitersInArrivalOrder() {
    Bulkhead bulkhead = bulkhead(1, Duration.ofSeconds(1));
    List<Permit> held = fill(bulkhead, 1);
    List<Integer> started = new CopyOnWriteArrayList<>();
    List<CompletableFuture<Void>> gates = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      int id = i;
      CompletableFuture<Void> gate = new CompletableFuture<>();
      gates.add(gate);
      bulkhead.callAsync(() -> {
        started.add(id);
        return gate;
      });
    }
    assertThat(started).isEmpty();
    // a newcomer does not overtake the queue even when it uses the permit layer
    held.get(0).release();
    assertThat(started).containsExactly(0);
    assertThat(bulkhead.tryAcquirePermit()).isNull();
    for (int i = 0; i < 4; i++) {
      gates.get(i).complete(null);
      assertThat(started).hasSize(i + 2);
    }
    assertThat(started).containsExactly(0, 1, 2, 3, 4);
    gates.get(4).complete(null);
    assertThat(bulkhead.metrics().concurrentCalls()).isZero();
    assertThat(bulkhead.metrics().waitingCalls()).isZero();
  }

  @Test
  void syncWaitersAreServedInArrivalOrderAndWokenByTheHandOff() throws Exception {
    Bulkhead bulkhead = Bulkhead.of("payments", BulkheadConfig.builder()
        .maxConcurrentCalls(1).maxWait(Duration.ofMinutes(5)).maxWaitingCalls(10).build());
    Permit held = bulkhead.acquirePermit();
    List<Integer> order = new CopyOnWriteArrayList<>();
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      int id = i;
      Thread t = new Thread(() -> bulkhead.run(() -> order.add(id)));
      t.start();
      threads.add(t);
      await().atMost(Duration.ofSeconds(10)).until(() -> bulkhead.metrics().waitingCalls() == id + 1);
    }
    held.release();
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(10));
      assertThat(t.isAlive()).isFalse();
    }
    assertThat(order).containsExactly(0, 1, 2, 3);
    assertThat(bulkhead.metrics().concurrentCalls()).isZero();
  }

  @Test
  void anInterruptedWaiterIsRejectedAndKeepsItsInterruptFlag() throws Exception {
    Bulkhead bulkhead = Bulkhead.of("payments",
        BulkheadConfig.builder().maxConcurrentCalls(1).maxWait(Duration.ofMinutes(5)).build());
    Permit held = bulkhead.acquirePermit();
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    AtomicReference<Boolean> flag = new AtomicReference<>();
    Thread waiter = new Thread(() -> {
      try {
        bulkhead.run(() -> { });
      } catch (Throwable t) {
        thrown.set(t);
        flag.set(Thread.currentThread().isInterrupted());
      }
    });
    waiter.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> bulkhead.metrics().waitingCalls() == 1);
    waiter.interrupt();
    waiter.join(TimeUnit.SECONDS.toMillis(10));
    assertThat(thrown.get()).isInstanceOfSatisfying(BulkheadFullException.class,
        e -> assertThat(e.rejection()).isEqualTo(Rejection.INTERRUPTED))
        .hasMessageContaining("interrupted");
    assertThat(flag.get()).isTrue();
    assertThat(bulkhead.metrics().waitingCalls()).isZero();
    held.release();
    assertThat(bulkhead.metrics().concurrentCalls()).isZero();
  }

  @Test
  void anAlreadyInterruptedCallerIsRejectedWhenItWouldWait() {
    Bulkhead bulkhead = Bulkhead.of("payments",
        BulkheadConfig.builder().maxConcurrentCalls(1).maxWait(Duration.ofMinutes(5)).build());
    bulkhead.acquirePermit();
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> bulkhead.call(() -> 1)).isInstanceOfSatisfying(BulkheadFullException.class,
          e -> assertThat(e.rejection()).isEqualTo(Rejection.INTERRUPTED));
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void regressionPermitCompletedTwiceReleasesItsSlotOnce() {
    Bulkhead bulkhead = bulkhead(2, Duration.ZERO);
    Permit first = bulkhead.tryAcquirePermit();
    Permit second = bulkhead.tryAcquirePermit();
    assertThat(bulkhead.tryAcquirePermit()).isNull();
    first.onSuccess(10);
    first.release();
    first.onFailure(10, new IOException());
    first.onResult(10, "x");
    assertThat(bulkhead.metrics().concurrentCalls()).isEqualTo(1);
    Permit third = bulkhead.tryAcquirePermit();
    assertThat(third).isNotNull();
    first.release(); // must not free the slot now held by `third`
    assertThat(bulkhead.metrics().concurrentCalls()).isEqualTo(2);
    assertThat(bulkhead.tryAcquirePermit()).isNull();
    second.release();
    third.release();
    assertThat(bulkhead.metrics().concurrentCalls()).isZero();
  }

  @Test
  void cancellingAnAsyncCallReleasesItsSlotOnce() {
    Bulkhead bulkhead = bulkhead(1, Duration.ZERO);
    CompletableFuture<String> never = new CompletableFuture<>();
    CompletableFuture<String> stage = bulkhead.callAsync(() -> never).toCompletableFuture();
    assertThat(bulkhead.metrics().concurrentCalls()).isEqualTo(1);
    stage.cancel(true);
    assertThat(bulkhead.metrics().concurrentCalls()).isZero();
    assertThat(never).isCancelled();
    never.complete("late"); // already cancelled; nothing more to release
    assertThat(bulkhead.metrics().concurrentCalls()).isZero();
  }

  @Test
  void cancellingAQueuedAsyncCallLeavesTheQueueAndNeverRunsIt() {
    Bulkhead bulkhead = bulkhead(1, Duration.ofSeconds(1));
    Permit held = bulkhead.acquirePermit();
    List<String> ran = new CopyOnWriteArrayList<>();
    CompletableFuture<String> queued = bulkhead.callAsync(() -> {
      ran.add("queued");
      return CompletableFuture.completedFuture("x");
    }).toCompletableFuture();
    assertThat(bulkhead.metrics().waitingCalls()).isEqualTo(1);
    queued.cancel(false);
    assertThat(bulkhead.metrics().waitingCalls()).isZero();
    held.release();
    assertThat(ran).isEmpty();
    assertThat(bulkhead.metrics().concurrentCalls()).isZero();
    clock.advance(Duration.ofSeconds(2)); // the timeout task finds nothing to do
    assertThat(bulkhead.metrics().rejectedCalls()).isZero();
  }

  @Test
  void raisingTheLimitAdmitsWaitersAndLoweringItDrainsWithoutLosingSlots() {
    Bulkhead bulkhead = bulkhead(2, Duration.ofSeconds(1));
    List<Permit> held = fill(bulkhead, 2);
    List<CompletableFuture<Void>> gates = new ArrayList<>();
    List<Integer> started = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 3; i++) {
      int id = i;
      CompletableFuture<Void> gate = new CompletableFuture<>();
      gates.add(gate);
      bulkhead.callAsync(() -> {
        started.add(id);
        return gate;
      });
    }
    bulkhead.changeMaxConcurrentCalls(4);
    assertThat(started).containsExactly(0, 1);
    assertThat(bulkhead.metrics().concurrentCalls()).isEqualTo(4);
    bulkhead.changeMaxConcurrentCalls(1);
    assertThat(bulkhead.metrics().maxConcurrentCalls()).isEqualTo(1);
    assertThat(bulkhead.metrics().availablePermits()).isZero();
    // three releases drain the count from 4 to 1 without admitting the waiter
    held.get(0).release();
    held.get(1).release();
    gates.get(0).complete(null);
    assertThat(started).containsExactly(0, 1);
    assertThat(bulkhead.metrics().concurrentCalls()).isEqualTo(1);
    gates.get(1).complete(null); // now below the limit: the last waiter gets the slot
    assertThat(started).containsExactly(0, 1, 2);
    gates.get(2).complete(null);
    assertThat(bulkhead.metrics().concurrentCalls()).isZero();
    assertThat(bulkhead.metrics().availablePermits()).isEqualTo(1);
  }

  @Test
  void eventsDescribeWhatHappened() throws Exception {
    List<BulkheadEvent> events = new CopyOnWriteArrayList<>();
    Bulkhead bulkhead = Bulkhead.builder("payments")
        .config(BulkheadConfig.builder().maxConcurrentCalls(1).build())
        .listener(BulkheadEvent.class, events::add)
        .build();
    bulkhead.call(() -> "x");
    Permit held = bulkhead.acquirePermit();
    assertThatThrownBy(() -> bulkhead.call(() -> "y")).isInstanceOf(BulkheadFullException.class);
    held.onSuccess(1);
    bulkhead.changeMaxConcurrentCalls(3);
    assertThat(events).containsExactly(
        new BulkheadEvent.CallPermitted("payments", 0),
        new BulkheadEvent.CallFinished("payments"),
        new BulkheadEvent.CallPermitted("payments", 0),
        new BulkheadEvent.CallRejected("payments", Rejection.FULL),
        new BulkheadEvent.CallFinished("payments"),
        new BulkheadEvent.LimitChanged("payments", 1, 3));
  }

  @Test
  void aThrowingListenerNeverBreaksACall() throws Exception {
    Bulkhead bulkhead = Bulkhead.builder("payments")
        .listener(BulkheadEvent.class, e -> {
          throw new IllegalStateException("listener bug");
        })
        .build();
    assertThat(bulkhead.call(() -> "fine")).isEqualTo("fine");
    assertThat(bulkhead.metrics().concurrentCalls()).isZero();
  }

  @Test
  void theDecoratorAndPipelineSeeABulkhead() {
    Bulkhead bulkhead = Bulkhead.ofDefaults("inventory");
    assertThat(bulkhead.kind()).isEqualTo(PolicyKind.BULKHEAD);
    assertThat(bulkhead.decorate(() -> 42).get()).isEqualTo(42);
    assertThat(bulkhead.metrics().maxConcurrentCalls()).isEqualTo(25);
    assertThat(bulkhead.config()).isEqualTo(BulkheadConfig.defaults());
    assertThat(bulkhead.toString()).isEqualTo("Bulkhead[inventory, 0/25 in flight, 0 waiting]");
  }

  @Test
  void aRegistryCreatesBulkheadsFromTemplates() {
    dev.bulwark.Registry<Bulkhead, BulkheadConfig> registry = dev.bulwark.Registry
        .builder(BulkheadConfig.defaults(), Bulkhead::of)
        .template("narrow", BulkheadConfig.builder().maxConcurrentCalls(2).build())
        .build();
    assertThat(registry.get("a", "narrow").metrics().maxConcurrentCalls()).isEqualTo(2);
    assertThat(registry.get("b").metrics().maxConcurrentCalls()).isEqualTo(25);
  }

  @Test
  void aSyncWaiterTakesAHandedOffSlotWithoutWaitingForItsTimeout() throws Exception {
    Bulkhead bulkhead = Bulkhead.of("payments",
        BulkheadConfig.builder().maxConcurrentCalls(1).maxWait(Duration.ofMinutes(10)).build());
    Permit held = bulkhead.acquirePermit();
    CountDownLatch done = new CountDownLatch(1);
    Thread waiter = new Thread(() -> {
      bulkhead.run(() -> { });
      done.countDown();
    });
    waiter.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> bulkhead.metrics().waitingCalls() == 1);
    held.release();
    assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(bulkhead.metrics().concurrentCalls()).isZero();
  }
}
