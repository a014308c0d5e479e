package dev.bulwark.spring.autoconfigure;

import org.springframework.context.annotation.Configuration;

/**
 * One registry bean and one binding bean per primitive. A registry the application declares itself (a bean
 * of type {@code Registry<CircuitBreaker, CircuitBreakerConfig>}, say) is used instead of Bulwark's.
 */
@Configuration(proxyBeanMethods = false)
class BulwarkPolicyConfigurations {
}
