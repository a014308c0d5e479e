package dev.bulwark.micrometer;

import dev.bulwark.Policy;
import dev.bulwark.testing.ManualClock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * Drives a policy through its synchronous or its asynchronous path, so every scenario runs both ways. In
 * virtual time: a call that "takes" a while advances the manual clock while it runs.
 */
enum Calls {
  SYNC {
    @Override
    Object call(Policy policy, ManualClock clock, Duration takes, Object result, RuntimeException failure) {
      try {
        return policy.call(() -> {
          clock.advance(takes);
          if (failure != null) {
            throw failure;
          }
          return result;
        });
      } catch (Exception e) {
        return e;
      }
    }
  },
  ASYNC {
    @Override
    Object call(Policy policy, ManualClock clock, Duration takes, Object result, RuntimeException failure) {
      CompletableFuture<Object> done = policy.callAsync(() -> {
        clock.advance(takes);
        return failure != null
            ? CompletableFuture.failedFuture(failure)
            : CompletableFuture.completedFuture(result);
      }).toCompletableFuture();
      try {
        return done.get(10, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        Throwable cause = e.getCause();
        return cause instanceof CompletionException && cause.getCause() != null ? cause.getCause() : cause;
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
  };

  /** Runs one call; returns its result, or the exception it ended with. */
  abstract Object call(Policy policy, ManualClock clock, Duration takes, Object result, RuntimeException failure);

  Object succeed(Policy policy, ManualClock clock) {
    return call(policy, clock, Duration.ZERO, "ok", null);
  }

  Object succeed(Policy policy, ManualClock clock, Duration takes) {
    return call(policy, clock, takes, "ok", null);
  }

  Object fail(Policy policy, ManualClock clock, RuntimeException failure) {
    return call(policy, clock, Duration.ZERO, null, failure);
  }

  Object fail(Policy policy, ManualClock clock, Duration takes, RuntimeException failure) {
    return call(policy, clock, takes, null, failure);
  }
}
