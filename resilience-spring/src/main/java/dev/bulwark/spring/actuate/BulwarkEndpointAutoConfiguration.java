package dev.bulwark.spring.actuate;

import dev.bulwark.spring.autoconfigure.BulwarkAutoConfiguration;
import dev.bulwark.spring.autoconfigure.BulwarkRuntime;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code bulwark} Actuator endpoint, when Actuator is on the class path and the endpoint is exposed
 * ({@code management.endpoints.web.exposure.include=bulwark}).
 *
 * <pre>{@code
 * management.endpoints.web.exposure.include=health,bulwark
 * }</pre>
 */
@AutoConfiguration(after = BulwarkAutoConfiguration.class)
@ConditionalOnClass(name = {"org.springframework.boot.actuate.endpoint.annotation.Endpoint",
    "org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint"})
@ConditionalOnBean(BulwarkRuntime.class)
public class BulwarkEndpointAutoConfiguration {

  /** Creates the configuration (for Spring). */
  public BulwarkEndpointAutoConfiguration() {}

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnAvailableEndpoint(endpoint = BulwarkEndpoint.class)
  static class EndpointConfiguration {
    @Bean
    @ConditionalOnMissingBean
    BulwarkEndpoint bulwarkEndpoint(BulwarkRuntime runtime) {
      return new BulwarkEndpoint(runtime);
    }
  }
}
