package dev.bulwark.spring.autoconfigure;

import dev.bulwark.ContextPropagator;
import dev.bulwark.Clock;
import dev.bulwark.Registry;
import dev.bulwark.Scheduler;
import dev.bulwark.Sleeper;
import dev.bulwark.ratelimit.RateLimiter;
import dev.bulwark.ratelimit.RateLimiterConfig;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The registry and the binding of rate limiters ({@code @RateLimiter}). */
@Configuration(proxyBeanMethods = false)
class RateLimiterConfiguration {

  @Bean
  @ConditionalOnMissingRegistry(policy = RateLimiter.class, config = RateLimiterConfig.class)
  Registry<RateLimiter, RateLimiterConfig> rateLimiterRegistry(BulwarkProperties properties,
      ObjectProvider<ContextPropagator> contextPropagators,
      ObjectProvider<Clock> clock, ObjectProvider<Sleeper> sleeper, ObjectProvider<Scheduler> scheduler) {
    return AbstractPolicyBinding.newRegistry(
        RateLimiterBinding.layering(AbstractPolicyBinding.contextPropagators(contextPropagators)), properties,
        RateLimiterBinding.factory(clock.getIfUnique(), sleeper.getIfUnique(), scheduler.getIfUnique()));
  }

  @Bean
  RateLimiterBinding rateLimiterBinding(BulwarkProperties properties,
      Registry<RateLimiter, RateLimiterConfig> registry,
      ObjectProvider<ContextPropagator> contextPropagators) {
    return new RateLimiterBinding(properties, registry,
        RateLimiterBinding.layering(AbstractPolicyBinding.contextPropagators(contextPropagators)));
  }
}
