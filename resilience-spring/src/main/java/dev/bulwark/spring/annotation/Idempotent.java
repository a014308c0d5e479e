package dev.bulwark.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a method at most once per idempotency key: a repeated call with the same key gets the first call's result.
 *
 * <p>On a type, it applies to every public method of the type; an annotation of the same kind on a method
 * takes precedence. All Bulwark annotations on one method run as one {@code dev.bulwark.Pipeline} in the
 * documented order, whatever order they are written in:
 * {@code fallback > idempotency > retry > circuit breaker > rate limiter > load shedder > bulkhead > timeout}.
 * The instance is configured under {@code bulwark.idempotency.instances.<name>.*}.
 *
 * <pre>{@code
 * @Idempotent(name = "payments", key = "#request.idempotencyKey", fingerprint = "#request.amount + #request.currency")
 * public Receipt pay(PaymentRequest request) { return psp.charge(request); }
 * }</pre>
 */
@Documented
@PolicyAnnotation
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Idempotent {

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
   * A SpEL expression over the method's arguments that gives the idempotency key: parameters by name
   * ({@code #orderId}, needs {@code -parameters}) or position ({@code #p0}, {@code #a0}), and
   * {@code #root.args}, {@code #root.method}, {@code #root.target}.
   *
   * @return the key expression
   */
  String key();

  /**
   * A SpEL expression over the arguments whose value fingerprints the request, so that the same key with a
   * different request is refused instead of answered with the first request's result.
   *
   * @return the fingerprint expression, or empty for none
   */
  String fingerprint() default "";
}
