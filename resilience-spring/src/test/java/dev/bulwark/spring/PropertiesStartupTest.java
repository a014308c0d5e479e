package dev.bulwark.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.Registry;
import dev.bulwark.circuitbreaker.CircuitBreaker;
import dev.bulwark.circuitbreaker.CircuitBreakerConfig;
import dev.bulwark.retry.Retry;
import dev.bulwark.retry.RetryConfig;
import dev.bulwark.spring.autoconfigure.BulwarkAutoConfiguration;
import dev.bulwark.spring.autoconfigure.BulwarkRuntime;
import dev.bulwark.timeout.Timeout;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.ResolvableType;

/**
 * Properties bind for every primitive, inherit through templates, and fail startup clearly: an unknown
 * template, a value the core refuses (naming the property path, the rule and the value), a value of the
 * wrong type, conflicting fallbacks. The application's own beans are picked up, not replaced.
 */
class PropertiesStartupTest {
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(BulwarkAutoConfiguration.class));

  static <P extends dev.bulwark.Policy> P instance(org.springframework.context.ApplicationContext context,
      Class<P> policy, Class<?> config, String name) {
    @SuppressWarnings("unchecked")
    Registry<P, ?> registry = (Registry<P, ?>) context.getBeanProvider(
        ResolvableType.forClassWithGenerics(Registry.class, policy, config)).getObject();
    return registry.find(name).orElseThrow();
  }

  /** The first exception of {@code type} in the cause chain: where Spring wraps it depends on the phase. */
  static Throwable invalid(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof InvalidConfigurationPropertyValueException) {
        return t;
      }
    }
    throw new AssertionError("no InvalidConfigurationPropertyValueException in " + failure, failure);
  }

  @Test
  void instancesInheritFromTheirTemplateAndTheDefaultTemplate() {
    runner.withPropertyValues(
        "bulwark.circuitbreaker.templates.default.failure-rate-threshold=40",
        "bulwark.circuitbreaker.templates.slow.slow-call-duration=2s",
        "bulwark.circuitbreaker.templates.slow.slow-call-rate-threshold=60",
        "bulwark.circuitbreaker.instances.inventory.template=slow",
        "bulwark.circuitbreaker.instances.inventory.slow-call-rate-threshold=70",
        "bulwark.circuitbreaker.instances.plain.minimum-number-of-calls=7",
        "bulwark.retry.instances.pricing.max-attempts=4",
        "bulwark.retry.instances.pricing.backoff=EXPONENTIAL",
        "bulwark.retry.instances.pricing.delay=50ms",
        "bulwark.retry.instances.pricing.max-delay=1s",
        "bulwark.retry.instances.pricing.retry-exceptions=java.io.IOException",
        "bulwark.timeout.instances.search.timeout=250ms")
        .run(context -> {
          assertThat(context).hasNotFailed();
          CircuitBreakerConfig inventory = instance(context, CircuitBreaker.class, CircuitBreakerConfig.class,
              "inventory").config();
          assertThat(inventory.failureRateThreshold()).isEqualTo(40.0);
          assertThat(inventory.slowCallRateThreshold()).isEqualTo(70.0);
          assertThat(inventory.classifier().slowCallDurationNanos()).isEqualTo(2_000_000_000L);
          CircuitBreakerConfig plain = instance(context, CircuitBreaker.class, CircuitBreakerConfig.class, "plain")
              .config();
          assertThat(plain.failureRateThreshold()).isEqualTo(40.0);
          assertThat(plain.minimumNumberOfCalls()).isEqualTo(7);
          assertThat(plain.classifier().slowCallDurationNanos()).isEqualTo(
              CircuitBreakerConfig.defaults().classifier().slowCallDurationNanos());
          RetryConfig pricing = instance(context, Retry.class, RetryConfig.class, "pricing").config();
          assertThat(pricing.maxAttempts()).isEqualTo(4);
          assertThat(pricing.classifier().classifyFailure(new java.io.IOException()))
              .isEqualTo(dev.bulwark.Outcome.FAILURE);
          assertThat(instance(context, Timeout.class, dev.bulwark.timeout.TimeoutConfig.class, "search").config()
              .timeout()).hasMillis(250);
        });
  }

  @Test
  void anUnknownTemplateFailsStartupNamingTheProperty() {
    runner.withPropertyValues("bulwark.circuitbreaker.templates.slow.failure-rate-threshold=30",
        "bulwark.circuitbreaker.instances.inventory.template=slwo")
        .run(context -> {
          assertThat(context).hasFailed();
          assertThat(invalid(context.getStartupFailure()))
              .hasMessageContaining("bulwark.circuitbreaker.instances.inventory.template")
              .hasMessageContaining("slwo")
              .hasMessageContaining("unknown configuration template 'slwo'; known templates: [default, slow]");
        });
  }

  @Test
  void aValueTheCoreRefusesFailsStartupNamingThePathTheRuleAndTheValue() {
    runner.withPropertyValues("bulwark.circuitbreaker.instances.inventory.failure-rate-threshold=120")
        .run(context -> {
          assertThat(context).hasFailed();
          assertThat(invalid(context.getStartupFailure()))
              .hasMessage("Property bulwark.circuitbreaker.instances.inventory.failure-rate-threshold with value"
                  + " '120.0' is invalid: failureRateThreshold must be in (0, 100], was 120.0");
        });
    runner.withPropertyValues("bulwark.retry.templates.default.max-attempts=0")
        .run(context -> assertThat(invalid(context.getStartupFailure()))
            .hasMessageContaining("bulwark.retry.templates.default.max-attempts")
            .hasMessageContaining("'0'"));
    runner.withPropertyValues("bulwark.timeout.instances.search.timeout=-1s")
        .run(context -> assertThat(invalid(context.getStartupFailure()))
            .hasMessageContaining("bulwark.timeout.instances.search.timeout"));
  }

  @Test
  void contradictoryOptionsFailStartupNamingTheInstance() {
    runner.withPropertyValues("bulwark.circuitbreaker.instances.x.sliding-window-type=CONSECUTIVE_FAILURES",
        "bulwark.circuitbreaker.instances.x.sliding-window-size=10")
        .run(context -> assertThat(context.getStartupFailure()).rootCause()
            .hasMessageContaining("does not apply to a CONSECUTIVE_FAILURES breaker"));
    runner.withPropertyValues("bulwark.circuitbreaker.instances.x.sliding-window-type=CONSECUTIVE_FAILURES",
        "bulwark.circuitbreaker.instances.x.sliding-window-size=10")
        .run(context -> assertThat(context.getStartupFailure())
            .hasStackTraceContaining("bulwark.circuitbreaker.instances.x: slidingWindowSize"));
  }

  @Test
  void aValueOfTheWrongTypeFailsStartupThroughSpringBootsBinding() {
    runner.withPropertyValues("bulwark.retry.instances.pricing.max-attempts=many")
        .run(context -> assertThat(context.getStartupFailure())
            .hasStackTraceContaining("bulwark.retry.instances.pricing.max-attempts"));
  }

  static class Conflicting {
    @dev.bulwark.spring.annotation.Retry(name = "r", fallbackMethod = "one")
    @dev.bulwark.spring.annotation.CircuitBreaker(name = "c", fallbackMethod = "two")
    public String call() {
      return "x";
    }

    String one() {
      return "1";
    }

    String two() {
      return "2";
    }
  }

  @Test
  void twoDifferentFallbacksOnOneMethodFailStartup() {
    runner.withBean(Conflicting.class).run(context -> assertThat(context.getStartupFailure())
        .hasMessageContaining(Conflicting.class.getName() + ".call() names different fallback methods [one, two]"));
  }

  @Test
  void theApplicationsIdempotencyStoreIsUsed() {
    dev.bulwark.idempotency.InMemoryIdempotencyStore store = dev.bulwark.idempotency.InMemoryIdempotencyStore.create();
    runner.withBean(dev.bulwark.idempotency.IdempotencyStore.class, () -> store)
        .withPropertyValues("bulwark.idempotency.instances.payments.ttl=2h")
        .run(context -> {
          dev.bulwark.idempotency.Idempotency payments = instance(context, dev.bulwark.idempotency.Idempotency.class,
              dev.bulwark.idempotency.IdempotencyConfig.class, "payments");
          assertThat(payments.store()).isSameAs(store);
          assertThat(payments.config().ttl()).hasHours(2);
        });
  }

  static class BadPriority {
    @dev.bulwark.spring.annotation.LoadShed(name = "api", priority = 101)
    public String call() {
      return "x";
    }
  }

  @Test
  void aLoadShedPriorityOutOfRangeFailsStartup() {
    runner.withBean(BadPriority.class).run(context -> assertThat(context.getStartupFailure())
        .hasMessageContaining("@LoadShed(name = \"api\") on " + BadPriority.class.getName()
            + ".call: priority must be in [0, 100] or -1 for the shedder's default, was 101"));
  }

  @Test
  void everyOtherPrimitiveBindsItsProperties() {
    runner.withPropertyValues(
        "bulwark.bulkhead.instances.b.max-concurrent-calls=7",
        "bulwark.bulkhead.instances.b.max-wait=20ms",
        "bulwark.thread-pool-bulkhead.instances.t.max-thread-pool-size=3",
        "bulwark.thread-pool-bulkhead.instances.t.queue-capacity=9",
        "bulwark.ratelimiter.instances.r.limit-for-period=11",
        "bulwark.ratelimiter.instances.r.period=2s",
        "bulwark.loadshedder.instances.l.algorithm=AIMD",
        "bulwark.loadshedder.instances.l.max-limit=40",
        "bulwark.loadshedder.instances.l.max-queue-size=5",
        "bulwark.loadshedder.instances.l.default-priority=75")
        .run(context -> {
          assertThat(context).hasNotFailed();
          dev.bulwark.bulkhead.BulkheadConfig b = instance(context, dev.bulwark.bulkhead.Bulkhead.class,
              dev.bulwark.bulkhead.BulkheadConfig.class, "b").config();
          assertThat(b.maxConcurrentCalls()).isEqualTo(7);
          assertThat(b.maxWait()).hasMillis(20);
          dev.bulwark.bulkhead.ThreadPoolBulkheadConfig t = instance(context,
              dev.bulwark.bulkhead.ThreadPoolBulkhead.class, dev.bulwark.bulkhead.ThreadPoolBulkheadConfig.class,
              "t").config();
          assertThat(t.maxThreadPoolSize()).isEqualTo(3);
          assertThat(t.queueCapacity()).isEqualTo(9);
          dev.bulwark.ratelimit.RateLimiterConfig r = instance(context, dev.bulwark.ratelimit.RateLimiter.class,
              dev.bulwark.ratelimit.RateLimiterConfig.class, "r").config();
          assertThat(r.limitForPeriod()).isEqualTo(11);
          assertThat(r.period()).hasSeconds(2);
          dev.bulwark.limit.LoadShedderConfig l = instance(context, dev.bulwark.limit.LoadShedder.class,
              dev.bulwark.limit.LoadShedderConfig.class, "l").config();
          assertThat(l.limiter().algorithm()).isInstanceOf(dev.bulwark.limit.AimdLimit.class);
          assertThat(l.maxQueueSize()).isEqualTo(5);
          assertThat(l.defaultPriority()).isEqualTo(dev.bulwark.limit.Priority.HIGH);
        });
    runner.withPropertyValues("bulwark.ratelimiter.instances.r.limit-for-period=0")
        .run(context -> assertThat(invalid(context.getStartupFailure()))
            .hasMessageContaining("bulwark.ratelimiter.instances.r.limit-for-period"));
    runner.withPropertyValues("bulwark.loadshedder.instances.l.default-priority=300")
        .run(context -> assertThat(invalid(context.getStartupFailure()))
            .hasMessageContaining("bulwark.loadshedder.instances.l.default-priority")
            .hasMessageContaining("300"));
  }

  static class UsesUserBreaker {
    @dev.bulwark.spring.annotation.CircuitBreaker(name = "mine")
    public String call() {
      return "x";
    }
  }

  @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
  static class OwnBeans {
    static final CircuitBreaker MINE = CircuitBreaker.of("mine",
        CircuitBreakerConfig.builder().minimumNumberOfCalls(3).build());
    static final Registry<Retry, RetryConfig> OWN_RETRIES =
        Registry.builder(RetryConfig.defaults(), Retry::of).build();

    @org.springframework.context.annotation.Bean
    CircuitBreaker myBreaker() {
      return MINE;
    }

    @org.springframework.context.annotation.Bean
    Registry<Retry, RetryConfig> ownRetries() {
      return OWN_RETRIES;
    }
  }

  @Test
  void theApplicationsOwnPolicyBeansAndRegistriesArePickedUp() {
    CircuitBreaker mine = OwnBeans.MINE;
    Registry<Retry, RetryConfig> ownRetries = OwnBeans.OWN_RETRIES;
    runner.withUserConfiguration(OwnBeans.class)
        .withBean(UsesUserBreaker.class)
        .withPropertyValues("bulwark.retry.instances.pricing.max-attempts=2")
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(instance(context, CircuitBreaker.class, CircuitBreakerConfig.class, "mine")).isSameAs(mine);
          BulwarkRuntime runtime = context.getBean(BulwarkRuntime.class);
          assertThat(runtime.binding("retry").orElseThrow().registry()).isSameAs(ownRetries);
          assertThat(ownRetries.find("pricing").orElseThrow().config().maxAttempts()).isEqualTo(2);
          assertThat(runtime.binding("circuitbreaker").orElseThrow().registry())
              .isNotSameAs(ownRetries);
        });
  }
}
