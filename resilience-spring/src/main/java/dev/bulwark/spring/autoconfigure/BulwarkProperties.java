package dev.bulwark.spring.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.core.Ordered;

/**
 * Bulwark's Spring Boot properties, under {@code bulwark.*}. Each primitive has named templates and named
 * instances; an instance inherits every option it does not set from its template, which inherits from the
 * {@code default} template, which inherits the core's documented defaults.
 *
 * <pre>{@code
 * bulwark:
 *   circuitbreaker:
 *     templates:
 *       default: { failure-rate-threshold: 50 }
 *     instances:
 *       inventory: { minimum-calls: 20 }
 * }</pre>
 */
@ConfigurationProperties(prefix = "bulwark")
public class BulwarkProperties {

  /** Circuit breakers: {@code @CircuitBreaker}. */
  @NestedConfigurationProperty
  private final PolicyGroup<CircuitBreakerOptions> circuitbreaker = new PolicyGroup<>();

  /** Retries: {@code @Retry}. */
  @NestedConfigurationProperty
  private final PolicyGroup<RetryOptions> retry = new PolicyGroup<>();

  /** Timeouts: {@code @Timeout}. */
  @NestedConfigurationProperty
  private final PolicyGroup<TimeoutOptions> timeout = new PolicyGroup<>();

  /** Semaphore bulkheads: {@code @Bulkhead}. */
  @NestedConfigurationProperty
  private final PolicyGroup<BulkheadOptions> bulkhead = new PolicyGroup<>();

  /** Thread-pool bulkheads: {@code @Bulkhead(type = THREAD_POOL)}. */
  @NestedConfigurationProperty
  private final PolicyGroup<ThreadPoolBulkheadOptions> threadPoolBulkhead = new PolicyGroup<>();

  /** Rate limiters: {@code @RateLimiter}. */
  @NestedConfigurationProperty
  private final PolicyGroup<RateLimiterOptions> ratelimiter = new PolicyGroup<>();

  /** Load shedders: {@code @LoadShed}. */
  @NestedConfigurationProperty
  private final PolicyGroup<LoadShedderOptions> loadshedder = new PolicyGroup<>();

  /** Idempotency: {@code @Idempotent}. */
  @NestedConfigurationProperty
  private final PolicyGroup<IdempotencyOptions> idempotency = new PolicyGroup<>();

  /** Settings of the one aspect that applies the annotations. */
  @NestedConfigurationProperty
  private final Aspect aspect = new Aspect();

  /** Settings of the health contributor. */
  @NestedConfigurationProperty
  private final Health health = new Health();

  /**
   * Returns the circuitbreaker templates and instances.
   *
   * @return the group
   */
  public PolicyGroup<CircuitBreakerOptions> getCircuitbreaker() {
    return circuitbreaker;
  }

  /**
   * Returns the retry templates and instances.
   *
   * @return the group
   */
  public PolicyGroup<RetryOptions> getRetry() {
    return retry;
  }

  /**
   * Returns the timeout templates and instances.
   *
   * @return the group
   */
  public PolicyGroup<TimeoutOptions> getTimeout() {
    return timeout;
  }

  /**
   * Returns the bulkhead templates and instances.
   *
   * @return the group
   */
  public PolicyGroup<BulkheadOptions> getBulkhead() {
    return bulkhead;
  }

  /**
   * Returns the threadPoolBulkhead templates and instances.
   *
   * @return the group
   */
  public PolicyGroup<ThreadPoolBulkheadOptions> getThreadPoolBulkhead() {
    return threadPoolBulkhead;
  }

  /**
   * Returns the ratelimiter templates and instances.
   *
   * @return the group
   */
  public PolicyGroup<RateLimiterOptions> getRatelimiter() {
    return ratelimiter;
  }

  /**
   * Returns the loadshedder templates and instances.
   *
   * @return the group
   */
  public PolicyGroup<LoadShedderOptions> getLoadshedder() {
    return loadshedder;
  }

  /**
   * Returns the idempotency templates and instances.
   *
   * @return the group
   */
  public PolicyGroup<IdempotencyOptions> getIdempotency() {
    return idempotency;
  }

  /**
   * Returns the aspect settings.
   *
   * @return the aspect settings
   */
  public Aspect getAspect() {
    return aspect;
  }

  /**
   * Returns the health settings.
   *
   * @return the health settings
   */
  public Health getHealth() {
    return health;
  }

  /** Settings of the aspect. */
  public static class Aspect {
    /**
     * The order of Bulwark's advisor among other advisors. The default puts it outside
     * {@code @Transactional} (whose order is the lowest precedence), so a retry retries the whole
     * transaction.
     */
    private int order = Ordered.LOWEST_PRECEDENCE - 100;

    /**
     * Returns the order of the advisor.
     *
     * @return the order
     */
    public int getOrder() {
      return order;
    }

    /**
     * Sets the order of the advisor.
     *
     * @param order the order
     */
    public void setOrder(int order) {
      this.order = order;
    }
  }

  /** Settings of the health contributor. */
  public static class Health {
    /** Whether the {@code bulwark} health contributor is registered (when Actuator is present). */
    private boolean enabled = true;

    /**
     * The health status reported while an instance is degraded (a circuit breaker open or forced open).
     * The default, UP, keeps the application's health unchanged: an open breaker is Bulwark doing its job.
     * Set DOWN or OUT_OF_SERVICE to take the application out of rotation instead.
     */
    private String degradedStatus = "UP";

    /**
     * Returns whether the health contributor is registered.
     *
     * @return whether it is enabled
     */
    public boolean isEnabled() {
      return enabled;
    }

    /**
     * Sets whether the health contributor is registered.
     *
     * @param enabled whether it is enabled
     */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /**
     * Returns the status reported while an instance is degraded.
     *
     * @return the status code
     */
    public String getDegradedStatus() {
      return degradedStatus;
    }

    /**
     * Sets the status reported while an instance is degraded.
     *
     * @param degradedStatus the status code, such as {@code DOWN}
     */
    public void setDegradedStatus(String degradedStatus) {
      this.degradedStatus = degradedStatus;
    }
  }
}
