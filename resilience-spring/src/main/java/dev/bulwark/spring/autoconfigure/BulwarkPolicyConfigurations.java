package dev.bulwark.spring.autoconfigure;

import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * One registry bean and one binding bean per primitive. A registry the application declares itself (a bean
 * of type {@code Registry<CircuitBreaker, CircuitBreakerConfig>}, say) is used instead of Bulwark's. The
 * application's {@code dev.bulwark.Clock}, {@code Sleeper} and {@code Scheduler} beans, if any, drive every
 * instance Bulwark creates (tests declare the core's {@code ManualClock}).
 */
@Configuration(proxyBeanMethods = false)
@Import({CircuitBreakerConfiguration.class, RetryConfiguration.class, TimeoutConfiguration.class,
    BulkheadConfiguration.class, ThreadPoolBulkheadConfiguration.class, RateLimiterConfiguration.class,
    LoadShedderConfiguration.class, IdempotencyConfiguration.class})
class BulwarkPolicyConfigurations {
}
