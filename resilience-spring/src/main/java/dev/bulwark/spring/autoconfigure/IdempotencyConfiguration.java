package dev.bulwark.spring.autoconfigure;

import dev.bulwark.Clock;
import dev.bulwark.Registry;
import dev.bulwark.Scheduler;
import dev.bulwark.Sleeper;
import dev.bulwark.idempotency.Idempotency;
import dev.bulwark.idempotency.IdempotencyConfig;
import dev.bulwark.idempotency.IdempotencyStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The registry and the binding of idempotency ({@code @Idempotent}). */
@Configuration(proxyBeanMethods = false)
class IdempotencyConfiguration {

  @Bean
  @ConditionalOnMissingRegistry(policy = Idempotency.class, config = IdempotencyConfig.class)
  Registry<Idempotency, IdempotencyConfig> idempotencyRegistry(BulwarkProperties properties,
      ObjectProvider<IdempotencyStore> store, ObjectProvider<Clock> clock, ObjectProvider<Sleeper> sleeper,
      ObjectProvider<Scheduler> scheduler) {
    return AbstractPolicyBinding.newRegistry(IdempotencyBinding.LAYERING, properties,
        IdempotencyBinding.factory(store.getIfUnique(), clock.getIfUnique(), sleeper.getIfUnique(),
            scheduler.getIfUnique()));
  }

  @Bean
  IdempotencyBinding idempotencyBinding(BulwarkProperties properties,
      Registry<Idempotency, IdempotencyConfig> registry) {
    return new IdempotencyBinding(properties, registry);
  }
}
