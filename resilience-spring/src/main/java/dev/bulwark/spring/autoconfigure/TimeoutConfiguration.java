package dev.bulwark.spring.autoconfigure;

import dev.bulwark.ContextPropagator;
import dev.bulwark.Registry;
import dev.bulwark.Scheduler;
import dev.bulwark.timeout.Timeout;
import dev.bulwark.timeout.TimeoutConfig;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The registry and the binding of timeouts ({@code @Timeout}). */
@Configuration(proxyBeanMethods = false)
class TimeoutConfiguration {

  @Bean
  @ConditionalOnMissingRegistry(policy = Timeout.class, config = TimeoutConfig.class)
  Registry<Timeout, TimeoutConfig> timeoutRegistry(BulwarkProperties properties,
      ObjectProvider<ContextPropagator> contextPropagators,
      ObjectProvider<Scheduler> scheduler) {
    return AbstractPolicyBinding.newRegistry(
        TimeoutBinding.layering(AbstractPolicyBinding.contextPropagators(contextPropagators)), properties,
        TimeoutBinding.factory(scheduler.getIfUnique()));
  }

  @Bean
  TimeoutBinding timeoutBinding(BulwarkProperties properties, Registry<Timeout, TimeoutConfig> registry,
      ObjectProvider<ContextPropagator> contextPropagators) {
    return new TimeoutBinding(properties, registry,
        TimeoutBinding.layering(AbstractPolicyBinding.contextPropagators(contextPropagators)));
  }
}
