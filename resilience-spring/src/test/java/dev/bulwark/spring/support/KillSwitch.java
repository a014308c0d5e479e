package dev.bulwark.spring.support;

import dev.bulwark.spring.annotation.PolicyAnnotation;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A test-only annotation bound by {@link KillSwitchBinding}: shows that the aspect, fallbacks, the
 * endpoint and the health contributor work through the public binding SPI, whatever the policy.
 */
@PolicyAnnotation
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface KillSwitch {
  String name();

  String fallbackMethod() default "";
}
