package dev.bulwark.bulkhead;

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
 * Regression: a queued asynchronous call of the semaphore bulkhead started on the thread that released a
 * slot, inside whatever context that thread carried: another request's. A leak between requests, not only a
 * loss. The test thread plays both requests and the scheduler thread; a ManualClock drives the waits.
 */
class BulkheadContextPropagationTest {
  static final ThreadLocal<String> USER = new ThreadLocal<>();
  static final ContextPropagator PROPAGATE_USER = ContextPropagator.ofThreadLocal(USER);

  private final ManualClock clock = new ManualClock();

  @AfterEach
  void tearDown() {
    USER.remove();
  }

  private Bulkhead bulkhead(ContextPropagator... propagators) {
    return Bulkhead.builder("ctx")
        .config(BulkheadConfig.builder().maxConcurrentCalls(1).maxWait(Duration.ofSeconds(1))
            .contextPropagators(propagators).build())
        .clock(clock).sleeper(clock).scheduler(clock).build();
  }

  @Test
  void aQueuedAsyncCallStartsInItsOwnCallersContextNotInTheReleasingRequests() {
    Bulkhead bulkhead = bulkhead(PROPAGATE_USER);
    CompletableFuture<String> first = new CompletableFuture<>();
    USER.set("bob");
    bulkhead.<String>callAsync(() -> first);
    USER.set("alice");
    List<String> seen = new CopyOnWriteArrayList<>();
    CompletableFuture<String> queued = bulkhead.<String>callAsync(() -> {
      seen.add(USER.get());
      return CompletableFuture.completedFuture("ok");
    }).toCompletableFuture().thenApply(value -> value + " for " + USER.get());
    assertThat(bulkhead.metrics().waitingCalls()).isEqualTo(1);

    USER.set("bob"); // bob's call completes on bob's thread, which releases the slot to alice's call
    first.complete("bob's");
    assertThat(seen).containsExactly("alice");
    assertThat(queued).isCompletedWithValue("ok for alice");
    assertThat(USER.get()).as("the releasing thread afterwards").isEqualTo("bob");
    assertThat(bulkhead.metrics().concurrentCalls()).isZero();
  }

  @Test
  void aQueuedAsyncCallGrantedByALimitIncreaseStartsInItsCallersContext() {
    Bulkhead bulkhead = bulkhead(PROPAGATE_USER);
    bulkhead.callAsync(CompletableFuture::new);
    USER.set("alice");
    List<String> seen = new CopyOnWriteArrayList<>();
    bulkhead.callAsync(() -> {
      seen.add(USER.get());
      return new CompletableFuture<>();
    });
    USER.set("an operator's thread");
    bulkhead.changeMaxConcurrentCalls(2);
    assertThat(seen).containsExactly("alice");
    assertThat(USER.get()).isEqualTo("an operator's thread");
  }

  @Test
  void aQueuedAsyncCallThatTimesOutIsRejectedInItsCallersContext() {
    Bulkhead bulkhead = bulkhead(PROPAGATE_USER);
    bulkhead.callAsync(CompletableFuture::new);
    USER.set("carol");
    CompletableFuture<String> queued = bulkhead.<String>callAsync(() -> CompletableFuture.completedFuture("never"))
        .toCompletableFuture().exceptionally(e -> e.getClass().getSimpleName() + " for " + USER.get());
    USER.set("the scheduler thread's own");

    clock.advance(Duration.ofSeconds(1));
    assertThat(queued).isCompletedWithValue("BulkheadFullException for carol");
    assertThat(USER.get()).isEqualTo("the scheduler thread's own");
  }

  /** Documented behaviour: with no propagator the snapshot is empty and the granting thread's context stays. */
  @Test
  void withoutPropagatorsAQueuedAsyncCallStartsWithTheReleasingThreadsContext() {
    Bulkhead bulkhead = bulkhead();
    CompletableFuture<String> first = new CompletableFuture<>();
    bulkhead.<String>callAsync(() -> first);
    USER.set("alice");
    List<String> seen = new CopyOnWriteArrayList<>();
    bulkhead.callAsync(() -> {
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
    Bulkhead bulkhead = bulkhead(() -> {
      captures.incrementAndGet();
      return () -> () -> { };
    });
    assertThat(bulkhead.callAsync(() -> CompletableFuture.completedFuture("now")).toCompletableFuture())
        .isCompletedWithValue("now");
    assertThat(bulkhead.call(() -> "sync")).isEqualTo("sync");
    assertThat(bulkhead.decorate(() -> "decorated").get()).isEqualTo("decorated");
    bulkhead.acquirePermit().onSuccess(0);
    assertThat(captures).hasValue(0);
  }

  @Test
  void aPropagatorThatFailsToCaptureFailsTheQueuedCallWithoutQueueingIt() {
    Bulkhead bulkhead = bulkhead(() -> {
      throw new IllegalStateException("no security context");
    });
    bulkhead.callAsync(CompletableFuture::new);
    AtomicInteger runs = new AtomicInteger();
    CompletableFuture<Object> queued = bulkhead.callAsync(() -> {
      runs.incrementAndGet();
      return CompletableFuture.<Object>completedFuture("x");
    }).toCompletableFuture();
    assertThat(queued).failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class)
        .havingCause().isInstanceOf(IllegalStateException.class).withMessage("no security context");
    assertThat(bulkhead.metrics().waitingCalls()).isZero();
    assertThat(clock.pendingTasks()).isZero();
    assertThat(runs).hasValue(0);
  }

  @Test
  void theContextPropagatorsOptionIsValidatedAndPartOfTheConfigValue() {
    assertThatThrownBy(() -> BulkheadConfig.builder().contextPropagators((ContextPropagator[]) null))
        .isInstanceOf(NullPointerException.class).hasMessage("contextPropagators");
    assertThatThrownBy(() -> BulkheadConfig.builder().contextPropagators(PROPAGATE_USER, null))
        .isInstanceOf(NullPointerException.class).hasMessage("contextPropagators must not contain null");
    assertThatThrownBy(() -> BulkheadConfig.builder().contextPropagators(PROPAGATE_USER).contextPropagators())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("contextPropagators was already set to 1 propagators");
    assertThat(BulkheadConfig.defaults().contextPropagators()).isEmpty();
    BulkheadConfig withContext = BulkheadConfig.builder().contextPropagators(PROPAGATE_USER).build();
    assertThat(withContext).isEqualTo(BulkheadConfig.builder().contextPropagators(PROPAGATE_USER).build())
        .hasSameHashCodeAs(BulkheadConfig.builder().contextPropagators(PROPAGATE_USER).build())
        .isNotEqualTo(BulkheadConfig.defaults());
    assertThat(withContext.contextPropagators()).containsExactly(PROPAGATE_USER);
    assertThat(withContext.toString()).contains("contextPropagators=1");
    assertThat(BulkheadConfig.defaults().toString()).contains("contextPropagators=0");
  }
}
