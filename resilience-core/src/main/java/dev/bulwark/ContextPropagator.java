package dev.bulwark;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Carries a caller's thread-bound context (a logging MDC, a security context, a tracing span, any
 * {@link ThreadLocal}) to the threads where a policy continues the caller's call: the worker of a
 * {@link dev.bulwark.bulkhead.ThreadPoolBulkhead}, the scheduler thread on which an asynchronous
 * {@link dev.bulwark.retry.Retry} starts its next attempt after a backoff, the thread that completes an
 * attempt, the thread a synchronous {@link dev.bulwark.timeout.Timeout} call runs on, and the thread on
 * which a waiting or queued asynchronous call of a rate limiter, semaphore bulkhead or load shedder starts.
 *
 * <p>Three steps, each a small functional interface:
 * <ol>
 *   <li>{@link #capture()} runs on the caller's thread, when the call starts (is submitted), and returns a
 *       {@link Snapshot} of the context;</li>
 *   <li>{@link Snapshot#install()} runs on the other thread before the policy's work there and returns a
 *       {@link Scope};</li>
 *   <li>{@link Scope#close()} runs on that thread afterwards <em>and after the returned stage has been
 *       completed</em>, and restores what the thread had before (normally: nothing, so the context is
 *       cleared).</li>
 * </ol>
 * Because the stage is completed inside the scope, continuations that run on completion (a fallback in
 * {@code exceptionally}/{@code handle}, a retry resubmitting through the bulkhead) see the same context.
 * A snapshot may be installed several times, on several threads (once per retry attempt), so it must not
 * change once captured.
 *
 * <p>Each policy that moves a call to another thread takes the propagators in its configuration
 * ({@link dev.bulwark.bulkhead.ThreadPoolBulkheadConfig.Builder#contextPropagators},
 * {@link dev.bulwark.retry.RetryConfig.Builder#contextPropagators},
 * {@link dev.bulwark.timeout.TimeoutConfig.Builder#contextPropagators},
 * {@link dev.bulwark.ratelimit.RateLimiterConfig.Builder#contextPropagators},
 * {@link dev.bulwark.bulkhead.BulkheadConfig.Builder#contextPropagators},
 * {@link dev.bulwark.limit.LoadShedderConfig.Builder#contextPropagators}); give the same ones to each. A policy
 * without propagators captures nothing and allocates nothing for them.
 *
 * <pre>{@code
 * ContextPropagator mdc = () -> {
 *   Map<String, String> captured = MDC.getCopyOfContextMap();          // on the caller
 *   return () -> {
 *     Map<String, String> previous = MDC.getCopyOfContextMap();         // on the other thread
 *     if (captured == null) MDC.clear(); else MDC.setContextMap(captured);
 *     return () -> {
 *       if (previous == null) MDC.clear(); else MDC.setContextMap(previous);
 *     };
 *   };
 * };
 * ContextPropagator security = ContextPropagator.ofThreadLocal(SecurityHolder.CURRENT);
 * ThreadPoolBulkheadConfig bulkheadConfig = ThreadPoolBulkheadConfig.builder()
 *     .contextPropagators(mdc, security)
 *     .build();
 * RetryConfig retryConfig = RetryConfig.builder()        // an async retry's later attempts and its fallback
 *     .contextPropagators(mdc, security)
 *     .build();
 * }</pre>
 */
@FunctionalInterface
public interface ContextPropagator {

  /**
   * Captures the current thread's context; runs on the caller's thread.
   *
   * @return the snapshot to install on the other thread, never {@code null}
   */
  Snapshot capture();

  /**
   * A captured context, ready to be installed on another thread, once or several times.
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
   * (or {@code remove()} for {@code null}), and the thread's previous value restored afterwards.
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
   * {@code null} (meaning: clear). The thread's previous value is restored afterwards.
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
