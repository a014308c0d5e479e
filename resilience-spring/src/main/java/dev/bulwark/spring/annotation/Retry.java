package dev.bulwark.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Retries a failed method call with backoff, as configured for the named instance. Every attempt goes through the policies inside the retry: circuit breaker, rate limiter, load shedder, bulkhead and timeout.
 *
 * <p>On a type, it applies to every public method of the type; an annotation of the same kind on a method
 * takes precedence. All Bulwark annotations on one method run as one {@code dev.bulwark.Pipeline} in the
 * documented order, whatever order they are written in:
 * {@code fallback > idempotency > retry > circuit breaker > rate limiter > load shedder > bulkhead > timeout}.
 * The instance is configured under {@code bulwark.retry.instances.<name>.*}.
 *
 * <pre>{@code
 * @Retry(name = "pricing")
 * public Quote quote(Cart cart) { return pricingClient.quote(cart); }
 * }</pre>
 */
@Documented
@PolicyAnnotation
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Retry {

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
