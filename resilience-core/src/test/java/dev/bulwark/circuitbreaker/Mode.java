package dev.bulwark.circuitbreaker;

import dev.bulwark.Permit;
import dev.bulwark.internal.Exceptions;
import dev.bulwark.testing.ManualClock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Runs each scenario through the synchronous and the asynchronous path. A call "takes" its duration by
 * advancing the {@link ManualClock} while it runs, so slow calls are measured by the breaker itself.
 */
enum Mode {
  /** {@code breaker.call(...)}; calls kept in flight use the permit layer it is built on. */
  SYNC,
  /** {@code breaker.callAsync(...)} with a future the test completes. */
  ASYNC;

  static final Duration FAST = Duration.ofMillis(1);

  /**
   * Makes one call that takes {@code duration} and returns {@code result}, or throws {@code failure} if it
   * is not null.
   *
   * @return the rejection, or null if the call was permitted
   */
  CircuitBreakerOpenException call(CircuitBreaker breaker, ManualClock clock, Duration duration, Object result,
      Throwable failure) {
    if (this == SYNC) {
      try {
        breaker.call(() -> {
          clock.advance(duration);
          if (failure != null) {
            throw Exceptions.sneakyThrow(failure);
          }
          return result;
        });
        return null;
      } catch (CircuitBreakerOpenException rejected) {
        return rejected;
      } catch (Throwable thrown) {
        if (thrown != failure) {
          throw new AssertionError("unexpected", thrown);
        }
        return null;
      }
    }
    CompletableFuture<Object> inner = new CompletableFuture<>();
    boolean[] started = {false};
    CompletableFuture<Object> outer = breaker.callAsync(() -> {
      started[0] = true;
      return inner;
    }).toCompletableFuture();
    if (!started[0]) {
      return rejection(outer);
    }
    clock.advance(duration);
    if (failure != null) {
      inner.completeExceptionally(failure);
    } else {
      inner.complete(result);
    }
    if (!outer.isDone()) {
      throw new AssertionError("the returned future did not complete with the call");
    }
    if (failure != null) {
      Throwable seen = outer.handle((v, t) -> t).join();
      if (seen != failure) {
        throw new AssertionError("the failure did not pass through unchanged: " + seen);
      }
    } else if (outer.join() != result) {
      throw new AssertionError("the result did not pass through unchanged");
    }
    return null;
  }

  CircuitBreakerOpenException succeed(CircuitBreaker breaker, ManualClock clock) {
    return call(breaker, clock, FAST, "ok", null);
  }

  CircuitBreakerOpenException fail(CircuitBreaker breaker, ManualClock clock) {
    return call(breaker, clock, FAST, null, new IllegalStateException("boom"));
  }

  CircuitBreakerOpenException slow(CircuitBreaker breaker, ManualClock clock, Duration duration) {
    return call(breaker, clock, duration, "ok", null);
  }

  /** Runs {@code count} successes (true) or failures (false), requiring each to be permitted. */
  void calls(CircuitBreaker breaker, ManualClock clock, int count, boolean success) {
    for (int i = 0; i < count; i++) {
      CircuitBreakerOpenException rejected = success ? succeed(breaker, clock) : fail(breaker, clock);
      if (rejected != null) {
        throw new AssertionError("call " + i + " was rejected", rejected);
      }
    }
  }

  private static CircuitBreakerOpenException rejection(CompletableFuture<?> outer) {
    try {
      outer.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof CircuitBreakerOpenException) {
        return (CircuitBreakerOpenException) e.getCause();
      }
      throw new AssertionError("expected a rejection", e.getCause());
    }
    throw new AssertionError("expected a rejection, the call was not started but succeeded");
  }

  /**
   * Starts a call and keeps it in flight.
   *
   * @throws CircuitBreakerOpenException if it is rejected
   */
  InFlight start(CircuitBreaker breaker, ManualClock clock) {
    if (this == SYNC) {
      Permit permit = breaker.acquirePermit();
      long start = clock.nanoTime();
      return new InFlight() {
        @Override
        public void succeed() {
          permit.onResult(clock.nanoTime() - start, "ok");
        }

        @Override
        public void fail(Throwable failure) {
          permit.onFailure(clock.nanoTime() - start, failure);
        }

        @Override
        public void cancel() {
          permit.release();
        }
      };
    }
    CompletableFuture<Object> inner = new CompletableFuture<>();
    CompletableFuture<Object> outer = breaker.callAsync(() -> inner).toCompletableFuture();
    if (outer.isCompletedExceptionally()) {
      throw rejection(outer);
    }
    return new InFlight() {
      @Override
      public void succeed() {
        inner.complete("ok");
      }

      @Override
      public void fail(Throwable failure) {
        inner.completeExceptionally(failure);
      }

      @Override
      public void cancel() {
        outer.cancel(true);
      }
    };
  }

  /** A call in flight. */
  interface InFlight {
    void succeed();

    void fail(Throwable failure);

    void cancel();

    default void fail() {
      fail(new IllegalStateException("boom"));
    }
  }
}
