package dev.bulwark.spring.actuate;

import dev.bulwark.spring.autoconfigure.BulwarkAutoConfiguration;
import dev.bulwark.spring.autoconfigure.BulwarkProperties;
import dev.bulwark.spring.autoconfigure.BulwarkRuntime;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code bulwark} health contributor. Spring Boot 4 moved the health API to
 * {@code org.springframework.boot.health.contributor}; one small indicator class per Boot generation is
 * chosen by which API is on the class path, and both report {@link BulwarkHealth}.
 *
 * <pre>{@code
 * bulwark.health.degraded-status=DOWN      # an open breaker takes the application out of rotation
 * }</pre>
 */
@AutoConfiguration(after = BulwarkAutoConfiguration.class)
@ConditionalOnBean(BulwarkRuntime.class)
@ConditionalOnProperty(prefix = "bulwark.health", name = "enabled", matchIfMissing = true)
public class BulwarkHealthAutoConfiguration {

  /** Creates the configuration (for Spring). */
  public BulwarkHealthAutoConfiguration() {}

  static BulwarkHealth health(BulwarkRuntime runtime, BulwarkProperties properties) {
    return new BulwarkHealth(runtime, properties.getHealth().getDegradedStatus());
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
  static class Boot4Health {
    @Bean
    @ConditionalOnMissingBean(name = "bulwarkHealthIndicator")
    Boot4BulwarkHealthIndicator bulwarkHealthIndicator(BulwarkRuntime runtime, BulwarkProperties properties) {
      return new Boot4BulwarkHealthIndicator(health(runtime, properties));
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
  @ConditionalOnMissingClass("org.springframework.boot.health.contributor.HealthIndicator")
  static class Boot3Health {
    @Bean
    @ConditionalOnMissingBean(name = "bulwarkHealthIndicator")
    Boot3BulwarkHealthIndicator bulwarkHealthIndicator(BulwarkRuntime runtime, BulwarkProperties properties) {
      return new Boot3BulwarkHealthIndicator(health(runtime, properties));
    }
  }
}
