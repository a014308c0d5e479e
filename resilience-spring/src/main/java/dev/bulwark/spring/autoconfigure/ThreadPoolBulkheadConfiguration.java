package dev.bulwark.spring.autoconfigure;

import dev.bulwark.ContextPropagator;
import dev.bulwark.Clock;
import dev.bulwark.Registry;
import dev.bulwark.bulkhead.ThreadPoolBulkhead;
import dev.bulwark.bulkhead.ThreadPoolBulkheadConfig;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The registry and the binding of thread-pool bulkheads ({@code @Bulkhead(type = THREAD_POOL)}). */
@Configuration(proxyBeanMethods = false)
class ThreadPoolBulkheadConfiguration {

  @Bean(destroyMethod = "")
  @ConditionalOnMissingRegistry(policy = ThreadPoolBulkhead.class, config = ThreadPoolBulkheadConfig.class)
  Registry<ThreadPoolBulkhead, ThreadPoolBulkheadConfig> threadPoolBulkheadRegistry(BulwarkProperties properties,
      ObjectProvider<ContextPropagator> contextPropagators,
      ObjectProvider<Clock> clock) {
    return AbstractPolicyBinding.newRegistry(
        ThreadPoolBulkheadBinding.layering(AbstractPolicyBinding.contextPropagators(contextPropagators)), properties,
        ThreadPoolBulkheadBinding.factory(clock.getIfUnique()));
  }

  @Bean
  ThreadPoolBulkheadBinding threadPoolBulkheadBinding(BulwarkProperties properties,
      Registry<ThreadPoolBulkhead, ThreadPoolBulkheadConfig> registry,
      ObjectProvider<ContextPropagator> contextPropagators) {
    return new ThreadPoolBulkheadBinding(properties, registry,
        ThreadPoolBulkheadBinding.layering(AbstractPolicyBinding.contextPropagators(contextPropagators)));
  }
}
