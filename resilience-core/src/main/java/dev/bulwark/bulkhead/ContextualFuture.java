package dev.bulwark.bulkhead;

import dev.bulwark.ContextPropagator;
import dev.bulwark.internal.Contexts;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A future that carries a captured context to the stages derived from it: their {@code ...Async} steps
 * without an explicit executor run on the default executor with the context installed.
 *
 * @param <T> the result type
 */
class ContextualFuture<T> extends CompletableFuture<T> {
  final ContextPropagator.Snapshot snapshot;

  ContextualFuture(ContextPropagator.Snapshot snapshot) {
    this.snapshot = snapshot;
  }

  @Override
  public <U> CompletableFuture<U> newIncompleteFuture() {
    return new ContextualFuture<>(snapshot);
  }

  @Override
  public Executor defaultExecutor() {
    Executor executor = super.defaultExecutor();
    if (snapshot == Contexts.NONE) {
      return executor;
    }
    ContextPropagator.Snapshot captured = snapshot;
    return task -> executor.execute(() -> {
      ContextPropagator.Scope scope = captured.install();
      try {
        task.run();
      } finally {
        Contexts.closeQuietly(scope);
      }
    });
  }
}
