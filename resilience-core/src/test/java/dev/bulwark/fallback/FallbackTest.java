package dev.bulwark.fallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.CallNotPermittedException;
import dev.bulwark.OutcomeClassifier;
import dev.bulwark.Pipeline;
import dev.bulwark.PolicyKind;
import dev.bulwark.retry.Backoff;
import dev.bulwark.retry.Retry;
import dev.bulwark.retry.RetryConfig;
import dev.bulwark.testing.ManualClock;
import dev.bulwark.timeout.TimeoutExceededException;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every scenario through the sync and the async path. */
class FallbackTest {
  private static final List<String> STATIC = List.of("top-seller-1", "top-seller-2");

  enum Mode { SYNC, ASYNC }

  /** Runs {@code body} through {@code fallback}; returns the value or throws the (unwrapped) failure. */
  private static <T> Object run(Mode mode, dev.bulwark.Policy policy, Callable<T> body) throws Throwable {
    if (mode == Mode.SYNC) {
      return policy.call(body);
    }
    CompletableFuture<T> future = policy.<T>callAsync(() -> {
      try {
        return CompletableFuture.completedFuture(body.call());
      } catch (Throwable t) {
        return CompletableFuture.failedFuture(t);
      }
    }).toCompletableFuture();
    try {
      return future.join();
    } catch (Throwable t) {
      throw OutcomeClassifier.unwrap(t);
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aFailingOptionalServiceYieldsTheDegradedResult(Mode mode) throws Throwable {
    List<FallbackEvent> events = new CopyOnWriteArrayList<>();
    Fallback<List<String>> fallback = Fallback.<List<String>>builder("recommendations", failure -> STATIC)
        .listener(FallbackEvent.Applied.class, events::add).build();
    IOException down = new IOException("recommendations down");
    Object result = run(mode, fallback, () -> {
      throw down;
    });
    assertThat(result).isEqualTo(STATIC);
    assertThat(events).containsExactly(new FallbackEvent.Applied("recommendations", down));
    assertThat(fallback.metrics().fallbacksApplied()).isEqualTo(1);
    assertThat(run(mode, fallback, () -> List.of("personal"))).isEqualTo(List.of("personal"));
    assertThat(fallback.metrics().successfulCalls()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void theFunctionSeesTheUnwrappedFailure(Mode mode) throws Throwable {
    Fallback<String> fallback = Fallback.of("f", failure -> failure.getClass().getSimpleName());
    assertThat(run(mode, fallback, () -> {
      throw new java.util.concurrent.CompletionException(new IOException("x"));
    })).isEqualTo("IOException");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void rejectionsAndTimeoutsAreHandledByDefault(Mode mode) throws Throwable {
    Fallback<String> fallback = Fallback.of("f", failure -> "degraded");
    assertThat(run(mode, fallback, () -> {
      throw new CallNotPermittedException(PolicyKind.CIRCUIT_BREAKER, "cb", 1000);
    })).isEqualTo("degraded");
    assertThat(run(mode, fallback, () -> {
      throw new TimeoutExceededException("t", 1, 1, false);
    })).isEqualTo("degraded");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void onlyTheNamedFailuresAreHandledPlusRejections(Mode mode) throws Throwable {
    Fallback<String> fallback = Fallback.<String>builder("f", failure -> "degraded")
        .handle(IOException.class).build();
    assertThat(run(mode, fallback, () -> {
      throw new IOException("x");
    })).isEqualTo("degraded");
    assertThat(run(mode, fallback, () -> {
      throw new CallNotPermittedException(PolicyKind.BULKHEAD, "bh", -1);
    })).isEqualTo("degraded");
    IllegalArgumentException bug = new IllegalArgumentException("bad request");
    assertThatThrownBy(() -> run(mode, fallback, () -> {
      throw bug;
    })).isSameAs(bug);
    assertThat(fallback.metrics().unhandledFailures()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void rejectionsCanBeExcluded(Mode mode) {
    Fallback<String> fallback = Fallback.<String>builder("f", failure -> "degraded").handleRejections(false).build();
    CallNotPermittedException rejected = new CallNotPermittedException(PolicyKind.RATE_LIMITER, "rl", 5);
    assertThatThrownBy(() -> run(mode, fallback, () -> {
      throw rejected;
    })).isSameAs(rejected);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aPredicateSelectsTheHandledFailures(Mode mode) throws Throwable {
    Fallback<String> fallback = Fallback.<String>builder("f", failure -> "degraded")
        .handleIf(failure -> failure.getMessage().startsWith("503")).build();
    assertThat(run(mode, fallback, () -> {
      throw new IllegalStateException("503 unavailable");
    })).isEqualTo("degraded");
    assertThatThrownBy(() -> run(mode, fallback, () -> {
      throw new IllegalStateException("400 bad request");
    })).hasMessage("400 bad request");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void interruptionsCancellationsAndErrorsAreNotHandled(Mode mode) {
    Fallback<String> fallback = Fallback.of("f", failure -> "degraded");
    assertThatThrownBy(() -> run(mode, fallback, () -> {
      throw new InterruptedException();
    })).isInstanceOf(InterruptedException.class);
    assertThatThrownBy(() -> run(mode, fallback, () -> {
      throw new CancellationException();
    })).isInstanceOf(CancellationException.class);
    assertThatThrownBy(() -> run(mode, fallback, () -> {
      throw new OutOfMemoryError("simulated");
    })).isInstanceOf(OutOfMemoryError.class);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aFailingFallbackThrowsItsOwnFailureWithTheOriginalSuppressed(Mode mode) {
    IOException cacheMiss = new IOException("no cached copy");
    List<FallbackEvent> events = new CopyOnWriteArrayList<>();
    Fallback<String> fallback = Fallback.<String>builder("f", failure -> {
      throw cacheMiss;
    }).listener(FallbackEvent.FallbackFailed.class, events::add).build();
    IllegalStateException original = new IllegalStateException("down");
    assertThatThrownBy(() -> run(mode, fallback, () -> {
      throw original;
    })).isSameAs(cacheMiss);
    assertThat(cacheMiss.getSuppressed()).containsExactly(original);
    assertThat(fallback.metrics().fallbacksFailed()).isEqualTo(1);
    assertThat(events).containsExactly(new FallbackEvent.FallbackFailed("f", original, cacheMiss));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void inAPipelineTheFallbackSeesTheFinalFailureAfterEveryRetry(Mode mode) throws Throwable {
    ManualClock clock = new ManualClock();
    Retry retry = Retry.builder("r").clock(clock).sleeper(clock).scheduler((task, delay) -> {
      task.run();
      return () -> false;
    }).config(RetryConfig.builder().maxAttempts(3).backoff(Backoff.none()).build()).build();
    Fallback<String> fallback = Fallback.of("f", failure -> "static");
    Pipeline pipeline = Pipeline.of(retry, fallback);
    assertThat(pipeline.name()).isEqualTo("pipeline[fallback:f > retry:r]");
    AtomicInteger calls = new AtomicInteger();
    assertThat(run(mode, pipeline, () -> {
      calls.incrementAndGet();
      throw new IOException("down");
    })).isEqualTo("static");
    assertThat(calls).hasValue(3);
  }

  @org.junit.jupiter.api.Test
  void asyncSupplierThatThrowsIsHandled() {
    Fallback<String> fallback = Fallback.of("f", failure -> "degraded");
    CompletableFuture<String> future = fallback.<String>callAsync(() -> {
      throw new IllegalStateException("could not start");
    }).toCompletableFuture();
    assertThat(future).isCompletedWithValue("degraded");
  }

  @org.junit.jupiter.api.Test
  void cancellingTheReturnedStageCancelsTheCall() {
    Fallback<String> fallback = Fallback.of("f", failure -> "degraded");
    CompletableFuture<String> inner = new CompletableFuture<>();
    CompletableFuture<String> outer = fallback.<String>callAsync(() -> inner).toCompletableFuture();
    outer.cancel(true);
    assertThat(inner).isCancelled();
    assertThat(outer).isCancelled();
  }

  @org.junit.jupiter.api.Test
  void badInput() {
    assertThatThrownBy(() -> Fallback.of("f", null)).isInstanceOf(NullPointerException.class).hasMessage("function");
    assertThatThrownBy(() -> Fallback.of("", f -> null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank, was \"\"");
    assertThatThrownBy(() -> Fallback.builder("f", f -> null).handle())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("handle must name at least one exception type, was []");
    assertThat(Fallback.of("f", f -> null).kind()).isEqualTo(PolicyKind.FALLBACK);
  }
}
