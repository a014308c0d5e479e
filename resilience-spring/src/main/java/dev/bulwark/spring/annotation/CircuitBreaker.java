package dev.bulwark.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Protects a method with a circuit breaker: after enough failures, calls fail fast with {@code CircuitBreakerOpenException} (or go to the fallback) until the dependency has had time to recover.
 *
 * <p>On a type, it applies to every public method of the type; an annotation of the same kind on a method
 * takes precedence. All Bulwark annotations on one method run as one {@code dev.bulwark.Pipeline} in the
 * documented order, whatever order they are written in:
 * {@code fallback > idempotency > retry > circuit breaker > rate limiter > load shedder > bulkhead > timeout}.
 * The instance is configured under {@code bulwark.circuitbreaker.instances.<name>.*}.
 *
 * <pre>{@code
 * @CircuitBreaker(name = "inventory", fallbackMethod = "cachedStock")
 * public Stock stock(String sku) { return inventoryClient.stock(sku); }
 *
 * Stock cachedStock(String sku, CallNotPermittedException e) { return cache.get(sku); }
 * }</pre>
 */
@Documented
@PolicyAnnotation
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface CircuitBreaker {

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
