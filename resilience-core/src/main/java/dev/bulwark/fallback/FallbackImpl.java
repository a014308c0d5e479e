package dev.bulwark.fallback;

import dev.bulwark.CallNotPermittedException;
import dev.bulwark.OutcomeClassifier;
import dev.bulwark.internal.Exceptions;
import dev.bulwark.internal.Listeners;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The fallback policy. Stateless apart from statistics: the synchronous success path is the call and one
 * LongAdder increment; the asynchronous path allocates the returned future (which is also the callback).
 */
final class FallbackImpl<R> implements Fallback<R>, Fallback.Metrics {
  private final String name;
  private final FallbackFunction<? extends R> function;
  private final Class<?>[] handleTypes;
  private final Predicate<Throwable> handleIf;
  private final boolean hasRules;
  private final boolean handleRejections;
  private final Listeners<FallbackEvent> listeners;
  private final LongAdder successful = new LongAdder();
  private final LongAdder applied = new LongAdder();
  private final LongAdder fallbackFailed = new LongAdder();
  private final LongAdder unhandled = new LongAdder();

  FallbackImpl(Fallback.Builder<R> b) {
    this.name = b.name;
    this.function = b.function;
    this.handleTypes = List.copyOf(b.handleTypes).toArray(new Class<?>[0]);
    this.handleIf = b.handleIf;
    this.hasRules = handleTypes.length > 0 || handleIf != null;
    this.handleRejections = b.handleRejections;
    this.listeners = b.listeners.build();
  }

  @Override
  public boolean handles(Throwable failure) {
    Throwable cause = OutcomeClassifier.unwrap(failure);
    if (cause instanceof InterruptedException || cause instanceof CancellationException) {
      return false;
    }
    if (cause instanceof CallNotPermittedException) {
      return handleRejections;
    }
    if (!hasRules) {
      return cause instanceof Exception;
    }
    for (Class<?> type : handleTypes) {
      if (type.isInstance(cause)) {
        return true;
      }
    }
    return handleIf != null && handleIf.test(cause);
  }

  @Override
  public <T> T call(Callable<? extends T> callable) throws Exception {
    Objects.requireNonNull(callable, "callable");
    T result;
    try {
      result = callable.call();
    } catch (Throwable failure) {
      if (!handles(failure)) {
        unhandled.increment();
        throw Exceptions.sneakyThrow(failure);
      }
      return apply(OutcomeClassifier.unwrap(failure));
    }
    successful.increment();
    return result;
  }

  /** Runs the fallback function on a handled failure; its own failure gets the original as suppressed. */
  @SuppressWarnings("unchecked") // the documented contract: the fallback's value is of the call's type
  private <T> T apply(Throwable cause) {
    Object value;
    try {
      value = function.apply(cause);
    } catch (Throwable fallbackFailure) {
      if (fallbackFailure != cause) {
        fallbackFailure.addSuppressed(cause);
      }
      fallbackFailed.increment();
      if (listeners.wants(FallbackEvent.FallbackFailed.class)) {
        listeners.emit(new FallbackEvent.FallbackFailed(name, cause, fallbackFailure));
      }
      throw Exceptions.sneakyThrow(fallbackFailure);
    }
    applied.increment();
    if (listeners.wants(FallbackEvent.Applied.class)) {
      listeners.emit(new FallbackEvent.Applied(name, cause));
    }
    return (T) value;
  }

  @Override
  public <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<? extends T>> supplier) {
    Objects.requireNonNull(supplier, "supplier");
    AsyncCall<T> call = new AsyncCall<>();
    CompletionStage<? extends T> stage;
    try {
      stage = Objects.requireNonNull(supplier.get(), "the supplier returned a null CompletionStage");
    } catch (Throwable failure) {
      call.accept(null, failure);
      return call;
    }
    call.stage = stage;
    stage.whenComplete(call);
    return call;
  }

  /** The returned future and the callback on the call's stage. */
  private final class AsyncCall<T> extends CompletableFuture<T> implements BiConsumer<T, Throwable> {
    volatile CompletionStage<? extends T> stage;

    @Override
    public void accept(T value, Throwable failure) {
      if (isDone()) {
        return;
      }
      if (failure == null) {
        if (complete(value)) {
          successful.increment();
        }
        return;
      }
      Throwable cause = OutcomeClassifier.unwrap(failure);
      if (!handles(cause)) {
        if (completeExceptionally(cause)) {
          unhandled.increment();
        }
        return;
      }
      T replacement;
      try {
        replacement = apply(cause);
      } catch (Throwable fallbackFailure) {
        completeExceptionally(fallbackFailure);
        return;
      }
      complete(replacement);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      boolean cancelled = super.cancel(mayInterruptIfRunning);
      CompletionStage<? extends T> inner = stage;
      if (cancelled && inner != null) {
        try {
          inner.toCompletableFuture().cancel(mayInterruptIfRunning);
        } catch (UnsupportedOperationException cannotCancel) {
          // a stage that cannot be converted cannot be cancelled either
        }
      }
      return cancelled;
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Metrics metrics() {
    return this;
  }

  @Override
  public long successfulCalls() {
    return successful.sum();
  }

  @Override
  public long fallbacksApplied() {
    return applied.sum();
  }

  @Override
  public long fallbacksFailed() {
    return fallbackFailed.sum();
  }

  @Override
  public long unhandledFailures() {
    return unhandled.sum();
  }

  @Override
  public String toString() {
    return "Fallback{name=" + name + '}';
  }
}
