package dev.bulwark.spring.autoconfigure;

import dev.bulwark.ContextPropagator;
import dev.bulwark.Clock;
import dev.bulwark.Registry;
import dev.bulwark.Scheduler;
import dev.bulwark.limit.LoadShedder;
import dev.bulwark.limit.LoadShedderConfig;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The registry and the binding of load shedders ({@code @LoadShed}). */
@Configuration(proxyBeanMethods = false)
class LoadShedderConfiguration {

  @Bean
  @ConditionalOnMissingRegistry(policy = LoadShedder.class, config = LoadShedderConfig.class)
  Registry<LoadShedder, LoadShedderConfig> loadShedderRegistry(BulwarkProperties properties,
      ObjectProvider<ContextPropagator> contextPropagators,
      ObjectProvider<Clock> clock, ObjectProvider<Scheduler> scheduler) {
    return AbstractPolicyBinding.newRegistry(
        LoadShedderBinding.layering(AbstractPolicyBinding.contextPropagators(contextPropagators)), properties,
        LoadShedderBinding.factory(clock.getIfUnique(), scheduler.getIfUnique()));
  }

  @Bean
  LoadShedderBinding loadShedderBinding(BulwarkProperties properties,
      Registry<LoadShedder, LoadShedderConfig> registry,
      ObjectProvider<ContextPropagator> contextPropagators) {
    return new LoadShedderBinding(properties, registry,
        LoadShedderBinding.layering(AbstractPolicyBinding.contextPropagators(contextPropagators)));
  }
}
