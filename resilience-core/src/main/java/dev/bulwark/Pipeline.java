package dev.bulwark;

import dev.bulwark.internal.Exceptions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Composes policies around one call, outermost first.
 *
 * <p>{@link #of(Policy...)} puts the policies in the documented order of {@link PolicyKind}, whatever order
 * they are given in: {@code Fallback(Idempotency(Retry(CircuitBreaker(RateLimiter(LoadShedder(Bulkhead(
 * Timeout(call))))))))}. Policies of the same kind keep the order given. {@link #inOrder(Policy...)} keeps
 * exactly the order given, for the rare case that needs another nesting. Each policy sees only a call and
 * its outcome; none knows which others surround it.
 *
 * <p>Decorate once and call many times: {@link #decorate(Supplier)} builds the nesting once, so each call
 * through the decorated function allocates nothing beyond what the policies themselves do.
 *
 * <pre>{@code
 * Pipeline pipeline = Pipeline.of(bulkhead, breaker, retry);   // any order: nested as retry(breaker(bulkhead))
 * Supplier<Quote> quote = pipeline.decorate(() -> pricing.quote(cart));
 * Quote q = quote.get();
 * }</pre>
 */
public final class Pipeline implements Policy {
  private static final Comparator<Policy> BY_KIND = Comparator.comparing(Policy::kind);

  private final List<Policy> policies;
  private final Policy[] array;
  private final String name;

  private Pipeline(List<Policy> policies) {
    this.policies = List.copyOf(policies);
    this.array = this.policies.toArray(new Policy[0]);
    StringJoiner joiner = new StringJoiner(" > ", "pipeline[", "]");
    for (Policy policy : array) {
      joiner.add(policy.kind().name().toLowerCase(java.util.Locale.ROOT) + ":" + policy.name());
    }
    this.name = joiner.toString();
  }

  /**
   * Composes {@code policies} in the documented order of their kinds.
   *
   * @param policies the policies, in any order
   * @return the pipeline
   */
  public static Pipeline of(Policy... policies) {
    List<Policy> list = checked(policies);
    list.sort(BY_KIND); // stable: policies of one kind keep their order
    return new Pipeline(list);
  }

  /**
   * Composes {@code policies} in exactly the order given, outermost first.
   *
   * @param policies the policies, outermost first
   * @return the pipeline
   */
  public static Pipeline inOrder(Policy... policies) {
    return new Pipeline(checked(policies));
  }

  private static List<Policy> checked(Policy[] policies) {
    Objects.requireNonNull(policies, "policies");
    List<Policy> list = new ArrayList<>(policies.length);
    for (Policy policy : policies) {
      list.add(Objects.requireNonNull(policy, "policies must not contain null"));
    }
    return list;
  }

  /**
   * Returns the policies, outermost first.
   *
   * @return an immutable list
   */
  public List<Policy> policies() {
    return policies;
  }

  /** Returns a description of the nesting, such as {@code pipeline[retry:r > circuit_breaker:cb]}. */
  @Override
  public String name() {
    return name;
  }

  /**
   * Returns the kind of the outermost policy.
   *
   * @throws IllegalStateException if the pipeline is empty
   */
  @Override
  public PolicyKind kind() {
    if (array.length == 0) {
      throw new IllegalStateException("an empty pipeline has no kind");
    }
    return array[0].kind();
  }

  @Override
  public <T> T call(Callable<? extends T> callable) throws Exception {
    return nest(callable).call();
  }

  @Override
  public <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<? extends T>> supplier) {
    return nestAsync(supplier).get();
  }

  @Override
  public <T> Supplier<T> decorate(Supplier<? extends T> supplier) {
    Objects.requireNonNull(supplier, "supplier");
    Callable<T> nested = nest(supplier::get);
    return () -> {
      try {
        return nested.call();
      } catch (Exception e) {
        throw Exceptions.sneakyThrow(e);
      }
    };
  }

  @Override
  public <T> Callable<T> decorateCallable(Callable<? extends T> callable) {
    return nest(callable);
  }

  @Override
  public Runnable decorateRunnable(Runnable runnable) {
    Objects.requireNonNull(runnable, "runnable");
    Supplier<Object> nested = decorate(() -> {
      runnable.run();
      return null;
    });
    return nested::get;
  }

  @Override
  public <T> Supplier<CompletionStage<T>> decorateAsync(
      Supplier<? extends CompletionStage<? extends T>> supplier) {
    return nestAsync(supplier);
  }

  private <T> Callable<T> nest(Callable<? extends T> callable) {
    Objects.requireNonNull(callable, "callable");
    @SuppressWarnings("unchecked")
    Callable<T> nested = (Callable<T>) callable;
    for (int i = array.length - 1; i >= 0; i--) {
      Policy policy = array[i];
      Callable<T> inner = nested;
      nested = () -> policy.call(inner);
    }
    return nested;
  }

  private <T> Supplier<CompletionStage<T>> nestAsync(
      Supplier<? extends CompletionStage<? extends T>> supplier) {
    Objects.requireNonNull(supplier, "supplier");
    @SuppressWarnings("unchecked")
    Supplier<CompletionStage<T>> nested = (Supplier<CompletionStage<T>>) (Supplier<?>) supplier;
    for (int i = array.length - 1; i >= 0; i--) {
      Policy policy = array[i];
      Supplier<CompletionStage<T>> inner = nested;
      nested = () -> policy.callAsync(inner);
    }
    return nested;
  }

  @Override
  public String toString() {
    return name;
  }
}
