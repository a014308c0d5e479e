package dev.bulwark.bulkhead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.bulwark.ContextPropagator;
import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The caller's context follows its call into the worker, into the stage's continuations (where a fallback
 * runs) and into a resubmission through the same bulkhead (how a retry runs), and the worker is clean
 * afterwards.
 */
class ContextPropagationTest {
  static final ThreadLocal<String> USER = new ThreadLocal<>();
  /** Stands in for a logging MDC: a map per thread, copied on capture. */
  static final ThreadLocal<Map<String, String>> MDC = new ThreadLocal<>();

  static final ContextPropagator MDC_PROPAGATOR = ContextPropagator.of(
      () -> MDC.get() == null ? null : new HashMap<>(MDC.get()),
      (Map<String, String> map) -> {
        if (map == null) {
          MDC.remove();
        } else {
          MDC.set(map);
        }
      });

  private ThreadPoolBulkhead bulkhead;

  private ThreadPoolBulkhead bulkhead(boolean virtualThreads) {
    ThreadPoolBulkheadConfig.Builder config = ThreadPoolBulkheadConfig.builder()
        .maxThreadPoolSize(2).queueCapacity(10)
        .contextPropagators(ContextPropagator.ofThreadLocal(USER), MDC_PROPAGATOR);
    if (virtualThreads) {
      org.junit.jupiter.api.Assumptions.assumeTrue(ThreadPoolBulkheadConfig.virtualThreadsSupported(),
          "virtual threads need Java 21 or later; this run uses Java " + Runtime.version()
              + " (run with -Djvm=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java to cover them)");
      config.virtualThreads(true);
    }
    bulkhead = ThreadPoolBulkhead.of("ctx", config.build());
    return bulkhead;
  }

  @AfterEach
  void tearDown() {
    USER.remove();
    MDC.remove();
    if (bulkhead != null) {
      bulkhead.close();
    }
  }

  private static void asAlice() {
    USER.set("alice");
    MDC.set(new HashMap<>(Map.of("requestId", "r-42")));
  }

  private static String context() {
    Map<String, String> mdc = MDC.get();
    return USER.get() + "/" + (mdc == null ? null : mdc.get("requestId"));
  }

