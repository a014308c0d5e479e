package dev.bulwark.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Caps the rate at which calls to a method are admitted; an over-limit call waits within the configured bound or is rejected.
 *
 * <p>On a type, it applies to every public method of the type; an annotation of the same kind on a method
 * takes precedence. All Bulwark annotations on one method run as one {@code dev.bulwark.Pipeline} in the
 * documented order, whatever order they are written in:
 * {@code fallback > idempotency > retry > circuit breaker > rate limiter > load shedder > bulkhead > timeout}.
 * The instance is configured under {@code bulwark.ratelimiter.instances.<name>.*}.
 *
 * <pre>{@code
 * @RateLimiter(name = "partner-api", fallbackMethod = "busy")
 * public Report report(String id) { return partnerClient.report(id); }
 * }</pre>
 */
@Documented
@PolicyAnnotation
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface RateLimiter {

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
