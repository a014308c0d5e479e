package dev.bulwark.internal;

import dev.bulwark.Clock;
import dev.bulwark.OutcomeClassifier;
import dev.bulwark.Permit;
import dev.bulwark.PermitPolicy;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The decorator layer built on the permit layer: how every {@link PermitPolicy} runs sync and async calls.
 *
 * <p>The synchronous path allocates nothing of its own: acquire, two clock readings, the call, one report.
 * The asynchronous path allocates one object per call, which is the returned future and the completion
 * callback at once, and guarantees the permit is completed exactly once whether the call finishes, fails or
 * is cancelled first.
 */
public final class PermitCalls {
  private PermitCalls() {}

  /**
   * Runs a synchronous call under a permit of {@code policy}.
   *
   * @param policy the policy
   * @param clock the clock that measures the call
   * @param callable the call
   * @param <T> the result type
   * @return the call's result
   * @throws Exception what the call threw, or the policy's rejection
   */
  public static <T> T call(PermitPolicy policy, Clock clock, Callable<? extends T> callable)
      throws Exception {
    Objects.requireNonNull(callable, "callable");
    Permit permit = policy.acquirePermit();
    long start = clock.nanoTime();
    T result;
    try {
      result = callable.call();
    } catch (Throwable failure) {
      permit.onFailure(clock.nanoTime() - start, failure);
      throw failure;
    }
    permit.onResult(clock.nanoTime() - start, result);
    return result;
  }

  /**
   * Runs an asynchronous call under a permit of {@code policy}; never throws.
   *
   * @param policy the policy
   * @param clock the clock that measures the call
   * @param supplier starts the call
   * @param <T> the result type
   * @return a future completed with the call's outcome, or the rejection
   */
  public static <T> CompletableFuture<T> callAsync(
      PermitPolicy policy, Clock clock, Supplier<? extends CompletionStage<? extends T>> supplier) {
    Objects.requireNonNull(supplier, "supplier");
    Permit permit;
    try {
      permit = policy.acquirePermit();
    } catch (RuntimeException | Error rejected) {
      return CompletableFuture.failedFuture(rejected);
    }
    return start(permit, clock, supplier);
  }

  /**
   * Starts an asynchronous call under a permit already acquired; never throws.
   *
   * @param permit the permit, completed exactly once by this call
   * @param clock the clock that measures the call
   * @param supplier starts the call
   * @param <T> the result type
   * @return a future completed with the call's outcome
   */
  public static <T> CompletableFuture<T> start(
      Permit permit, Clock clock, Supplier<? extends CompletionStage<? extends T>> supplier) {
    long start = clock.nanoTime();
    CompletionStage<? extends T> stage;
    try {
      stage = Objects.requireNonNull(supplier.get(), "the supplier returned a null CompletionStage");
    } catch (Throwable failure) {
      permit.onFailure(clock.nanoTime() - start, failure);
      return CompletableFuture.failedFuture(failure);
    }
    AsyncCall<T> call = new AsyncCall<>(permit, clock, start, stage);
    stage.whenComplete(call);
    return call;
  }

  /** The returned future and the callback on the underlying stage, completing the permit once. */
  private static final class AsyncCall<T> extends CompletableFuture<T>
      implements BiConsumer<T, Throwable> {
    private static final VarHandle REPORTED;

    static {
      try {
        REPORTED = MethodHandles.lookup().findVarHandle(AsyncCall.class, "reported", boolean.class);
      } catch (ReflectiveOperationException e) {
        throw new ExceptionInInitializerError(e);
      }
    }

    private final Permit permit;
    private final Clock clock;
    private final long start;
    private final CompletionStage<? extends T> stage;
    @SuppressWarnings("unused") // accessed through REPORTED
    private volatile boolean reported;

    AsyncCall(Permit permit, Clock clock, long start, CompletionStage<? extends T> stage) {
      this.permit = permit;
      this.clock = clock;
      this.start = start;
      this.stage = stage;
    }

    private boolean claimReport() {
      return REPORTED.compareAndSet(this, false, true);
    }

    @Override
    public void accept(T value, Throwable failure) {
      Throwable cause = failure == null ? null : OutcomeClassifier.unwrap(failure);
      if (claimReport()) {
        long duration = clock.nanoTime() - start;
        if (cause == null) {
          permit.onResult(duration, value);
        } else if (cause instanceof CancellationException) {
          permit.release();
        } else {
          permit.onFailure(duration, cause);
        }
      }
      if (cause == null) {
        complete(value);
      } else {
        completeExceptionally(cause);
      }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      if (cancelled) {
        if (claimReport()) {
          permit.release();
        }
        try {
          stage.toCompletableFuture().cancel(mayInterruptIfRunning);
        } catch (UnsupportedOperationException cannotCancel) {
          // a stage that cannot be converted cannot be cancelled either; its outcome is ignored
        }
      }
      return cancelled;
    }
  }
}
