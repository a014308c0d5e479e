package dev.bulwark.spring.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Conditional;

/**
 * Matches when the application declares no {@code Registry<policy, config>} bean of its own. Boot's
 * {@code @ConditionalOnMissingBean} compares erased types, so one user registry of any primitive would
 * switch off Bulwark's registries of every primitive; this compares the generic type.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
@Conditional(OnMissingRegistryCondition.class)
@interface ConditionalOnMissingRegistry {
  /** The policy type argument. */
  Class<?> policy();

  /** The configuration type argument. */
  Class<?> config();
}
