package dev.bulwark.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.bulwark.Deadline;
import dev.bulwark.Pipeline;
import dev.bulwark.PolicyKind;
import dev.bulwark.Registry;
import dev.bulwark.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LoadShedderTest {
  static final long MS = 1_000_000L;

  enum Path { SYNC, ASYNC }

  private final ManualClock clock = new ManualClock();

  private LoadShedder shedder(int limit, LoadShedderConfig.Builder config) {
    return LoadShedder.builder("api")
        .config(config.limiter(ConcurrencyLimiterConfig.builder().algorithm(LimitAlgorithm.fixed(limit)).build())
            .build())
        .clock(clock)
        .scheduler(clock)
        .build();
  }

  private static <T> T call(Path path, LoadShedder shedder, Priority priority, T value) throws Exception {
    if (path == Path.SYNC) {
      return shedder.call(priority, () -> value);
    }
    try {
      return shedder.<T>callAsync(priority, () -> CompletableFuture.completedFuture(value)).toCompletableFuture()
          .join();
    } catch (CompletionException e) {
      throw (Exception) e.getCause();
    }
  }

  private static List<LimiterPermit> fill(LoadShedder shedder, Priority priority) {
    List<LimiterPermit> held = new ArrayList<>();
    LimiterPermit p;
    while ((p = shedder.tryAcquirePermit(priority)) != null) {
      held.add(p);
    }
    return held;
  }

  @Test
  void lowerPrioritiesAreRefusedFirstAsInFlightWorkApproachesTheLimit() {
    LoadShedder shedder = shedder(100, LoadShedderConfig.builder());
    assertThat(fill(shedder, Priority.BEST_EFFORT)).hasSize(50);
    assertThat(fill(shedder, Priority.LOW)).hasSize(12);      // up to 62
    assertThat(fill(shedder, Priority.NORMAL)).hasSize(13);   // up to 75
    assertThat(fill(shedder, Priority.HIGH)).hasSize(12);     // up to 87
    assertThat(fill(shedder, Priority.CRITICAL)).hasSize(13); // all 100
    assertThat(shedder.metrics().inflight()).isEqualTo(100);

    LoadShedder.Metrics m = shedder.metrics();
    assertThat(m.admissionLimit(Priority.BEST_EFFORT)).isEqualTo(50);
    assertThat(m.admissionLimit(Priority.of(60))).isEqualTo(80);
    assertThat(m.admissionLimit(Priority.CRITICAL)).isEqualTo(100);
    assertThat(m.rejectedCalls(Priority.BEST_EFFORT)).isEqualTo(1);
    assertThat(m.rejectedCalls(Priority.of(10))).isEqualTo(1); // same band
    assertThat(m.rejectedCalls(Priority.CRITICAL)).isEqualTo(1);
    assertThat(m.rejectedCalls()).isEqualTo(5);
  }

  @Test
  void aBestEffortShareOfOneTurnsPrioritiesOff() {
    LoadShedder shedder = shedder(10, LoadShedderConfig.builder().bestEffortShare(1));
    assertThat(fill(shedder, Priority.BEST_EFFORT)).hasSize(10);
  }

  @ParameterizedTest
  @EnumSource(Path.class)
  void aShedCallNamesTheShedderAndItsPriority(Path path) {
    LoadShedder shedder = shedder(4, LoadShedderConfig.builder());
    fill(shedder, Priority.CRITICAL);
    assertThatThrownBy(() -> call(path, shedder, Priority.LOW, "x"))
        .isInstanceOfSatisfying(LimitExceededException.class, e -> {
          assertThat(e.policyName()).isEqualTo("api");
          assertThat(e.priority()).isEqualTo(Priority.LOW);
          assertThat(e.admissionLimit()).isEqualTo(2);
          assertThat(e.waitedNanos()).isZero();
          assertThat(e.getMessage()).isEqualTo(
              "load shedder 'api' shed a LOW(25) call: 4 calls in flight, and a LOW call may only join 2 of the "
                  + "limit of 4");
        });
  }

  @ParameterizedTest
  @EnumSource(Path.class)
  void callsWithoutAPriorityUseTheInstalledOneOrTheDefault(Path path) throws Exception {
    LoadShedder shedder = shedder(4, LoadShedderConfig.builder().defaultPriority(Priority.LOW));
    List<LimiterPermit> held = fill(shedder, Priority.CRITICAL);
    held.remove(0).onSuccess();
    held.remove(0).onSuccess(); // 2 in flight: LOW may join 2, so not now; NORMAL may join 3
    assertThatThrownBy(() -> {
      if (path == Path.SYNC) {
        shedder.call(() -> "x");
      } else {
        shedder.callAsync(() -> CompletableFuture.completedFuture("x")).toCompletableFuture().join();
      }
    }).hasMessageContaining("LOW");
    Pipeline pipeline = Pipeline.of(shedder);
    String viaPipeline = Priority.NORMAL.call(() -> path == Path.SYNC ? pipeline.call(() -> "ok")
        : pipeline.callAsync(() -> CompletableFuture.completedFuture("ok")).toCompletableFuture().join());
    assertThat(viaPipeline).isEqualTo("ok");
    assertThat(Priority.current()).isNull();
    LimiterPermit tried = Priority.HIGH.call(() -> shedder.tryAcquirePermit());
    LimiterPermit acquired = Priority.CRITICAL.call(() -> shedder.acquirePermit()); // HIGH may join only 3
    assertThat(tried).isNotNull();
    assertThat(acquired).isNotNull();
    assertThat(shedder.metrics().inflight()).isEqualTo(4);
  }

  @ParameterizedTest
  @EnumSource(Path.class)
  void successesAndDropsReachTheLimit(Path path) throws Exception {
    LoadShedder shedder = shedder(4, LoadShedderConfig.builder());
    assertThat(call(path, shedder, Priority.HIGH, "v")).isEqualTo("v");
    assertThat(shedder.metrics().successfulCalls()).isEqualTo(1);
    assertThat(shedder.metrics().inflight()).isZero();
    assertThat(shedder.kind()).isEqualTo(PolicyKind.LOAD_SHEDDER);
    assertThat(shedder.name()).isEqualTo("api");
  }

  @Test
  void anAsyncWaiterIsGrantedTheNextFreeSlot() {
    LoadShedder shedder = shedder(2, LoadShedderConfig.builder().maxQueueSize(10).bestEffortShare(1));
    List<LimiterPermit> held = fill(shedder, Priority.NORMAL);
    CompletableFuture<String> work = new CompletableFuture<>();
    CompletableFuture<String> queued = shedder.<String>callAsync(Priority.NORMAL, () -> work).toCompletableFuture();
    assertThat(shedder.metrics().queued()).isEqualTo(1);
    assertThat(queued).isNotDone();

    clock.advance(3 * MS);
    held.remove(0).onSuccess(); // the slot goes to the waiter, which starts on this thread
    assertThat(shedder.metrics().queued()).isZero();
    assertThat(shedder.metrics().inflight()).isEqualTo(2);
    work.complete("done");
    assertThat(queued).isCompletedWithValue("done");
    assertThat(shedder.metrics().inflight()).isEqualTo(1);
    assertThat(clock.pendingTasks()).isZero(); // its timeout was cancelled
  }

  @Test
  void anAsyncWaiterTimesOutWithARejectionThatSaysHowLongItWaited() {
    LoadShedder shedder = shedder(1, LoadShedderConfig.builder().maxQueueSize(10).bestEffortShare(1)
        .queueTimeout(Duration.ofMillis(50)));
    List<LimiterPermit> held = fill(shedder, Priority.NORMAL);
    List<LimiterEvent.Rejected> events = new ArrayList<>();
    CompletableFuture<String> queued = shedder.<String>callAsync(Priority.HIGH,
        () -> CompletableFuture.completedFuture("never")).toCompletableFuture();

    clock.advance(49 * MS);
    assertThat(queued).isNotDone();
    clock.advance(MS);
    assertThat(queued).isCompletedExceptionally();
    assertThatThrownBy(queued::join).cause().isInstanceOfSatisfying(LimitExceededException.class, e -> {
      assertThat(e.waitedNanos()).isEqualTo(50 * MS);
      assertThat(e.getMessage()).endsWith("after waiting 50 ms in the queue");
    });
    assertThat(shedder.metrics().queued()).isZero();
    held.get(0).onSuccess();
    assertThat(shedder.metrics().inflight()).isZero();
    assertThat(events).isEmpty();
  }

  @Test
  void cancellingAQueuedAsyncCallLeavesTheQueue() {
    LoadShedder shedder = shedder(1, LoadShedderConfig.builder().maxQueueSize(10).bestEffortShare(1));
    List<LimiterPermit> held = fill(shedder, Priority.NORMAL);
    boolean[] started = {false};
    CompletableFuture<Object> queued = shedder.<Object>callAsync(Priority.NORMAL, () -> {
      started[0] = true;
      return new CompletableFuture<>();
    }).toCompletableFuture();
    queued.cancel(true);
    assertThat(shedder.metrics().queued()).isZero();
    held.get(0).onSuccess();
    assertThat(started[0]).isFalse();
    assertThat(shedder.metrics().inflight()).isZero();
    assertThat(clock.pendingTasks()).isZero();
  }

  @Test
  void theQueueServesHigherPrioritiesFirst() {
    LoadShedder shedder = shedder(1, LoadShedderConfig.builder().maxQueueSize(10).bestEffortShare(1));
    List<LimiterPermit> held = fill(shedder, Priority.CRITICAL);
    List<String> order = new ArrayList<>();
    for (Priority p : List.of(Priority.LOW, Priority.CRITICAL, Priority.NORMAL, Priority.BEST_EFFORT)) {
      shedder.callAsync(p, () -> {
        order.add(p.name());
        return CompletableFuture.completedFuture(null); // completes at once, freeing the slot for the next
      });
    }
    held.get(0).onSuccess();
    assertThat(order).containsExactly("CRITICAL", "NORMAL", "LOW", "BEST_EFFORT");
  }

  @Test
  void anArrivalDoesNotTakeASlotFromUnderMoreImportantWaitingWork() {
    LoadShedder shedder = shedder(2, LoadShedderConfig.builder().maxQueueSize(10).bestEffortShare(1));
    List<LimiterPermit> held = fill(shedder, Priority.NORMAL);
    shedder.callAsync(Priority.HIGH, () -> new CompletableFuture<>());
    // a slot frees, but only through the waiter; a LOW arrival meanwhile must queue, not barge
    assertThat(shedder.tryAcquirePermit(Priority.LOW)).isNull();
    held.get(0).onSuccess();
    assertThat(shedder.metrics().queued()).isZero();
    assertThat(shedder.metrics().inflight()).isEqualTo(2);
    // with nobody of its band or higher waiting, a CRITICAL call takes free slots directly
    held.get(1).onSuccess();
    assertThat(shedder.tryAcquirePermit(Priority.CRITICAL)).isNotNull();
  }

  @Test
  void aStandingQueueGivesNewcomersTheShortTimeoutAndServesTheNewestFirst() {
    LoadShedder shedder = shedder(1, LoadShedderConfig.builder().maxQueueSize(100).bestEffortShare(1)
        .queueTimeout(Duration.ofMillis(100)).congestedQueueTimeout(Duration.ofMillis(5)));
    List<LimiterPermit> held = fill(shedder, Priority.NORMAL);
    List<String> started = new ArrayList<>();
    List<CompletableFuture<Object>> calls = new ArrayList<>();
    // keep the queue non-empty for longer than the queue timeout: a new waiter every 20 ms
    for (int i = 0; i < 8; i++) {
      String id = "w" + i;
      calls.add(shedder.<Object>callAsync(Priority.NORMAL, () -> {
        started.add(id);
        return new CompletableFuture<>();
      }).toCompletableFuture());
      clock.advance(20 * MS);
    }
    // w0..w2 timed out after 100 ms; from 120 ms the queue was standing, so w6 and w7 wait only 5 ms
    assertThat(calls.get(0)).isCompletedExceptionally();
    assertThat(calls.get(6)).isCompletedExceptionally();
    assertThat(calls.get(5)).isNotDone(); // queued at 100 ms, not yet congested: 100 ms timeout
    shedder.callAsync(Priority.NORMAL, () -> {
      started.add("newest");
      return new CompletableFuture<>();
    });
    held.get(0).onSuccess(); // congested: adaptive LIFO serves the newest waiter
    assertThat(started).containsExactly("newest");
  }

  @Test
  void aWaitNeverRunsPastTheDeadline() throws Exception {
    LoadShedder shedder = shedder(1, LoadShedderConfig.builder().maxQueueSize(10).bestEffortShare(1)
        .queueTimeout(Duration.ofSeconds(1)));
    fill(shedder, Priority.NORMAL);
    Deadline deadline = Deadline.after(Duration.ofMillis(30), clock);
    CompletableFuture<String> queued = deadline.call(() -> shedder.<String>callAsync(Priority.NORMAL,
        () -> CompletableFuture.completedFuture("x")).toCompletableFuture());
    clock.advance(30 * MS);
    assertThat(queued).isCompletedExceptionally();
    // a passed deadline is refused at once
    clock.advance(MS);
    assertThatThrownBy(() -> deadline.call(() -> shedder.call(Priority.NORMAL, () -> "x")))
        .isInstanceOfSatisfying(LimitExceededException.class, e -> assertThat(e.waitedNanos()).isZero());
  }

  @Test
  void aFullQueueRefusesAtOnce() {
    LoadShedder shedder = shedder(1, LoadShedderConfig.builder().maxQueueSize(1).bestEffortShare(1));
    fill(shedder, Priority.NORMAL);
    shedder.callAsync(Priority.NORMAL, () -> new CompletableFuture<>());
    CompletableFuture<Object> second = shedder.<Object>callAsync(Priority.NORMAL,
        () -> new CompletableFuture<>()).toCompletableFuture();
    assertThat(second).isCompletedExceptionally();
    assertThat(shedder.metrics().queued()).isEqualTo(1);
  }

  @Test
  void aSyncWaiterParksUntilASlotIsHandedToIt() throws Exception {
    LoadShedder shedder = LoadShedder.builder("api")
        .config(LoadShedderConfig.builder().maxQueueSize(10).bestEffortShare(1).queueTimeout(Duration.ofMinutes(1))
            .congestedQueueTimeout(Duration.ofMinutes(1))
            .limiter(ConcurrencyLimiterConfig.builder().algorithm(LimitAlgorithm.fixed(1)).build()).build())
        .build(); // system clock: a real thread waits
    LimiterPermit held = shedder.acquirePermit(Priority.NORMAL);
    AtomicReference<String> result = new AtomicReference<>();
    Thread waiter = new Thread(() -> {
      try {
        result.set(shedder.call(Priority.NORMAL, () -> "served"));
      } catch (Exception e) {
        result.set(e.toString());
      }
    });
    waiter.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> shedder.metrics().queued() == 1);
    held.onSuccess();
    waiter.join(10_000);
    assertThat(result.get()).isEqualTo("served");
    assertThat(shedder.metrics().inflight()).isZero();
  }

  @Test
  void aSyncWaiterTimesOutInVirtualTimeAndAnInterruptEndsTheWait() throws Exception {
    LoadShedder shedder = shedder(1, LoadShedderConfig.builder().maxQueueSize(10).bestEffortShare(1)
        .queueTimeout(Duration.ofMillis(100)));
    fill(shedder, Priority.NORMAL);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread waiter = new Thread(() -> {
      try {
        shedder.acquirePermit(Priority.NORMAL);
      } catch (Throwable e) {
        failure.set(e);
      }
    });
    waiter.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> shedder.metrics().queued() == 1);
    clock.advance(100 * MS);
    waiter.join(10_000);
    assertThat(failure.get()).isInstanceOfSatisfying(LimitExceededException.class,
        e -> assertThat(e.waitedNanos()).isGreaterThanOrEqualTo(100 * MS));

    AtomicReference<Boolean> stillInterrupted = new AtomicReference<>();
    Thread interrupted = new Thread(() -> {
      try {
        shedder.acquirePermit(Priority.NORMAL);
      } catch (LimitExceededException e) {
        stillInterrupted.set(Thread.currentThread().isInterrupted());
      }
    });
    interrupted.start();
    await().atMost(Duration.ofSeconds(10)).until(() -> shedder.metrics().queued() == 1);
    interrupted.interrupt();
    interrupted.join(10_000);
    assertThat(stillInterrupted.get()).isTrue();
    assertThat(shedder.metrics().queued()).isZero();
  }

  @Test
  void aGrowingLimitDrainsTheQueue() {
    LoadShedder shedder = LoadShedder.builder("api")
        .config(LoadShedderConfig.builder().maxQueueSize(10).bestEffortShare(1).queueTimeout(Duration.ofSeconds(1))
            .congestedQueueTimeout(Duration.ofSeconds(1))
            .limiter(ConcurrencyLimiterConfig.builder()
                .algorithm(LimitAlgorithm.aimd().initialLimit(2).increment(2).build())
                .window(Duration.ofMillis(10)).minWindowSamples(1).build())
            .build())
        .clock(clock)
        .scheduler(clock)
        .build();
    List<LimiterPermit> held = fill(shedder, Priority.NORMAL);
    List<CompletableFuture<Object>> queued = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      queued.add(shedder.<Object>callAsync(Priority.NORMAL, () -> new CompletableFuture<>()).toCompletableFuture());
    }
    clock.advance(20 * MS);
    held.get(0).onSuccess(); // closes a used window: the limit grows to 4, and both waiters get in
    assertThat(shedder.metrics().limit()).isEqualTo(4);
    assertThat(shedder.metrics().queued()).isZero();
    assertThat(shedder.metrics().inflight()).isEqualTo(3);
  }

  @Test
  void itIsAPolicyOfTheRegistryAndEventsNameThePriority() {
    List<LimiterEvent.Rejected> events = new ArrayList<>();
    LoadShedder shedder = LoadShedder.builder("api")
        .config(LoadShedderConfig.builder()
            .limiter(ConcurrencyLimiterConfig.builder().algorithm(LimitAlgorithm.fixed(2)).build()).build())
        .clock(clock)
        .listener(LimiterEvent.Rejected.class, events::add)
        .build();
    fill(shedder, Priority.LOW);
    assertThat(events).containsExactly(new LimiterEvent.Rejected("api", Priority.LOW, 2, 1, 0));
    assertThat(shedder.toString()).contains("api", "limit=2");

    Registry<LoadShedder, LoadShedderConfig> registry =
        Registry.builder(LoadShedderConfig.defaults(), LoadShedder::of).build();
    assertThat(registry.get("x").config()).isEqualTo(LoadShedderConfig.defaults());
    assertThat(LoadShedder.ofDefaults("y").metrics().limit()).isEqualTo(20);
  }
}
