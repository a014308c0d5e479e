package dev.bulwark.bulkhead;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Carries a caller's thread-bound context (a logging MDC, a security context, a tracing span, any
 * {@link ThreadLocal}) into the worker thread that runs its call in a {@link ThreadPoolBulkhead}.
 *
 * <p>Three steps, each a small functional interface:
 * <ol>
 *   <li>{@link #capture()} runs on the submitting thread, when the call is submitted, and returns a
 *       {@link Snapshot} of the context;</li>
 *   <li>{@link Snapshot#install()} runs on the worker before the call and returns a {@link Scope};</li>
 *   <li>{@link Scope#close()} runs on the worker after the call <em>and after the returned stage has been
 *       completed</em>, and restores what the worker had before (normally: nothing, so the context is
 *       cleared).</li>
 * </ol>
 * Because the stage is completed inside the scope, continuations that run on completion (a fallback in
 * {@code exceptionally}/{@code handle}, a retry resubmitting through the bulkhead) see the same context, and
 * the stage's {@code ...Async} continuations without an executor run with it too.
 *
 * <pre>{@code
 * ContextPropagator mdc = () -> {
 *   Map<String, String> captured = MDC.getCopyOfContextMap();          // on the caller
 *   return () -> {
 *     Map<String, String> previous = MDC.getCopyOfContextMap();         // on the worker
 *     if (captured == null) MDC.clear(); else MDC.setContextMap(captured);
 *     return () -> {
 *       if (previous == null) MDC.clear(); else MDC.setContextMap(previous);
 *     };
 *   };
 * };
 * ThreadPoolBulkheadConfig config = ThreadPoolBulkheadConfig.builder()
 *     .contextPropagators(mdc, ContextPropagator.ofThreadLocal(SecurityHolder.CURRENT))
 *     .build();
 * }</pre>
 */
@FunctionalInterface
public interface ContextPropagator {

  /**
   * Captures the current thread's context; runs on the submitting thread.
   *
   * @return the snapshot to install in the worker, never {@code null}
   */
  Snapshot capture();

  /**
   * A captured context, ready to be installed on a worker thread.
   *
   * <pre>{@code
   * Snapshot snapshot = propagator.capture();
   * try (ContextPropagator.Scope scope = snapshot.install()) {
   *   work();                                   // sees the captured context
   * }
   * }</pre>
   */
  @FunctionalInterface
  interface Snapshot {
    /**
     * Installs the captured context on the current thread.
     *
     * @return the scope that restores the thread's previous context when closed, never {@code null}
     */
    Scope install();
  }

  /**
   * An installed context; closing it restores what the thread had before.
   *
   * <pre>{@code
   * try (ContextPropagator.Scope scope = snapshot.install()) {
   *   work();
   * }
   * }</pre>
   */
  @FunctionalInterface
  interface Scope extends AutoCloseable {
    /** Restores the thread's previous context; does not throw checked exceptions. */
    @Override
    void close();
  }

  /**
   * Propagates the value of a {@link ThreadLocal}: captured with {@code get()}, installed with {@code set()}
   * (or {@code remove()} for {@code null}), and the worker's previous value restored afterwards.
   *
   * @param threadLocal the thread-local
   * @param <T> the value type
   * @return the propagator
   */
  static <T> ContextPropagator ofThreadLocal(ThreadLocal<T> threadLocal) {
    Objects.requireNonNull(threadLocal, "threadLocal");
    return of(threadLocal::get, value -> {
      if (value == null) {
        threadLocal.remove();
      } else {
        threadLocal.set(value);
      }
    });
  }

  /**
   * Propagates a value read by {@code getter} and written by {@code setter}; the setter must accept
   * {@code null} (meaning: clear). The worker's previous value is restored afterwards.
   *
   * @param getter reads the current thread's value
   * @param setter writes the current thread's value; {@code null} clears it
   * @param <T> the value type
   * @return the propagator
   */
  static <T> ContextPropagator of(Supplier<? extends T> getter, Consumer<? super T> setter) {
    Objects.requireNonNull(getter, "getter");
    Objects.requireNonNull(setter, "setter");
    return () -> {
      T captured = getter.get();
      return () -> {
        T previous = getter.get();
        setter.accept(captured);
        return () -> setter.accept(previous);
      };
    };
  }
}
