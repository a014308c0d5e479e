package dev.bulwark.spring.autoconfigure;

import dev.bulwark.Clock;
import dev.bulwark.Registry;
import dev.bulwark.circuitbreaker.CircuitBreaker;
import dev.bulwark.circuitbreaker.CircuitBreakerConfig;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The registry and the binding of circuit breakers ({@code @CircuitBreaker}). */
@Configuration(proxyBeanMethods = false)
class CircuitBreakerConfiguration {

  @Bean
  @ConditionalOnMissingRegistry(policy = CircuitBreaker.class, config = CircuitBreakerConfig.class)
  Registry<CircuitBreaker, CircuitBreakerConfig> circuitBreakerRegistry(BulwarkProperties properties,
      ObjectProvider<Clock> clock) {
    return AbstractPolicyBinding.newRegistry(CircuitBreakerBinding.LAYERING, properties,
        CircuitBreakerBinding.factory(clock.getIfUnique()));
  }

  @Bean
  CircuitBreakerBinding circuitBreakerBinding(BulwarkProperties properties,
      Registry<CircuitBreaker, CircuitBreakerConfig> registry) {
    return new CircuitBreakerBinding(properties, registry);
  }
}
