package dev.bulwark.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Admits a method call under an adaptive concurrency limit, shedding lower-priority calls first when the dependency is overloaded.
 *
 * <p>On a type, it applies to every public method of the type; an annotation of the same kind on a method
 * takes precedence. All Bulwark annotations on one method run as one {@code dev.bulwark.Pipeline} in the
 * documented order, whatever order they are written in:
 * {@code fallback > idempotency > retry > circuit breaker > rate limiter > load shedder > bulkhead > timeout}.
 * The instance is configured under {@code bulwark.loadshedder.instances.<name>.*}.
 *
 * <pre>{@code
 * @LoadShed(name = "checkout", priority = 100)
 * public Receipt checkout(Cart cart) { return orders.place(cart); }
 * }</pre>
 */
@Documented
@PolicyAnnotation
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface LoadShed {

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
   * The priority of the calls to this method, from {@code 0} (best effort, shed first) to {@code 100}
   * (critical, may use the whole limit); the core names {@code 100} CRITICAL, {@code 75} HIGH, {@code 50}
   * NORMAL, {@code 25} LOW and {@code 0} BEST_EFFORT. Checked when the application context starts.
   *
   * @return the priority, or {@code -1} (the default) for the load shedder's {@code default-priority}
   */
  int priority() default -1;
}
