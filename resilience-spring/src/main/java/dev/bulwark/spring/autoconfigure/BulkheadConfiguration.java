package dev.bulwark.spring.autoconfigure;

import dev.bulwark.ContextPropagator;
import dev.bulwark.Clock;
import dev.bulwark.Registry;
import dev.bulwark.Scheduler;
import dev.bulwark.Sleeper;
import dev.bulwark.bulkhead.Bulkhead;
import dev.bulwark.bulkhead.BulkheadConfig;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The registry and the binding of semaphore bulkheads ({@code @Bulkhead}). */
@Configuration(proxyBeanMethods = false)
class BulkheadConfiguration {

  @Bean
  @ConditionalOnMissingRegistry(policy = Bulkhead.class, config = BulkheadConfig.class)
  Registry<Bulkhead, BulkheadConfig> bulkheadRegistry(BulwarkProperties properties,
      ObjectProvider<ContextPropagator> contextPropagators, ObjectProvider<Clock> clock,
      ObjectProvider<Sleeper> sleeper, ObjectProvider<Scheduler> scheduler) {
    return AbstractPolicyBinding.newRegistry(
        BulkheadBinding.layering(AbstractPolicyBinding.contextPropagators(contextPropagators)), properties,
        BulkheadBinding.factory(clock.getIfUnique(), sleeper.getIfUnique(), scheduler.getIfUnique()));
  }

  @Bean
  BulkheadBinding bulkheadBinding(BulwarkProperties properties, Registry<Bulkhead, BulkheadConfig> registry,
      ObjectProvider<ContextPropagator> contextPropagators) {
    return new BulkheadBinding(properties, registry,
        BulkheadBinding.layering(AbstractPolicyBinding.contextPropagators(contextPropagators)));
  }
}
