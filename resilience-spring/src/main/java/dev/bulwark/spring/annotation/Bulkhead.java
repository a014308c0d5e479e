package dev.bulwark.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Caps the number of concurrent calls to a method, so one slow dependency cannot take every thread.
 *
 * <p>On a type, it applies to every public method of the type; an annotation of the same kind on a method
 * takes precedence. All Bulwark annotations on one method run as one {@code dev.bulwark.Pipeline} in the
 * documented order, whatever order they are written in:
 * {@code fallback > idempotency > retry > circuit breaker > rate limiter > load shedder > bulkhead > timeout}.
 * The instance is configured under {@code bulwark.bulkhead.instances.<name>.*}.
 *
 * <pre>{@code
 * @Bulkhead(name = "reports", type = Bulkhead.Type.THREAD_POOL)
 * public CompletableFuture<Report> report(String id) { return CompletableFuture.completedFuture(slowReport(id)); }
 * }</pre>
 */
@Documented
@PolicyAnnotation
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Bulkhead {

  /**
   * The name of the instance, shared by every method that names it.
   *
   * @return the instance name
   */
  String name();

  /**
   * The name of a method of the same class that returns a degraded result when the call fails or is
   * rejected: it takes the same parameters, optionally followed by one exception parameter; the one whose
   * exception type is the most specific match wins. Checked when the application context starts.
   *
   * @return the fallback method name, or empty for none
   */
  String fallbackMethod() default "";

  /**
   * The kind of bulkhead: a semaphore that caps concurrent calls on the callers' threads, or a thread pool
   * that runs the calls on its own threads (a synchronous method's caller waits for the result; a method
   * returning {@code CompletionStage} gets it asynchronously). Instances of the two kinds are configured under
   * {@code bulwark.bulkhead} and {@code bulwark.thread-pool-bulkhead} respectively.
   *
   * @return the kind, {@link Type#SEMAPHORE} by default
   */
  Type type() default Type.SEMAPHORE;

  /** The kinds of bulkhead. */
  enum Type {
    /** Caps concurrent calls with a semaphore; calls run on the caller's thread. */
    SEMAPHORE,
    /** Runs calls on a bounded thread pool with a bounded queue. */
    THREAD_POOL
  }
}
