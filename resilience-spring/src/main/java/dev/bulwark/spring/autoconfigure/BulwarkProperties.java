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
  private final CircuitBreakerGroup circuitbreaker = new CircuitBreakerGroup();

  /** Retries: {@code @Retry}. */
  @NestedConfigurationProperty
  private final RetryGroup retry = new RetryGroup();

  /** Timeouts: {@code @Timeout}. */
  @NestedConfigurationProperty
  private final TimeoutGroup timeout = new TimeoutGroup();

  /** Semaphore bulkheads: {@code @Bulkhead}. */
  @NestedConfigurationProperty
  private final BulkheadGroup bulkhead = new BulkheadGroup();

  /** Thread-pool bulkheads: {@code @Bulkhead(type = THREAD_POOL)}. */
  @NestedConfigurationProperty
  private final ThreadPoolBulkheadGroup threadPoolBulkhead = new ThreadPoolBulkheadGroup();

  /** Rate limiters: {@code @RateLimiter}. */
  @NestedConfigurationProperty
  private final RateLimiterGroup ratelimiter = new RateLimiterGroup();

  /** Load shedders: {@code @LoadShed}. */
  @NestedConfigurationProperty
  private final LoadShedderGroup loadshedder = new LoadShedderGroup();

  /** Idempotency: {@code @Idempotent}. */
  @NestedConfigurationProperty
  private final IdempotencyGroup idempotency = new IdempotencyGroup();

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
  public CircuitBreakerGroup getCircuitbreaker() {
    return circuitbreaker;
  }

  /**
   * Returns the retry templates and instances.
   *
   * @return the group
   */
  public RetryGroup getRetry() {
    return retry;
  }

  /**
   * Returns the timeout templates and instances.
   *
   * @return the group
   */
  public TimeoutGroup getTimeout() {
    return timeout;
  }

  /**
   * Returns the bulkhead templates and instances.
   *
   * @return the group
   */
  public BulkheadGroup getBulkhead() {
    return bulkhead;
  }

  /**
   * Returns the threadPoolBulkhead templates and instances.
   *
   * @return the group
   */
  public ThreadPoolBulkheadGroup getThreadPoolBulkhead() {
    return threadPoolBulkhead;
  }

  /**
   * Returns the ratelimiter templates and instances.
   *
   * @return the group
   */
  public RateLimiterGroup getRatelimiter() {
    return ratelimiter;
  }

  /**
   * Returns the loadshedder templates and instances.
   *
   * @return the group
   */
  public LoadShedderGroup getLoadshedder() {
    return loadshedder;
  }

  /**
   * Returns the idempotency templates and instances.
   *
   * @return the group
   */
  public IdempotencyGroup getIdempotency() {
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
