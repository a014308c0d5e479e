package dev.bulwark.spring.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Listens for Spring Cloud's {@code EnvironmentChangeEvent} when Spring Cloud Context is on the class path.
 *
 * <pre>{@code
 * context.publishEvent(new EnvironmentChangeEvent(context, Set.of("bulwark.retry.instances.pricing.max-attempts")));
 * }</pre>
 */
@AutoConfiguration(after = BulwarkAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.cloud.context.environment.EnvironmentChangeEvent")
@ConditionalOnBean(BulwarkRuntime.class)
public class BulwarkRefreshAutoConfiguration {

  /** Creates the configuration (for Spring). */
  public BulwarkRefreshAutoConfiguration() {}

  @Bean
  BulwarkEnvironmentChangeListener bulwarkEnvironmentChangeListener(BulwarkRuntime runtime) {
    return new BulwarkEnvironmentChangeListener(runtime);
  }
}
