package dev.bulwark.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.ContextPropagator;
import dev.bulwark.testing.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Regression: an asynchronous call that had to wait for its permit started on the scheduler thread, without
 * the caller's thread-locals (and completed there, so a fallback on it ran without them too).
 *
 * <p>The scheduler is a {@link ManualClock} advanced by the test thread, which plays the scheduler thread and
 * carries a context of its own, so a leak into it or from it would show.
 */
class RateLimiterContextPropagationTest {
  static final ThreadLocal<String> USER = new ThreadLocal<>();
  static final ContextPropagator PROPAGATE_USER = ContextPropagator.ofThreadLocal(USER);
  private static final String SCHEDULER = "the scheduler thread's own";

  private final ManualClock clock = new ManualClock();

  @AfterEach
  void tearDown() {
    USER.remove();
  }

  /** One permit per second, a burst of one, waits up to 2 s; the first permit is already taken. */
  private RateLimiter exhausted(ContextPropagator... propagators) {
    RateLimiter limiter = RateLimiter.builder("ctx")
        .config(RateLimiterConfig.builder().limitForPeriod(1).period(Duration.ofSeconds(1))
            .maxWait(Duration.ofSeconds(2)).contextPropagators(propagators).build())
        .clock(clock).sleeper(clock).scheduler(clock).build();
    assertThat(limiter.tryAcquire(1)).isZero();
    return limiter;
  }

  @Test
  void anAsyncCallThatWaitedForItsPermitStartsAndCompletesInTheCallersContext() {
    RateLimiter limiter = exhausted(PROPAGATE_USER);
    List<String> seen = new CopyOnWriteArrayList<>();
    USER.set("alice");
    CompletableFuture<String> result = limiter.<String>callAsync(() -> {
      seen.add(USER.get());
      return CompletableFuture.completedFuture("ok");
    }).toCompletableFuture().thenApply(value -> value + " for " + USER.get());
    USER.set(SCHEDULER);
    assertThat(seen).isEmpty();

    clock.advance(Duration.ofSeconds(1));
    assertThat(seen).containsExactly("alice");
    assertThat(result).isCompletedWithValue("ok for alice");
    assertThat(USER.get()).as("the scheduler thread afterwards").isEqualTo(SCHEDULER);
  }

  @Test
  void aDelayedCallThatFailsLaterOnAnotherThreadCompletesInTheCallersContext() {
    RateLimiter limiter = exhausted(PROPAGATE_USER);
    CompletableFuture<String> inner = new CompletableFuture<>();
    USER.set("bob");
    CompletableFuture<String> result = limiter.<String>callAsync(() -> inner).toCompletableFuture()
        .exceptionally(e -> "fallback for " + USER.get());
    USER.set(SCHEDULER);
    clock.advance(Duration.ofSeconds(1));
    assertThat(result).isNotDone();

    USER.set("an I/O thread's own");
    inner.completeExceptionally(new IOException("late"));
    assertThat(result).isCompletedWithValue("fallback for bob");
    assertThat(USER.get()).isEqualTo("an I/O thread's own");
  }

  @Test
  void withoutPropagatorsADelayedCallStartsWithTheSchedulerThreadsContext() {
    RateLimiter limiter = exhausted();
    List<String> seen = new CopyOnWriteArrayList<>();
    USER.set("carol");
    limiter.callAsync(() -> {
      seen.add(USER.get());
      return CompletableFuture.completedFuture("ok");
    });
    USER.set(SCHEDULER);
    clock.advance(Duration.ofSeconds(1));
    assertThat(seen).containsExactly(SCHEDULER);
  }

  @Test
  void callsThatNeedNoWaitOrStayOnTheCallersThreadNeverTouchThePropagators() throws Exception {
    AtomicInteger captures = new AtomicInteger();
    RateLimiter limiter = RateLimiter.builder("ctx")
        .config(RateLimiterConfig.builder().limitForPeriod(1).period(Duration.ofSeconds(1))
            .maxWait(Duration.ofSeconds(2)).contextPropagators(() -> {
              captures.incrementAndGet();
              return () -> () -> { };
            }).build())
        .clock(clock).sleeper(clock).scheduler(clock).build();
    assertThat(limiter.callAsync(() -> CompletableFuture.completedFuture("now")).toCompletableFuture())
        .isCompletedWithValue("now");
    assertThat(limiter.call(() -> "after a wait on this thread")).isEqualTo("after a wait on this thread");
    limiter.decorate(() -> "decorated").get();
    assertThat(captures).hasValue(0);
  }

  @Test
  void aPropagatorThatFailsToCaptureFailsTheDelayedCallAndGivesThePermitBack() {
    RateLimiter limiter = exhausted(() -> {
      throw new IllegalStateException("no security context");
    });
    AtomicInteger runs = new AtomicInteger();
    CompletableFuture<Object> result = limiter.callAsync(() -> {
      runs.incrementAndGet();
      return CompletableFuture.<Object>completedFuture("x");
    }).toCompletableFuture();
    assertThat(result).failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class)
        .havingCause().isInstanceOf(IllegalStateException.class).withMessage("no security context");
    assertThat(clock.pendingTasks()).isZero();
    assertThat(limiter.metrics().waitingCalls()).isZero();
    clock.advance(Duration.ofSeconds(1));
    assertThat(limiter.tryAcquire(1)).as("the permit was not kept for the failed call").isZero();
    assertThat(runs).hasValue(0);
  }

  @Test
  void theContextPropagatorsOptionIsValidatedAndPartOfTheConfigValue() {
    assertThatThrownBy(() -> RateLimiterConfig.builder().contextPropagators((ContextPropagator[]) null))
        .isInstanceOf(NullPointerException.class).hasMessage("contextPropagators");
    assertThatThrownBy(() -> RateLimiterConfig.builder().contextPropagators(PROPAGATE_USER, null))
        .isInstanceOf(NullPointerException.class).hasMessage("contextPropagators must not contain null");
    assertThatThrownBy(() -> RateLimiterConfig.builder().contextPropagators(PROPAGATE_USER).contextPropagators())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("contextPropagators was already set to 1 propagators");
    assertThat(RateLimiterConfig.defaults().contextPropagators()).isEmpty();
    RateLimiterConfig withContext = RateLimiterConfig.builder().contextPropagators(PROPAGATE_USER).build();
    assertThat(withContext).isEqualTo(RateLimiterConfig.builder().contextPropagators(PROPAGATE_USER).build())
        .hasSameHashCodeAs(RateLimiterConfig.builder().contextPropagators(PROPAGATE_USER).build())
        .isNotEqualTo(RateLimiterConfig.defaults());
    assertThat(withContext.contextPropagators()).containsExactly(PROPAGATE_USER);
    assertThat(withContext.toString()).contains("contextPropagators=1");
    assertThat(RateLimiterConfig.defaults().toString()).contains("contextPropagators=0");
  }
}
