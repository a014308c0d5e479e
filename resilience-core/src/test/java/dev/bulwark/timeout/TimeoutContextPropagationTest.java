package dev.bulwark.timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.ContextPropagator;
import dev.bulwark.testing.ManualClock;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Regression: a synchronous timed call ran on the timeout's executor thread (a virtual thread on JDK 21+)
 * without the caller's thread-locals, so a Spring user's MDC vanished from every log line inside a
 * {@code @Timeout} method; and an expired asynchronous call completed on the scheduler thread, so a fallback
 * directly around it ran without the caller's context.
 */
@org.junit.jupiter.api.Timeout(120)
class TimeoutContextPropagationTest {
  static final ThreadLocal<String> USER = new ThreadLocal<>();
  static final ContextPropagator PROPAGATE_USER = ContextPropagator.ofThreadLocal(USER);

  private final ManualClock clock = new ManualClock();
  private ExecutorService executor;

  @AfterEach
  void tearDown() {
    USER.remove();
    if (executor != null) {
      executor.shutdownNow();
    }
  }

  private Timeout timeout(ContextPropagator... propagators) {
    return Timeout.builder("ctx")
        .config(TimeoutConfig.builder().timeout(Duration.ofSeconds(30)).contextPropagators(propagators).build())
        .scheduler(clock)
        .executor(executor)
        .build();
  }

  /** One worker thread, so the test can look at the very thread that ran the call afterwards. */
  private void executor(boolean virtualThreads) {
    if (virtualThreads) {
      Assumptions.assumeTrue(TimeoutThreads.usesVirtualThreads(),
          "virtual threads need Java 21 or later; this run uses Java " + Runtime.version()
              + " (TimeoutThreadsTest runs the virtual-thread probe on JDK 25 when it is installed)");
      executor = TimeoutThreads.virtualThreadPerTaskExecutor();
    } else {
      executor = Executors.newSingleThreadExecutor();
    }
  }

  @ParameterizedTest(name = "virtualThreads={0}")
  @ValueSource(booleans = {false, true})
  void aSyncCallRunsInTheCallersContextAndLeavesItsThreadClean(boolean virtualThreads) throws Exception {
    executor(virtualThreads);
    Timeout timeout = timeout(PROPAGATE_USER);
    USER.set("alice");
    assertThat(timeout.call(() -> "hello " + USER.get() + " from " + Thread.currentThread().getName()))
        .startsWith("hello alice from ")
        .doesNotEndWith(Thread.currentThread().getName());
    assertThat(USER.get()).isEqualTo("alice");
    if (!virtualThreads) {
      assertThat(executor.submit(USER::get).get(10, TimeUnit.SECONDS)).as("the worker afterwards").isNull();
    }
  }

  @Test
  void aSyncCallThatFailsThrowsInTheCallersContextAndTheWorkerIsRestored() throws Exception {
    executor(false);
    executor.submit(() -> USER.set("worker's own")).get(10, TimeUnit.SECONDS);
    Timeout timeout = timeout(PROPAGATE_USER);
    USER.set("bob");
    assertThatThrownBy(() -> timeout.call(() -> {
      throw new IOException("failed for " + USER.get());
    })).isInstanceOf(IOException.class).hasMessage("failed for bob");
    assertThat(executor.submit(USER::get).get(10, TimeUnit.SECONDS)).isEqualTo("worker's own");
  }

  @Test
  void withoutPropagatorsASyncCallSeesNoContextAndNothingIsCaptured() throws Exception {
    executor(false);
    USER.set("carol");
    assertThat(timeout().call(USER::get)).isNull();
  }

  @Test
  void aPropagatorThatFailsToCaptureFailsTheSyncCallWithoutRunningIt() {
    executor(false);
    AtomicInteger runs = new AtomicInteger();
    Timeout timeout = timeout(() -> {
      throw new IllegalStateException("no security context");
    });
    assertThatThrownBy(() -> timeout.call(runs::incrementAndGet))
        .isInstanceOf(IllegalStateException.class).hasMessage("no security context");
    assertThat(runs).hasValue(0);
    assertThat(clock.pendingTasks()).isZero();
  }

  @Test
  void anExpiredAsyncCallCompletesInTheCallersContextOnTheSchedulerThread() {
    executor(false);
    Timeout timeout = timeout(PROPAGATE_USER);
    CompletableFuture<String> inner = new CompletableFuture<>();
    USER.set("dave");
    CompletableFuture<String> result = timeout.<String>callAsync(() -> inner).toCompletableFuture()
        .exceptionally(e -> "fallback for " + USER.get());
    USER.set("the scheduler thread's own"); // this thread plays the scheduler from here on

    clock.advance(Duration.ofSeconds(30));
    assertThat(result).isCompletedWithValue("fallback for dave");
    assertThat(inner).isCancelled();
    assertThat(USER.get()).as("the scheduler thread afterwards").isEqualTo("the scheduler thread's own");
  }

  @Test
  void anAsyncCallCompletedInTimeIsLeftAsItIs() throws Exception {
    executor(false);
    AtomicInteger installs = new AtomicInteger();
    Timeout timeout = timeout(() -> () -> {
      installs.incrementAndGet();
      return () -> { };
    });
    CompletableFuture<String> inner = new CompletableFuture<>();
    CompletableFuture<String> result = timeout.<String>callAsync(() -> inner).toCompletableFuture();
    inner.complete("ok");
    assertThat(result.get(0, TimeUnit.SECONDS)).isEqualTo("ok");
    assertThat(installs).hasValue(0);
  }

  @Test
  void aPropagatorThatFailsToCaptureFailsTheAsyncCallWithoutStartingIt() {
    executor(false);
    AtomicInteger runs = new AtomicInteger();
    Timeout timeout = timeout(() -> {
      throw new IllegalStateException("no security context");
    });
    CompletableFuture<Object> result = timeout.callAsync(() -> {
      runs.incrementAndGet();
      return new CompletableFuture<>();
    }).toCompletableFuture();
    assertThat(result).failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class)
        .havingCause().isInstanceOf(IllegalStateException.class).withMessage("no security context");
    assertThat(runs).hasValue(0);
  }

  @Test
  void theContextPropagatorsOptionIsValidatedAndPartOfTheConfigValue() {
    assertThatThrownBy(() -> TimeoutConfig.builder().contextPropagators((ContextPropagator[]) null))
        .isInstanceOf(NullPointerException.class).hasMessage("contextPropagators");
    assertThatThrownBy(() -> TimeoutConfig.builder().contextPropagators(PROPAGATE_USER, null))
        .isInstanceOf(NullPointerException.class).hasMessage("contextPropagators must not contain null");
    assertThatThrownBy(() -> TimeoutConfig.builder().contextPropagators(PROPAGATE_USER).contextPropagators())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("contextPropagators was already set to 1 propagators");
    assertThat(TimeoutConfig.defaults().contextPropagators()).isEmpty();
    TimeoutConfig withContext = TimeoutConfig.builder().contextPropagators(PROPAGATE_USER).build();
    assertThat(withContext).isEqualTo(TimeoutConfig.builder().contextPropagators(PROPAGATE_USER).build())
        .hasSameHashCodeAs(TimeoutConfig.builder().contextPropagators(PROPAGATE_USER).build())
        .isNotEqualTo(TimeoutConfig.defaults());
    assertThat(withContext.contextPropagators()).containsExactly(PROPAGATE_USER);
    assertThat(withContext.toString()).contains("contextPropagators=1");
    assertThat(TimeoutConfig.defaults().toString()).contains("contextPropagators=0");
  }
}
