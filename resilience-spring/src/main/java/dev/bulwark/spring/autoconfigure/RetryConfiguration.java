package dev.bulwark.spring.autoconfigure;

import dev.bulwark.ContextPropagator;
import dev.bulwark.Clock;
import dev.bulwark.Registry;
import dev.bulwark.Scheduler;
import dev.bulwark.Sleeper;
import dev.bulwark.retry.Retry;
import dev.bulwark.retry.RetryConfig;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The registry and the binding of retries ({@code @Retry}). */
@Configuration(proxyBeanMethods = false)
class RetryConfiguration {

  @Bean
  @ConditionalOnMissingRegistry(policy = Retry.class, config = RetryConfig.class)
  Registry<Retry, RetryConfig> retryRegistry(BulwarkProperties properties,
      ObjectProvider<ContextPropagator> contextPropagators, ObjectProvider<Clock> clock,
      ObjectProvider<Sleeper> sleeper, ObjectProvider<Scheduler> scheduler) {
    return AbstractPolicyBinding.newRegistry(
        RetryBinding.layering(AbstractPolicyBinding.contextPropagators(contextPropagators)), properties,
        RetryBinding.factory(clock.getIfUnique(), sleeper.getIfUnique(), scheduler.getIfUnique()));
  }

  @Bean
  RetryBinding retryBinding(BulwarkProperties properties, Registry<Retry, RetryConfig> registry,
      ObjectProvider<ContextPropagator> contextPropagators) {
    return new RetryBinding(properties, registry,
        RetryBinding.layering(AbstractPolicyBinding.contextPropagators(contextPropagators)));
  }
}
