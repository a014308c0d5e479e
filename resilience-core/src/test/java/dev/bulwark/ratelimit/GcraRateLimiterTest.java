package dev.bulwark.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.Deadline;
import dev.bulwark.PolicyKind;
import dev.bulwark.ratelimit.RateLimitedException.Rejection;
import dev.bulwark.testing.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class GcraRateLimiterTest {
  private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

  /** Runs one scenario through the synchronous and the asynchronous decorator paths alike. */
  enum Path {
    SYNC {
      @Override
      String call(RateLimiter limiter, ManualClock clock) throws Exception {
        return limiter.call(() -> "ok");
      }
    },
    ASYNC {
      @Override
      String call(RateLimiter limiter, ManualClock clock) throws Exception {
        CompletionStage<String> stage = limiter.callAsync(() -> CompletableFuture.completedFuture("ok"));
        CompletableFuture<String> future = stage.toCompletableFuture();
        clock.runDue();
        while (!future.isDone() && clock.pendingTasks() > 0) {
          clock.advance(1); // the permit is due later: run virtual time forward until it is
        }
        try {
          return future.join();
        } catch (CompletionException e) {
          throw (Exception) e.getCause();
        }
      }
    };

    abstract String call(RateLimiter limiter, ManualClock clock) throws Exception;
  }

  private final ManualClock clock = new ManualClock();

  private RateLimiter limiter(int limit, Duration period, int burst, Duration maxWait) {
    return RateLimiter.builder("api")
        .config(RateLimiterConfig.builder().limitForPeriod(limit).period(period).burstCapacity(burst)
            .maxWait(maxWait).build())
        .clock(clock).sleeper(clock).scheduler(clock).build();
  }

  @ParameterizedTest
  @EnumSource(Path.class)
  void aFullBucketAdmitsTheBurstThenRejectsWithTheExactRetryAfter(Path path) throws Exception {
    RateLimiter limiter = limiter(10, Duration.ofSeconds(1), 3, Duration.ZERO);
    for (int i = 0; i < 3; i++) {
      assertThat(path.call(limiter, clock)).isEqualTo("ok");
    }
    assertThatThrownBy(() -> path.call(limiter, clock)).isInstanceOfSatisfying(RateLimitedException.class, e -> {
      assertThat(e.rejection()).isEqualTo(Rejection.RATE_EXCEEDED);
      assertThat(e.retryAfterNanos()).isEqualTo(100_000_000L);
      assertThat(e.policyName()).isEqualTo("api");
      assertThat(e.policyKind()).isEqualTo(PolicyKind.RATE_LIMITER);
      assertThat(e.getStackTrace()).isEmpty();
    }).hasMessage("rate limiter 'api' refused 1 permit: the rate of 10 per PT1S (burst 3) is used up and the "
        + "wait would exceed maxWait; a call may be admitted in 100 ms");
    clock.advance(99_999_999);
    assertThat(limiter.tryAcquire(1)).isEqualTo(1);
    clock.advance(1);
    assertThat(path.call(limiter, clock)).isEqualTo("ok");
    assertThat(limiter.metrics().rejectedCalls()).isEqualTo(2);
  }

  @Test
  void theEmissionIntervalIsExactNotRoundedToNanoseconds() {
    // 3 per second: T = 333,333,333 1/3 ns. Waiting callers reserve their turn; the i-th is let through at
    // exactly ceil(i * T): a T rounded to whole nanoseconds would be off by 10 us after 30,000 permits.
    RateLimiter limiter = limiter(3, Duration.ofSeconds(1), 1, Duration.ofSeconds(1));
    long start = clock.nanoTime();
    limiter.acquire(1);
    for (long i = 1; i <= 30_000; i++) {
      limiter.acquire(1);
      assertThat(clock.nanoTime() - start).as("permit %d", i).isEqualTo(Math.floorDiv(i * SECOND + 2, 3));
    }
  }

  @Test
  void aCallerComingBackAtTheRetryAfterIsAdmittedThen() {
    RateLimiter limiter = limiter(3, Duration.ofSeconds(1), 1, Duration.ZERO);
    assertThat(limiter.tryAcquire(1)).isZero();
    for (int i = 0; i < 1_000; i++) {
      long wait = limiter.tryAcquire(1);
      assertThat(wait).isBetween(333_333_333L, 333_333_334L);
      clock.advance(wait - 1);
      assertThat(limiter.tryAcquire(1)).isEqualTo(1);
      clock.advance(1);
      assertThat(limiter.tryAcquire(1)).isZero();
    }
  }

  @Test
  void tryAcquireOfSeveralPermitsSaysWhenTheyWouldAllBeAvailable() {
    RateLimiter limiter = limiter(4, Duration.ofSeconds(1), 4, Duration.ZERO);
    assertThat(limiter.tryAcquire(3)).isZero();
    assertThat(limiter.tryAcquire(3)).isEqualTo(500_000_000L); // 1 left, 2 more at 250 ms each
    assertThat(limiter.tryAcquire(5)).isEqualTo(Long.MAX_VALUE); // more than the burst: never at once
    assertThat(limiter.metrics().availablePermits()).isEqualTo(1);
    clock.advance(Duration.ofMillis(500));
    assertThat(limiter.tryAcquire(3)).isZero();
    assertThat(limiter.metrics().availablePermits()).isZero();
  }

  @Test
  void acquireReservesParksInVirtualTimeAndLaterCallersQueueBehind() {
    RateLimiter limiter = limiter(10, Duration.ofSeconds(1), 3, Duration.ofSeconds(1));
    long start = clock.nanoTime();
    limiter.acquire(3);
    assertThat(clock.nanoTime()).isEqualTo(start);
    limiter.acquire(1); // sleeps 100 ms through the manual clock
    assertThat(clock.nanoTime() - start).isEqualTo(100_000_000L);
    limiter.acquire(3); // reserved behind: 300 ms more
    assertThat(clock.nanoTime() - start).isEqualTo(400_000_000L);
    assertThat(clock.sleeps()).containsExactly(100_000_000L, 300_000_000L);
    assertThat(limiter.metrics().waitingCalls()).isZero();
  }

  @Test
  void aWaitLongerThanAllowedIsRefusedWithoutTakingAnything() {
    RateLimiter limiter = limiter(10, Duration.ofSeconds(1), 5, Duration.ZERO);
    limiter.acquire(5);
    assertThatThrownBy(() -> limiter.acquire(5, Duration.ofMillis(499)))
        .isInstanceOfSatisfying(RateLimitedException.class, e -> {
          assertThat(e.rejection()).isEqualTo(Rejection.RATE_EXCEEDED);
          assertThat(e.retryAfterNanos()).isEqualTo(500_000_000L);
          assertThat(e.permits()).isEqualTo(5);
        });
    long before = clock.nanoTime();
    limiter.acquire(5, Duration.ofMillis(500));
    assertThat(clock.nanoTime() - before).isEqualTo(500_000_000L);
  }

  @Test
  void moreThanTheBurstIsAlwaysRefusedEvenWhenWaitingIsAllowed() {
    RateLimiter limiter = limiter(10, Duration.ofSeconds(1), 2, Duration.ofSeconds(10));
    for (int attempt = 0; attempt < 2; attempt++) {
      assertThatThrownBy(() -> limiter.acquire(3)).isInstanceOfSatisfying(RateLimitedException.class, e -> {
        assertThat(e.rejection()).isEqualTo(Rejection.EXCEEDS_BURST);
        assertThat(e.retryAfter()).isEmpty();
      }).hasMessage("rate limiter 'api' refused 3 permits: more than the burst capacity of 2 are never "
          + "admitted at once");
      assertThat(limiter.acquireAsync(3)).isCompletedExceptionally();
      assertThat(limiter.tryAcquire(3)).isEqualTo(Long.MAX_VALUE);
      clock.advance(Duration.ofSeconds(5));
    }
    assertThat(limiter.metrics().availablePermits()).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(Path.class)
  void theDeadlineShortensTheWait(Path path) throws Exception {
    RateLimiter limiter = limiter(1, Duration.ofSeconds(1), 1, Duration.ofSeconds(5));
    limiter.acquire(1);
    Deadline deadline = Deadline.after(Duration.ofMillis(500), clock);
    assertThatThrownBy(() -> deadline.call(() -> path.call(limiter, clock)))
        .isInstanceOfSatisfying(RateLimitedException.class, e -> {
          assertThat(e.rejection()).isEqualTo(Rejection.DEADLINE_EXCEEDED);
          assertThat(e.retryAfterNanos()).isEqualTo(SECOND);
        });
  }

  @Test
  void anInterruptedWaiterIsRefusedKeepsItsFlagAndGivesThePermitsBack() {
    RateLimiter limiter = limiter(10, Duration.ofSeconds(1), 1, Duration.ofSeconds(1));
    limiter.acquire(1);
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(() -> limiter.acquire(1)).isInstanceOfSatisfying(RateLimitedException.class,
          e -> assertThat(e.rejection()).isEqualTo(Rejection.INTERRUPTED));
      assertThat(Thread.interrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
    // refunded: the next permit is due 100 ms after the first, not 200 ms
    assertThat(limiter.tryAcquire(1)).isEqualTo(100_000_000L);
  }

  @Test
  void asyncAcquisitionCompletesWhenDueWithoutHoldingAThread() {
    RateLimiter limiter = limiter(10, Duration.ofSeconds(1), 1, Duration.ofSeconds(1));
    assertThat(limiter.acquireAsync(1)).isCompleted();
    CompletableFuture<Void> second = limiter.acquireAsync(1);
    CompletableFuture<Void> third = limiter.acquireAsync(1);
    assertThat(second).isNotDone();
    assertThat(limiter.metrics().waitingCalls()).isEqualTo(2);
    assertThat(limiter.metrics().availablePermits()).isEqualTo(-2);
    clock.advance(Duration.ofMillis(100));
    assertThat(second).isCompleted();
    assertThat(third).isNotDone();
    clock.advance(Duration.ofMillis(100));
    assertThat(third).isCompleted();
    assertThat(limiter.metrics().waitingCalls()).isZero();
    CompletableFuture<Void> tooLate = limiter.acquireAsync(11);
    assertThat(tooLate).isCompletedExceptionally();
  }

  @Test
  void cancellingAnAsyncAcquisitionGivesItsPermitsBack() {
    RateLimiter limiter = limiter(10, Duration.ofSeconds(1), 3, Duration.ofSeconds(1));
    limiter.acquire(3);
    CompletableFuture<Void> pending = limiter.acquireAsync(3);
    assertThat(limiter.metrics().waitingCalls()).isEqualTo(1);
    assertThat(limiter.tryAcquire(1)).isEqualTo(400_000_000L);
    pending.cancel(false);
    assertThat(limiter.metrics().waitingCalls()).isZero();
    assertThat(limiter.tryAcquire(1)).isEqualTo(100_000_000L);
    assertThat(clock.pendingTasks()).isZero();
  }

  @Test
  void callAsyncStartsTheCallOnlyWhenThePermitIsDue() {
    RateLimiter limiter = limiter(10, Duration.ofSeconds(1), 1, Duration.ofSeconds(1));
    AtomicInteger started = new AtomicInteger();
    limiter.callAsync(() -> CompletableFuture.completedFuture(started.incrementAndGet()));
    CompletableFuture<Integer> delayed = limiter.<Integer>callAsync(
        () -> CompletableFuture.completedFuture(started.incrementAndGet())).toCompletableFuture();
    assertThat(started).hasValue(1);
    clock.advance(Duration.ofMillis(100));
    assertThat(started).hasValue(2);
    assertThat(delayed).isCompletedWithValue(2);
    CompletableFuture<Integer> cancelled = limiter.<Integer>callAsync(
        () -> CompletableFuture.completedFuture(started.incrementAndGet())).toCompletableFuture();
    cancelled.cancel(false);
    clock.advance(Duration.ofSeconds(1));
    assertThat(started).hasValue(2);
  }

  @Test
  void raisingTheRateRepaysOwedPermitsFaster() {
    RateLimiter limiter = limiter(1, Duration.ofSeconds(1), 2, Duration.ofSeconds(10));
    limiter.acquire(2);
    limiter.acquireAsync(2); // reserved: the bucket now owes 4 permits, 2 beyond its burst
    assertThat(limiter.tryAcquire(1)).isEqualTo(3 * SECOND);
    limiter.changeConfig(RateLimiterConfig.builder().limitForPeriod(10).burstCapacity(2).build());
    // the 4 permits owed are now repaid at 100 ms each: the next is due in 500 - 200 ms
    assertThat(limiter.tryAcquire(1)).isEqualTo(300_000_000L);
    assertThat(limiter.config().limitForPeriod()).isEqualTo(10);
    assertThat(limiter.metrics().availablePermits()).isEqualTo(-2);
  }

  @Test
  void loweringTheRateKeepsTheDebtAsACount() {
    RateLimiter limiter = limiter(10, Duration.ofSeconds(1), 2, Duration.ZERO);
    assertThat(limiter.tryAcquire(2)).isZero();
    limiter.changeConfig(RateLimiterConfig.builder().limitForPeriod(1).burstCapacity(2).build());
    assertThat(limiter.tryAcquire(1)).isEqualTo(SECOND);
  }

  @Test
  void anIdleBucketStaysFullCappedAtTheNewBurst() {
    RateLimiter limiter = limiter(10, Duration.ofSeconds(1), 10, Duration.ZERO);
    clock.advance(Duration.ofSeconds(5));
    limiter.changeConfig(RateLimiterConfig.builder().limitForPeriod(2).burstCapacity(4).build());
    assertThat(limiter.metrics().availablePermits()).isEqualTo(4);
    assertThat(limiter.tryAcquire(4)).isZero();
    assertThat(limiter.tryAcquire(1)).isEqualTo(500_000_000L);
  }

  @Test
  void rebasesAreInvisible() {
    // 999,999,937 (a prime) per second is kept exact in ticks of 1/999,999,937 ns, so the base moves every
    // 2^58 ticks (0.29 s): every decision still matches the exact model
    RateLimiterConfig config = RateLimiterConfig.builder().limitForPeriod(999_999_937).burstCapacity(5).build();
    RateLimiter limiter = RateLimiter.builder("fine").config(config).clock(clock).build();
    GcraModel model = new GcraModel(config, clock.nanoTime());
    long[] steps = {0, 1, 7, 100_000_000, 288_230_376, 1, 288_230_377, 3, 1_000_000_000, 13, 5_000_000_000L};
    for (long step : steps) {
      clock.advance(step);
      for (int n : new int[] {5, 1, 2, 1}) {
        long now = clock.nanoTime();
        long expected = model.tryAcquire(n, now);
        assertThat(limiter.tryAcquire(n)).as("after %d ns, %d permits", step, n).isEqualTo(expected);
      }
    }
  }

  @Test
  void eventsDescribeDecisions() {
    List<RateLimiterEvent> events = new CopyOnWriteArrayList<>();
    RateLimiter limiter = RateLimiter.builder("api")
        .config(RateLimiterConfig.builder().limitForPeriod(1).build())
        .clock(clock).sleeper(clock).scheduler(clock)
        .listener(RateLimiterEvent.class, events::add).build();
    limiter.tryAcquire(1);
    limiter.tryAcquire(1);
    RateLimiterConfig faster = RateLimiterConfig.builder().limitForPeriod(2).build();
    limiter.changeConfig(faster);
    assertThat(events).containsExactly(
        new RateLimiterEvent.Acquired("api", 1, 0),
        new RateLimiterEvent.Rejected("api", 1, Rejection.RATE_EXCEEDED),
        new RateLimiterEvent.ConfigChanged("api", RateLimiterConfig.builder().limitForPeriod(1).build(), faster));
  }

  @Test
  void thePermitLayerNeedsNoRelease() {
    RateLimiter limiter = limiter(1, Duration.ofSeconds(1), 1, Duration.ZERO);
    var permit = limiter.tryAcquirePermit();
    assertThat(permit).isNotNull();
    permit.onSuccess(1);
    permit.release(); // harmless
    assertThat(limiter.tryAcquirePermit()).isNull();
    assertThatThrownBy(limiter::acquirePermit).isInstanceOf(RateLimitedException.class);
    assertThat(limiter.kind()).isEqualTo(PolicyKind.RATE_LIMITER);
    assertThat(limiter.toString()).isEqualTo("RateLimiter[api, 1 per PT1S, burst 1, available 0]");
  }

  @Test
  void aRegistryCreatesLimitersFromTemplates() {
    dev.bulwark.Registry<RateLimiter, RateLimiterConfig> registry = dev.bulwark.Registry
        .builder(RateLimiterConfig.defaults(), RateLimiter::of).build();
    assertThat(registry.get("search").config()).isEqualTo(RateLimiterConfig.defaults());
  }
}
