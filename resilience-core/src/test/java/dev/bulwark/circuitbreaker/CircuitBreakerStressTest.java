package dev.bulwark.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.OutcomeClassifier;
import dev.bulwark.Permit;
import dev.bulwark.circuitbreaker.CircuitBreaker.State;
import dev.bulwark.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import dev.bulwark.testing.ManualClock;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * Many threads hammering a breaker in each state; invariants checked when they are done: probes never
 * over-issued, every call counted exactly once, aggregates equal to what the slots and buckets hold.
 */
class CircuitBreakerStressTest {
  private static final int THREADS = 4;
  private static final Duration SLOW = Duration.ofMillis(100);

  /** Runs {@code body(threadIndex)} on {@link #THREADS} threads released at once; rethrows any failure. */
  private static void hammer(int threads, ThreadBody body) throws InterruptedException {
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> started = new ArrayList<>();
    List<Throwable> failures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int index = t;
      Thread thread = new Thread(() -> {
        try {
          start.await();
          body.run(index);
        } catch (Throwable e) {
          synchronized (failures) {
            failures.add(e);
          }
        }
      }, "stress-" + t);
      thread.start();
      started.add(thread);
    }
    start.countDown();
    for (Thread thread : started) {
      thread.join();
    }
    if (!failures.isEmpty()) {
      throw new AssertionError("a stress thread failed", failures.get(0));
    }
  }

  @FunctionalInterface
  interface ThreadBody {
    void run(int thread) throws Exception;
  }

  private static OutcomeClassifier classifier() {
    return OutcomeClassifier.builder().ignoreExceptions(FileNotFoundException.class).slowCallDuration(SLOW).build();
  }

  @Test
  void aMetricsOnlyBreakerCountsEveryCallExactlyOnceAndItsWindowStaysConsistent() throws Exception {
    ManualClock clock = new ManualClock();
    CircuitBreaker breaker = CircuitBreaker.builder("stress").clock(clock)
        .config(CircuitBreakerConfig.builder().slidingWindowSize(64).classifier(classifier()).build()).build();
    breaker.transitionToMetricsOnly();
    LongAdder success = new LongAdder();
    LongAdder failure = new LongAdder();
    LongAdder slow = new LongAdder();
    LongAdder ignored = new LongAdder();
    LongAdder released = new LongAdder();
    hammer(THREADS, t -> {
      SplittableRandom random = new SplittableRandom(t);
      for (int i = 0; i < 20_000; i++) {
        Permit permit = breaker.acquirePermit();
        boolean isSlow = random.nextInt(4) == 0;
        long duration = isSlow ? SLOW.toNanos() : 1;
        switch (random.nextInt(5)) {
          case 0:
            permit.onFailure(duration, new IOException());
            failure.increment();
            break;
          case 1:
            permit.onFailure(duration, new FileNotFoundException());
            ignored.increment();
            isSlow = false;
            break;
          case 2:
            permit.release();
            released.increment();
            isSlow = false;
            break;
          default:
            permit.onSuccess(duration);
            success.increment();
        }
        if (isSlow) {
          slow.increment();
        }
      }
    });
    CircuitBreaker.Metrics metrics = breaker.metrics();
    assertThat(metrics.state()).isEqualTo(State.METRICS_ONLY);
    assertThat(metrics.totalSuccessfulCalls()).isEqualTo(success.sum());
    assertThat(metrics.totalFailedCalls()).isEqualTo(failure.sum());
    assertThat(metrics.totalSlowCalls()).isEqualTo(slow.sum());
    assertThat(metrics.totalIgnoredCalls()).isEqualTo(ignored.sum());
    assertThat(metrics.totalReleasedCalls()).isEqualTo(released.sum());
    assertThat(metrics.bufferedCalls()).isEqualTo(64);
    Window window = ((DefaultCircuitBreaker.ClosedPhase) phaseOf(breaker)).window;
    assertConsistent(window);
  }

  private static DefaultCircuitBreaker.Phase phaseOf(CircuitBreaker breaker) throws Exception {
    var field = DefaultCircuitBreaker.class.getDeclaredField("phase");
    field.setAccessible(true);
    return (DefaultCircuitBreaker.Phase) field.get(breaker);
  }

  private static void assertConsistent(Window window) {
    int[] raw = window.rawAggregates();
    int[] recount = window.recount();
    assertThat(raw[0]).as("calls in the (calls, failed) aggregate").isEqualTo(recount[0]);
    assertThat(raw[1]).as("failed").isEqualTo(recount[1]);
    assertThat(raw[2]).as("calls in the (calls, slow) aggregate").isEqualTo(recount[0]);
    assertThat(raw[3]).as("slow").isEqualTo(recount[2]);
  }

  @Test
  void theCountWindowAggregatesEqualItsSlotsAfterConcurrentWrapArounds() throws Exception {
    CircuitBreakerConfig config = CircuitBreakerConfig.builder().slidingWindowSize(3).classifier(classifier())
        .failureRateThreshold(100).build();
    for (int round = 0; round < 20; round++) {
      Window window = Window.create(config, new ManualClock());
      hammer(THREADS, t -> {
        SplittableRandom random = new SplittableRandom(t * 31L);
        for (int i = 0; i < 20_000; i++) {
          window.record(random.nextBoolean(), random.nextInt(3) == 0);
        }
      });
      assertConsistent(window);
      assertThat(window.recount()[0]).isEqualTo(3);
    }
  }

  @Test
  void theTimeWindowAggregatesEqualItsBucketsWhileTimeMovesUnderTheRecorders() throws Exception {
    ManualClock clock = new ManualClock();
    CircuitBreakerConfig config = CircuitBreakerConfig.builder().slidingWindowType(SlidingWindowType.TIME_BASED)
        .slidingWindowSize(5).classifier(classifier()).build();
    Window window = Window.create(config, clock);
    AtomicBoolean recording = new AtomicBoolean(true);
    AtomicInteger recorders = new AtomicInteger(THREADS - 1);
    LongAdder recorded = new LongAdder();
    hammer(THREADS, t -> {
      if (t == 0) {
        while (recording.get()) {
          clock.advance(Duration.ofMillis(7));
          Thread.onSpinWait();
        }
        return;
      }
      SplittableRandom random = new SplittableRandom(t);
      for (int i = 0; i < 30_000; i++) {
        window.record(random.nextBoolean(), random.nextBoolean());
        recorded.increment();
      }
      if (recorders.decrementAndGet() == 0) {
        recording.set(false);
      }
    });
    window.record(false, false); // advances the window to now, retiring every stale bucket
    assertConsistent(window);
    clock.advance(Duration.ofSeconds(5));
    window.record(true, true);
    assertThat(window.rawAggregates()).containsExactly(1, 1, 1, 1);
  }

  @Test
  void halfOpenNeverIssuesMoreProbesThanPermittedUnderAnyInterleaving() throws Exception {
    ManualClock clock = new ManualClock();
    int permitted = 3;
    CircuitBreaker breaker = CircuitBreaker.builder("probes").clock(clock)
        .config(CircuitBreakerConfig.builder().permittedCallsInHalfOpen(permitted).build()).build();
    for (int round = 0; round < 300; round++) {
      breaker.transitionToHalfOpen();
      AtomicInteger granted = new AtomicInteger();
      hammer(THREADS, t -> {
        for (int i = 0; i < 5; i++) {
          Permit permit = breaker.tryAcquirePermit();
          if (permit != null) {
            assertThat(permit).isInstanceOf(DefaultCircuitBreaker.ProbePermit.class);
            granted.incrementAndGet();
          }
        }
      });
      assertThat(granted.get()).as("probes issued in round %d", round).isEqualTo(permitted);
      breaker.transitionToClosed();
    }
  }

  @Test
  void halfOpenProbesMinusReleasedNeverExceedPermittedAndEveryProbeIsCountedOnce() throws Exception {
    ManualClock clock = new ManualClock();
    int permitted = 4;
    CircuitBreaker breaker = CircuitBreaker.builder("probes").clock(clock)
        .config(CircuitBreakerConfig.builder().permittedCallsInHalfOpen(permitted).classifier(classifier()).build())
        .build();
    for (int r = 0; r < 300; r++) {
      int round = r;
      breaker.transitionToOpen();
      breaker.transitionToHalfOpen();
      AtomicInteger probes = new AtomicInteger();
      AtomicInteger releasedProbes = new AtomicInteger();
      LongAdder outcomes = new LongAdder();
      long before = total(breaker.metrics());
      hammer(THREADS, t -> {
        SplittableRandom random = new SplittableRandom(round * 7L + t);
        for (int i = 0; i < 6; i++) {
          Permit permit = breaker.tryAcquirePermit();
          outcomes.increment();
          if (permit == null) {
            continue;
          }
          boolean probe = permit instanceof DefaultCircuitBreaker.ProbePermit;
          if (probe) {
            probes.incrementAndGet();
          }
          switch (random.nextInt(4)) {
            case 0:
              permit.release();
              if (probe) {
                releasedProbes.incrementAndGet();
              }
              break;
            case 1:
              permit.onFailure(1, new FileNotFoundException()); // ignored: gives the slot back too
              if (probe) {
                releasedProbes.incrementAndGet();
              }
              break;
            case 2:
              permit.onFailure(1, new IOException());
              break;
            default:
              permit.onSuccess(1);
          }
        }
      });
      assertThat(probes.get() - releasedProbes.get()).as("round %d", round).isLessThanOrEqualTo(permitted);
      assertThat(total(breaker.metrics()) - before).isEqualTo(outcomes.sum());
      assertThat(breaker.state()).isIn(State.CLOSED, State.OPEN, State.HALF_OPEN);
    }
  }

  private static long total(CircuitBreaker.Metrics m) {
    return m.totalSuccessfulCalls() + m.totalFailedCalls() + m.totalIgnoredCalls() + m.totalReleasedCalls()
        + m.totalNotPermittedCalls();
  }

  @Test
  void exactlyOneThreadTripsTheBreakerAndEveryCallIsCountedOnce() throws Exception {
    for (int round = 0; round < 50; round++) {
      ManualClock clock = new ManualClock();
      List<CircuitBreakerEvent.StateTransition> transitions = new java.util.concurrent.CopyOnWriteArrayList<>();
      CircuitBreaker breaker = CircuitBreaker.builder("trip").clock(clock)
          .config(CircuitBreakerConfig.builder().slidingWindowSize(20).build())
          .listener(CircuitBreakerEvent.StateTransition.class, transitions::add)
          .build();
      LongAdder attempts = new LongAdder();
      hammer(THREADS, t -> {
        for (int i = 0; i < 200; i++) {
          attempts.increment();
          try {
            breaker.call(() -> {
              throw new IOException("down");
            });
          } catch (CircuitBreakerOpenException | IOException expected) {
            // counted by the breaker either way
          }
        }
      });
      assertThat(transitions).containsExactly(
          new CircuitBreakerEvent.StateTransition("trip", State.CLOSED, State.OPEN));
      assertThat(total(breaker.metrics())).isEqualTo(attempts.sum());
      assertThat(breaker.metrics().totalFailedCalls()).isGreaterThanOrEqualTo(20);
    }
  }

  @Test
  void exactlyOneThreadMovesAnExpiredOpenBreakerToHalfOpen() throws Exception {
    for (int round = 0; round < 100; round++) {
      ManualClock clock = new ManualClock();
      List<CircuitBreakerEvent.StateTransition> transitions = new java.util.concurrent.CopyOnWriteArrayList<>();
      CircuitBreaker breaker = CircuitBreaker.builder("recover").clock(clock)
          .config(CircuitBreakerConfig.builder().permittedCallsInHalfOpen(2).build())
          .listener(CircuitBreakerEvent.StateTransition.class, transitions::add)
          .build();
      breaker.transitionToOpen();
      clock.advance(Duration.ofMinutes(1));
      AtomicInteger granted = new AtomicInteger();
      hammer(THREADS, t -> {
        for (int i = 0; i < 3; i++) {
          if (breaker.tryAcquirePermit() != null) {
            granted.incrementAndGet();
          }
        }
      });
      assertThat(transitions).extracting(CircuitBreakerEvent.StateTransition::to)
          .containsExactly(State.OPEN, State.HALF_OPEN);
      assertThat(granted.get()).isEqualTo(2);
      assertThat(breaker.metrics().totalNotPermittedCalls()).isEqualTo(THREADS * 3 - 2);
    }
  }

  @Test
  void openAndForcedOpenBreakersRejectEveryCallFromEveryThread() throws Exception {
    ManualClock clock = new ManualClock();
    CircuitBreaker open = CircuitBreaker.builder("open").clock(clock).build();
    CircuitBreaker forced = CircuitBreaker.builder("forced").clock(clock).build();
    open.transitionToOpen();
    forced.transitionToForcedOpen();
    hammer(THREADS, t -> {
      for (int i = 0; i < 10_000; i++) {
        assertThat(open.tryAcquirePermit()).isNull();
        assertThat(forced.callAsync(() -> null).toCompletableFuture().isCompletedExceptionally()).isTrue();
      }
    });
    assertThat(open.metrics().totalNotPermittedCalls()).isEqualTo(THREADS * 10_000L);
    assertThat(forced.metrics().totalNotPermittedCalls()).isEqualTo(THREADS * 10_000L);
  }
}