  @ParameterizedTest(name = "virtualThreads={0}")
  @ValueSource(booleans = {false, true})
  void theWorkerSeesTheCallersContextAndIsCleanAfterwards(boolean virtualThreads) throws Exception {
    bulkhead(virtualThreads);
    asAlice();
    assertThat(bulkhead.submit(ContextPropagationTest::context).get(10, TimeUnit.SECONDS))
        .isEqualTo("alice/r-42");
    assertThat(bulkhead.submit(() -> {
      throw new IOException("fails");
    })).failsWithin(Duration.ofSeconds(10));
    // a caller without context now: the workers must not remember alice
    Thread stranger = new Thread(() -> {
      for (int i = 0; i < 10; i++) {
        try {
          assertThat(bulkhead.submit(ContextPropagationTest::context).get(10, TimeUnit.SECONDS))
              .isEqualTo("null/null");
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      }
    });
    stranger.start();
    stranger.join();
  }

  @ParameterizedTest(name = "virtualThreads={0}")
  @ValueSource(booleans = {false, true})
  void aFallbackAppliedWithExceptionallyOrHandleSeesTheContext(boolean virtualThreads) throws Exception {
    bulkhead(virtualThreads);
    asAlice();
    CountDownLatch go = new CountDownLatch(1);
    List<String> seen = new CopyOnWriteArrayList<>();
    CompletableFuture<String> call = bulkhead.submit(() -> {
      go.await();
      throw new IOException("dependency down");
    });
    // registered before completion: runs on the worker when the call fails
    CompletableFuture<String> viaExceptionally = call.exceptionally(e -> {
      seen.add("exceptionally on " + Thread.currentThread().getName());
      return "fallback for " + context();
    });
    CompletableFuture<String> viaHandle = call.handle((value, e) -> "handled for " + context());
    USER.remove(); // the caller's own thread moves on to other work
    MDC.remove();
    go.countDown();
    assertThat(viaExceptionally.get(10, TimeUnit.SECONDS)).isEqualTo("fallback for alice/r-42");
    assertThat(viaHandle.get(10, TimeUnit.SECONDS)).isEqualTo("handled for alice/r-42");
    assertThat(seen).singleElement().asString().startsWith("exceptionally on bulwark-ctx-");
  }

  @ParameterizedTest(name = "virtualThreads={0}")
  @ValueSource(booleans = {false, true})
  void aRetryThatResubmitsThroughTheBulkheadSeesTheSameContext(boolean virtualThreads) throws Exception {
    bulkhead(virtualThreads);
    asAlice();
    CountDownLatch go = new CountDownLatch(1);
    List<String> attempts = new CopyOnWriteArrayList<>();
    CompletableFuture<String> first = bulkhead.submit(() -> {
      go.await();
      attempts.add("1:" + context());
      throw new IOException("transient");
    });
    CompletableFuture<String> retried = first.exceptionallyCompose(e -> bulkhead.submit(() -> {
      attempts.add("2:" + context());
      return "ok for " + context();
    }));
    USER.remove();
    MDC.remove();
    go.countDown();
    assertThat(retried.get(10, TimeUnit.SECONDS)).isEqualTo("ok for alice/r-42");
    assertThat(attempts).containsExactly("1:alice/r-42", "2:alice/r-42");
  }

  @ParameterizedTest(name = "virtualThreads={0}")
  @ValueSource(booleans = {false, true})
  void continuationsOfAnAsyncCallCompletedOnAForeignThreadSeeTheContext(boolean virtualThreads)
      throws Exception {
    bulkhead(virtualThreads);
    asAlice();
    CompletableFuture<String> inner = new CompletableFuture<>();
    CompletableFuture<String> outer = bulkhead.callAsync(() -> inner);
    CompletableFuture<String> fallback = outer.exceptionally(e -> "fallback for " + context());
    USER.remove();
    MDC.remove();
    await().atMost(Duration.ofSeconds(10)).until(() -> inner.getNumberOfDependents() > 0);
    Thread foreign = new Thread(() -> inner.completeExceptionally(new IOException("late failure")));
    foreign.start();
    foreign.join();
    assertThat(fallback.get(10, TimeUnit.SECONDS)).isEqualTo("fallback for alice/r-42");
  }

  @ParameterizedTest(name = "virtualThreads={0}")
  @ValueSource(booleans = {false, true})
  void asyncContinuationsOnTheDefaultExecutorSeeTheContext(boolean virtualThreads) throws Exception {
    bulkhead(virtualThreads);
    asAlice();
    CompletableFuture<String> call = bulkhead.submit(() -> "value");
    CompletableFuture<String> async = call.thenApplyAsync(v -> v + " for " + context())
        .thenApplyAsync(v -> v + " and " + context());
    assertThat(async.get(10, TimeUnit.SECONDS)).isEqualTo("value for alice/r-42 and alice/r-42");
  }

  @Test
  void aRejectedCallsFallbackRunsOnTheCallerWithItsContext() throws Exception {
    bulkhead = ThreadPoolBulkhead.of("ctx", ThreadPoolBulkheadConfig.builder().maxThreadPoolSize(1)
        .queueCapacity(0).contextPropagators(ContextPropagator.ofThreadLocal(USER)).build());
    CountDownLatch hold = new CountDownLatch(1);
    try {
      bulkhead.submit(() -> {
        hold.await();
        return null;
      });
      await().atMost(Duration.ofSeconds(10)).until(() -> bulkhead.metrics().activeThreads() == 1);
      USER.set("bob");
      assertThat(bulkhead.submit(() -> "x").exceptionally(e -> "rejected for " + USER.get()).join())
          .isEqualTo("rejected for bob");
    } finally {
      hold.countDown();
    }
  }

  @Test
  void propagatorsInstallInOrderAndCloseInReverse() throws Exception {
    List<String> log = new CopyOnWriteArrayList<>();
    ContextPropagator first = () -> () -> {
      log.add("install first");
      return () -> log.add("close first");
    };
    ContextPropagator second = () -> () -> {
      log.add("install second");
      return () -> log.add("close second");
    };
    bulkhead = ThreadPoolBulkhead.of("ctx", ThreadPoolBulkheadConfig.builder().maxThreadPoolSize(1)
        .contextPropagators(first, second).build());
    bulkhead.submit(() -> log.add("call")).get(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> log.size() == 5);
    assertThat(log).containsExactly("install first", "install second", "call", "close second", "close first");
  }

  @Test
  void aPropagatorThatFailsToCaptureFailsTheSubmission() {
    bulkhead = ThreadPoolBulkhead.of("ctx", ThreadPoolBulkheadConfig.builder().maxThreadPoolSize(1)
        .contextPropagators(() -> {
          throw new IllegalStateException("no security context");
        }).build());
    assertThatThrownBy(() -> bulkhead.submit(() -> "x").join()).cause()
        .isInstanceOf(IllegalStateException.class).hasMessage("no security context");
  }
}
