package dev.bulwark;

import dev.bulwark.internal.Exceptions;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * A resilience policy seen from application code: the decorator layer.
 *
 * <p>Every policy (circuit breaker, retry, bulkhead, ...) runs synchronous calls with {@link #call(Callable)}
 * and asynchronous ones with {@link #callAsync(Supplier)}; the other methods are conveniences over these two.
 * Decorate once and call many times: a function returned by a {@code decorate...} method adds no allocation
 * per call on the policies' synchronous success path. Several policies compose with a {@link Pipeline}.
 *
 * <pre>{@code
 * CircuitBreaker breaker = CircuitBreaker.ofDefaults("inventory");
 * Supplier<Stock> stock = breaker.decorate(() -> inventoryClient.stock(sku));
 * Stock s = stock.get();                                  // throws CircuitBreakerOpenException when open
 * CompletionStage<Stock> later = breaker.callAsync(() -> inventoryClient.stockAsync(sku));
 * }</pre>
 */
public interface Policy {

  /**
   * Returns the name of this policy instance, used in metrics, events and rejection messages.
   *
   * @return the name, never {@code null}
   */
  String name();

  /**
   * Returns the kind of this policy, which fixes its place in a {@link Pipeline}.
   *
   * @return the kind
   */
  PolicyKind kind();

  /**
   * Runs {@code callable} under this policy.
   *
   * @param callable the call to protect
   * @param <T> the result type
   * @return what the call returned (or what the policy substituted, such as a fallback)
   * @throws Exception what the call threw, or a {@link CallNotPermittedException} if the policy rejected it
   */
  <T> T call(Callable<? extends T> callable) throws Exception;

  /**
   * Runs an asynchronous call under this policy. Never throws: a rejection or a failure of the supplier
   * itself completes the returned stage exceptionally. Cancelling the returned stage (when it is a
   * {@link java.util.concurrent.CompletableFuture}) cancels the work in progress where the policy can.
   *
   * @param supplier starts the call and returns its stage
   * @param <T> the result type
   * @return a stage completed with the call's outcome
   */
  <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<? extends T>> supplier);

  /**
   * Runs {@code supplier} under this policy.
   *
   * @param supplier the call to protect
   * @param <T> the result type
   * @return what the call returned
   */
  default <T> T get(Supplier<? extends T> supplier) {
    Objects.requireNonNull(supplier, "supplier");
    return Exceptions.callUnchecked(this, supplier::get);
  }

  /**
   * Runs {@code runnable} under this policy.
   *
   * @param runnable the call to protect
   */
  default void run(Runnable runnable) {
    Objects.requireNonNull(runnable, "runnable");
    Exceptions.callUnchecked(this, () -> {
      runnable.run();
      return null;
    });
  }

  /**
   * Returns a supplier that runs {@code supplier} under this policy each time it is called.
   *
   * @param supplier the call to protect
   * @param <T> the result type
   * @return the decorated supplier
   */
  default <T> Supplier<T> decorate(Supplier<? extends T> supplier) {
    Objects.requireNonNull(supplier, "supplier");
    Callable<T> callable = supplier::get;
    return () -> Exceptions.callUnchecked(this, callable);
  }

  /**
   * Returns a callable that runs {@code callable} under this policy each time it is called.
   *
   * @param callable the call to protect
   * @param <T> the result type
   * @return the decorated callable
   */
  default <T> Callable<T> decorateCallable(Callable<? extends T> callable) {
    Objects.requireNonNull(callable, "callable");
    return () -> call(callable);
  }

  /**
   * Returns a runnable that runs {@code runnable} under this policy each time it is called.
   *
   * @param runnable the call to protect
   * @return the decorated runnable
   */
  default Runnable decorateRunnable(Runnable runnable) {
    Objects.requireNonNull(runnable, "runnable");
    Callable<Object> callable = () -> {
      runnable.run();
      return null;
    };
    return () -> Exceptions.callUnchecked(this, callable);
  }

  /**
   * Returns a supplier of stages that runs the asynchronous call under this policy each time it is called.
   *
   * @param supplier starts the call and returns its stage
   * @param <T> the result type
   * @return the decorated supplier
   */
  default <T> Supplier<CompletionStage<T>> decorateAsync(
      Supplier<? extends CompletionStage<? extends T>> supplier) {
    Objects.requireNonNull(supplier, "supplier");
    return () -> callAsync(supplier);
  }
}
