package dev.bulwark.fallback;

import dev.bulwark.EventListener;
import dev.bulwark.Policy;
import dev.bulwark.PolicyKind;
import dev.bulwark.internal.Check;
import dev.bulwark.internal.Listeners;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Replaces a failure with a degraded result, so a failing optional dependency does not fail the whole
 * operation: a failing recommendation service yields static recommendations instead of failing checkout.
 *
 * <p>By default every {@link Exception} is handled, rejections ({@link dev.bulwark.CallNotPermittedException}:
 * an open breaker, a full bulkhead) and timeouts included; {@link InterruptedException} and
 * {@link java.util.concurrent.CancellationException} never are (nobody waits for the result any more), and
 * {@link Error}s only when a rule names them. {@link Builder#handle(Class[])} and
 * {@link Builder#handleIf(Predicate)} narrow it down; {@link Builder#handleRejections(boolean)} decides about
 * rejections separately.
 *
 * <p>In a {@link dev.bulwark.Pipeline} the fallback is the outermost policy, so it sees the final failure,
 * after every retry: {@code Fallback(Retry(CircuitBreaker(...(call))))}. The policy methods are generic in
 * the call's result type, so the value the function returns must be of the type the call returns; the
 * compiler cannot check it through {@link Policy}, a mismatch fails with a {@link ClassCastException} where
 * the result is used.
 *
 * <pre>{@code
 * Fallback<List<Product>> fallback = Fallback.of("recommendations", failure -> StaticRecommendations.TOP_SELLERS);
 * List<Product> products = Pipeline.of(fallback, retry, breaker).get(() -> recommendations.forUser(userId));
 * }</pre>
 *
 * @param <R> the type of the degraded result
 */
public interface Fallback<R> extends Policy {

  /**
   * Creates a fallback that handles every exception (rejections and timeouts included) with
   * {@code function}.
   *
   * @param name the name
   * @param function computes the degraded result from the failure
   * @param <R> the result type
   * @return a new fallback
   */
  static <R> Fallback<R> of(String name, FallbackFunction<? extends R> function) {
    return Fallback.<R>builder(name, function).build();
  }

  /**
   * Starts a fallback, to narrow what it handles or add listeners.
   *
   * @param name the name
   * @param function computes the degraded result from the failure
   * @param <R> the result type
   * @return a builder
   */
  static <R> Builder<R> builder(String name, FallbackFunction<? extends R> function) {
    return new Builder<>(name, function);
  }

  /** Returns {@link PolicyKind#FALLBACK}. */
  @Override
  default PolicyKind kind() {
    return PolicyKind.FALLBACK;
  }

  /**
   * Tells whether this fallback would replace {@code failure}.
   *
   * @param failure a failure, unwrapped or not
   * @return whether the fallback handles it
   */
  boolean handles(Throwable failure);

  /**
   * Returns a read-only view of this fallback's counters.
   *
   * @return the metrics view
   */
  Metrics metrics();

  /**
   * Lifetime counters of a {@link Fallback}.
   *
   * <pre>{@code
   * long degraded = fallback.metrics().fallbacksApplied();
   * }</pre>
   */
  interface Metrics {
    /**
     * Returns the calls that succeeded on their own.
     *
     * @return the count
     */
    long successfulCalls();

    /**
     * Returns the failures replaced by the fallback's result.
     *
     * @return the count
     */
    long fallbacksApplied();

    /**
     * Returns the failures the fallback function could not replace because it failed too.
     *
     * @return the count
     */
    long fallbacksFailed();

    /**
     * Returns the failures passed through because the fallback does not handle them.
     *
     * @return the count
     */
    long unhandledFailures();
  }

  /**
   * Builds a {@link Fallback}.
   *
   * <pre>{@code
   * Fallback<Quote> fallback = Fallback.builder("pricing", failure -> Quote.cached(cart))
   *     .handle(IOException.class, TimeoutExceededException.class)
   *     .handleRejections(true)
   *     .build();
   * }</pre>
   *
   * @param <R> the result type
   */
  final class Builder<R> {
    final String name;
    final FallbackFunction<? extends R> function;
    final List<Class<? extends Throwable>> handleTypes = new ArrayList<>();
    Predicate<Throwable> handleIf;
    boolean handleRejections = true;
    final Listeners.Collector<FallbackEvent> listeners = new Listeners.Collector<>();

    private Builder(String name, FallbackFunction<? extends R> function) {
      this.name = Check.name("name", name);
      this.function = Objects.requireNonNull(function, "function");
    }

    /**
     * Handles only these exceptions (and their subclasses), plus what other {@code handle} rules match.
     * Default: every exception.
     *
     * @param types the exception types
     * @return this builder
     */
    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read
    public final Builder<R> handle(Class<? extends Throwable>... types) {
      Objects.requireNonNull(types, "handle");
      if (types.length == 0) {
        throw new IllegalArgumentException("handle must name at least one exception type, was []");
      }
      for (Class<? extends Throwable> type : types) {
        handleTypes.add(Objects.requireNonNull(type, "handle must not contain null"));
      }
      return this;
    }

    /**
     * Handles failures matching {@code predicate}, combined with other {@code handle} rules by "or".
     *
     * @param predicate tested against the unwrapped failure
     * @return this builder
     */
    public Builder<R> handleIf(Predicate<? super Throwable> predicate) {
      Objects.requireNonNull(predicate, "handleIf");
      Predicate<Throwable> previous = handleIf;
      handleIf = previous == null ? predicate::test : t -> previous.test(t) || predicate.test(t);
      return this;
    }

    /**
     * Sets whether rejections by other policies are handled, whatever the {@code handle} rules say.
     * Default {@code true}.
     *
     * @param handleRejections whether to handle rejections
     * @return this builder
     */
    public Builder<R> handleRejections(boolean handleRejections) {
      this.handleRejections = handleRejections;
      return this;
    }

    /**
     * Adds a listener for events of {@code type}.
     *
     * @param type the event class
     * @param listener the listener
     * @param <T> the event type
     * @return this builder
     */
    public <T extends FallbackEvent> Builder<R> listener(Class<T> type, EventListener<? super T> listener) {
      listeners.add(type, listener);
      return this;
    }

    /**
     * Builds the fallback.
     *
     * @return a new fallback
     */
    public Fallback<R> build() {
      return new FallbackImpl<>(this);
    }
  }
}
