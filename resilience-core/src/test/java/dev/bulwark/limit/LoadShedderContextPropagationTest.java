package dev.bulwark.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.ContextPropagator;
import dev.bulwark.testing.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Regression: a queued asynchronous call of the load shedder started on the thread that completed another
 * call and so freed a slot, inside that thread's context: another request's. The test thread plays both
 * requests and the scheduler thread; a ManualClock drives the waits.
 */
class LoadShedderContextPropagationTest {
  static final ThreadLocal<String> USER = new ThreadLocal<>();
  static final ContextPropagator PROPAGATE_USER = ContextPropagator.ofThreadLocal(USER);

  private final ManualClock clock = new ManualClock();

  @AfterEach
  void tearDown() {
    USER.remove();
  }

  private LoadShedder shedder(ContextPropagator... propagators) {
    return LoadShedder.builder("ctx")
        .config(LoadShedderConfig.builder()
            .limiter(ConcurrencyLimiterConfig.builder().algorithm(LimitAlgorithm.fixed(1)).build())
            .bestEffortShare(1).maxQueueSize(10).queueTimeout(Duration.ofMillis(100))
            .contextPropagators(propagators).build())
        .clock(clock).scheduler(clock).build();
  }

  @Test
  void aQueuedAsyncCallStartsInItsOwnCallersContextNotInTheReleasingRequests() {
    LoadShedder shedder = shedder(PROPAGATE_USER);
    CompletableFuture<String> first = new CompletableFuture<>();
    USER.set("bob");
    shedder.<String>callAsync(() -> first);
    USER.set("alice");
    List<String> seen = new CopyOnWriteArrayList<>();
    CompletableFuture<String> queued = shedder.<String>callAsync(() -> {
      seen.add(USER.get());
      return CompletableFuture.completedFuture("ok");
    }).toCompletableFuture().thenApply(value -> value + " for " + USER.get());
    assertThat(shedder.metrics().queued()).isEqualTo(1);

    USER.set("bob");
    clock.advance(Duration.ofMillis(3));
    first.complete("bob's");
    assertThat(seen).containsExactly("alice");
    assertThat(queued).isCompletedWithValue("ok for alice");
    assertThat(USER.get()).as("the releasing thread afterwards").isEqualTo("bob");
    assertThat(shedder.metrics().inflight()).isZero();
  }

  @Test
  void aQueuedAsyncCallThatTimesOutIsRejectedInItsCallersContext() {
    LoadShedder shedder = shedder(PROPAGATE_USER);
    shedder.callAsync(CompletableFuture::new);
    USER.set("carol");
    CompletableFuture<String> queued = shedder.<String>callAsync(() -> CompletableFuture.completedFuture("never"))
        .toCompletableFuture().exceptionally(e -> e.getClass().getSimpleName() + " for " + USER.get());
    USER.set("the scheduler thread's own");

    clock.advance(Duration.ofMillis(100));
    assertThat(queued).isCompletedWithValue("LimitExceededException for carol");
    assertThat(USER.get()).isEqualTo("the scheduler thread's own");
  }

  /** Documented behaviour: with no propagator the snapshot is empty and the granting thread's context stays. */
  @Test
  void withoutPropagatorsAQueuedAsyncCallStartsWithTheReleasingThreadsContext() {
    LoadShedder shedder = shedder();
    CompletableFuture<String> first = new CompletableFuture<>();
    shedder.<String>callAsync(() -> first);
    USER.set("alice");
    List<String> seen = new CopyOnWriteArrayList<>();
    shedder.callAsync(() -> {
      seen.add(USER.get());
      return CompletableFuture.completedFuture("ok");
    });
    USER.set("bob");
    first.complete("bob's");
    assertThat(seen).containsExactly("bob");
  }

  @Test
  void callsAdmittedAtOnceAndSynchronousCallsNeverTouchThePropagators() throws Exception {
    AtomicInteger captures = new AtomicInteger();
    LoadShedder shedder = shedder(() -> {
      captures.incrementAndGet();
      return () -> () -> { };
    });
    assertThat(shedder.callAsync(() -> CompletableFuture.completedFuture("now")).toCompletableFuture())
        .isCompletedWithValue("now");
    assertThat(shedder.call(() -> "sync")).isEqualTo("sync");
    shedder.acquirePermit().onSuccess();
    assertThat(captures).hasValue(0);
  }

  @Test
  void aPropagatorThatFailsToCaptureFailsTheQueuedCallWithoutQueueingIt() {
    LoadShedder shedder = shedder(() -> {
      throw new IllegalStateException("no security context");
    });
    shedder.callAsync(CompletableFuture::new);
    AtomicInteger runs = new AtomicInteger();
    CompletableFuture<Object> queued = shedder.callAsync(() -> {
      runs.incrementAndGet();
      return CompletableFuture.<Object>completedFuture("x");
    }).toCompletableFuture();
    assertThat(queued).failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class)
        .havingCause().isInstanceOf(IllegalStateException.class).withMessage("no security context");
    assertThat(shedder.metrics().queued()).isZero();
    assertThat(clock.pendingTasks()).isZero();
    assertThat(runs).hasValue(0);
  }

  @Test
  void theContextPropagatorsOptionIsValidatedAndPartOfTheConfigValue() {
    assertThatThrownBy(() -> LoadShedderConfig.builder().contextPropagators((ContextPropagator[]) null))
        .isInstanceOf(NullPointerException.class).hasMessage("contextPropagators");
    assertThatThrownBy(() -> LoadShedderConfig.builder().contextPropagators(PROPAGATE_USER, null))
        .isInstanceOf(NullPointerException.class).hasMessage("contextPropagators must not contain null");
    assertThatThrownBy(() -> LoadShedderConfig.builder().contextPropagators(PROPAGATE_USER).contextPropagators())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("contextPropagators was already set to 1 propagators");
    assertThat(LoadShedderConfig.defaults().contextPropagators()).isEmpty();
    LoadShedderConfig withContext = LoadShedderConfig.builder().contextPropagators(PROPAGATE_USER).build();
    assertThat(withContext).isEqualTo(LoadShedderConfig.builder().contextPropagators(PROPAGATE_USER).build())
        .hasSameHashCodeAs(LoadShedderConfig.builder().contextPropagators(PROPAGATE_USER).build())
        .isNotEqualTo(LoadShedderConfig.defaults());
    assertThat(withContext.contextPropagators()).containsExactly(PROPAGATE_USER);
    assertThat(withContext.toString()).contains("contextPropagators=1");
    assertThat(LoadShedderConfig.defaults().toString()).contains("contextPropagators=0");
  }
}
