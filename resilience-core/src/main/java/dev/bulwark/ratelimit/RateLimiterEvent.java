package dev.bulwark.ratelimit;

/**
 * What happened in a {@link RateLimiter}. Events are immutable values, created only when a listener for their
 * type is registered, and delivered after the decision they describe.
 *
 * <pre>{@code
 * RateLimiter limiter = RateLimiter.builder("search")
 *     .config(config)
 *     .listener(RateLimiterEvent.Rejected.class, e -> throttled.increment())
 *     .build();
 * }</pre>
 */
public sealed interface RateLimiterEvent {

  /**
   * Returns the name of the rate limiter the event comes from.
   *
   * @return the name
   */
  String limiterName();

  /**
   * Permits were granted, possibly after a wait.
   *
   * @param limiterName the rate limiter's name
   * @param permits how many
   * @param waitNanos how long the caller waits (or waited) for them; zero if admitted at once
   */
  record Acquired(String limiterName, int permits, long waitNanos) implements RateLimiterEvent {}

  /**
   * Permits were refused.
   *
   * @param limiterName the rate limiter's name
   * @param permits how many were asked for
   * @param rejection why
   */
  record Rejected(String limiterName, int permits, RateLimitedException.Rejection rejection)
      implements RateLimiterEvent {}

  /**
   * The configuration was changed at run time.
   *
   * @param limiterName the rate limiter's name
   * @param from the previous configuration
   * @param to the new configuration
   */
  record ConfigChanged(String limiterName, RateLimiterConfig from, RateLimiterConfig to)
      implements RateLimiterEvent {}
}
