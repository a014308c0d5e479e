package dev.bulwark.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Bounds the duration of one attempt of a method call (with {@link Retry}, each retry has its own timeout). Synchronous calls are interrupted when the time is up; asynchronous ones have their stage completed exceptionally.
 *
 * <p>On a type, it applies to every public method of the type; an annotation of the same kind on a method
 * takes precedence. All Bulwark annotations on one method run as one {@code dev.bulwark.Pipeline} in the
 * documented order, whatever order they are written in:
 * {@code fallback > idempotency > retry > circuit breaker > rate limiter > load shedder > bulkhead > timeout}.
 * The instance is configured under {@code bulwark.timeout.instances.<name>.*}.
 *
 * <pre>{@code
 * @Timeout(name = "search")
 * public CompletableFuture<Results> search(Query q) { return searchClient.searchAsync(q); }
 * }</pre>
 */
@Documented
@PolicyAnnotation
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Timeout {

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
}
