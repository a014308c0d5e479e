package dev.bulwark.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.Registry;
import dev.bulwark.circuitbreaker.CircuitBreaker;
import dev.bulwark.circuitbreaker.CircuitBreakerConfig;
import dev.bulwark.spring.actuate.BulwarkHealthAutoConfiguration;
import dev.bulwark.spring.autoconfigure.BulwarkAutoConfiguration;
import java.lang.reflect.Method;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.core.ResolvableType;

/**
 * The health contributor's status while a breaker is open: UP by default, the configured status when asked,
 * absent when disabled. Reads the indicator reflectively, since its type is Boot 3's or Boot 4's.
 */
class HealthConfigurationTest {
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(BulwarkAutoConfiguration.class,
          BulwarkHealthAutoConfiguration.class))
      .withPropertyValues("bulwark.circuitbreaker.instances.inventory.minimum-number-of-calls=1");

  static String status(ApplicationContext context, String breakerState) throws Exception {
    @SuppressWarnings("unchecked")
    Registry<CircuitBreaker, CircuitBreakerConfig> breakers = (Registry<CircuitBreaker, CircuitBreakerConfig>)
        context.getBeanProvider(ResolvableType.forClassWithGenerics(Registry.class, CircuitBreaker.class,
            CircuitBreakerConfig.class)).getObject();
    CircuitBreaker inventory = breakers.find("inventory").orElseThrow();
    if (breakerState.equals("FORCED_OPEN")) {
      inventory.transitionToForcedOpen();
    }
    Object indicator = context.getBean("bulwarkHealthIndicator");
    Object health = indicator.getClass().getMethod("health").invoke(indicator);
    Object status = health.getClass().getMethod("getStatus").invoke(health);
    Method details = health.getClass().getMethod("getDetails");
    @SuppressWarnings("unchecked")
    Map<String, Map<String, Map<String, Object>>> byKind =
        (Map<String, Map<String, Map<String, Object>>>) details.invoke(health);
    assertThat(byKind.get("circuitbreaker").get("inventory").get("state")).isEqualTo(inventory.state().name());
    return (String) status.getClass().getMethod("getCode").invoke(status);
  }

  @Test
  void anOpenBreakerLeavesTheApplicationUpByDefault() {
    runner.run(context -> {
      assertThat(status(context, "CLOSED")).isEqualTo("UP");
      assertThat(status(context, "FORCED_OPEN")).isEqualTo("UP");
    });
  }

  @Test
  void theDegradedStatusIsConfigurable() {
    runner.withPropertyValues("bulwark.health.degraded-status=OUT_OF_SERVICE").run(context -> {
      assertThat(status(context, "CLOSED")).isEqualTo("UP");
      assertThat(status(context, "FORCED_OPEN")).isEqualTo("OUT_OF_SERVICE");
    });
  }

  @Test
  void theContributorCanBeSwitchedOff() {
    runner.withPropertyValues("bulwark.health.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean("bulwarkHealthIndicator"));
  }
}
