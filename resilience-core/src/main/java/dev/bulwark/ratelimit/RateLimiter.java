package dev.bulwark.ratelimit;

import dev.bulwark.Clock;
import dev.bulwark.EventListener;
import dev.bulwark.PermitPolicy;
import dev.bulwark.PolicyKind;
import dev.bulwark.Scheduler;
import dev.bulwark.Sleeper;
import dev.bulwark.internal.Check;
import dev.bulwark.internal.Listeners;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * A token-bucket rate limiter: admits {@code limitForPeriod} permits per {@code period} on average and at
 * most {@code burstCapacity} at once, with one atomic word and one compare-and-set per decision.
 *
 * <p>The bucket is the Generic Cell Rate Algorithm (GCRA, ITU-T I.371): instead of counting tokens it keeps
 * the <em>theoretical arrival time</em> {@code TAT}, the instant at which the bucket would be full again.
 * With the emission interval {@code T = period / limitForPeriod} and the burst {@code B}, a request for
 * {@code n} permits at time {@code now} computes {@code TAT' = max(TAT, now) + n*T} and is admitted, with
 * no wait, iff {@code TAT' - now <= B*T} (the burst tolerance of GCRA is {@code tau = (B - 1)*T}, and the
 * condition is {@code TAT' - now <= tau + T}); it is admitted after a wait of {@code TAT' - now - B*T} if
 * that fits the allowed wait (the permits are reserved and the caller parks); otherwise nothing changes and
 * the caller learns that wait. A request for more than {@code B} permits is always refused: the bucket never
 * holds that many. So over any interval of length {@code t}, at most {@code t/T + B} permits are admitted,
 * and under sustained demand no fewer than {@code t/T - 1}.
 *
 * <p>{@code T} is kept exact, as a fraction, so the rate never drifts, whatever the period and limit (3 per
 * second is 333,333,333 1/3 ns). The rate can change at run time ({@link #changeConfig(RateLimiterConfig)})
 * within the same one-word atomicity; see {@code docs/rate-limiter.md} for what happens to permits owed.
 *
 * <pre>{@code
 * RateLimiter search = RateLimiter.of("search", RateLimiterConfig.builder()
 *     .limitForPeriod(100).period(Duration.ofSeconds(1)).build());
 * long waitNanos = search.tryAcquire(1);        // 0: go; otherwise how long until a permit would be free
 * Results r = search.call(() -> index.search(q));   // RateLimitedException (with retry-after) if over rate
 * }</pre>
 */
public interface RateLimiter extends PermitPolicy {

  /**
   * Creates a rate limiter with the system clock, the parking sleeper, the default scheduler and no
   * listeners.
   *
   * @param name the name, used in metrics, events and rejections
   * @param config the configuration
   * @return a new rate limiter, its bucket full
   */
  static RateLimiter of(String name, RateLimiterConfig config) {
    return builder(name).config(config).build();
  }

  /**
   * Creates a rate limiter with the {@linkplain RateLimiterConfig#defaults() defaults}.
   *
   * @param name the name
   * @return a new rate limiter
   */
  static RateLimiter ofDefaults(String name) {
    return builder(name).build();
  }

  /**
   * Starts a rate limiter with full control over its configuration, time and listeners.
   *
   * @param name the name
   * @return a builder
   */
  static Builder builder(String name) {
    return new Builder(name);
  }

  /**
   * Returns {@link PolicyKind#RATE_LIMITER}.
   *
   * @return the kind
   */
  @Override
  default PolicyKind kind() {
    return PolicyKind.RATE_LIMITER;
  }

  /**
   * Takes {@code permits} permits if they are available now, without waiting and without allocating.
   *
   * @param permits how many, at least 1
   * @return zero if the permits were taken; otherwise the nanoseconds until they would be available (nothing
   *     is taken), or {@link Long#MAX_VALUE} if more permits are asked for than the burst capacity (never
   *     admitted)
   * @throws IllegalArgumentException if {@code permits < 1}
   */
  long tryAcquire(int permits);

  /**
   * Takes {@code permits} permits, waiting for them up to {@link RateLimiterConfig#maxWait()} (shortened by
   * the current {@link dev.bulwark.Deadline}).
   *
   * @param permits how many, at least 1
   * @throws RateLimitedException if they cannot be had within the wait, or the caller is interrupted while
   *     waiting (the interrupt flag is then set again)
   */
  void acquire(int permits);

  /**
   * Takes {@code permits} permits, waiting for them up to {@code maxWait} (shortened by the current
   * {@link dev.bulwark.Deadline}). If they can be had within that wait they are reserved at once, so later
   * callers queue behind, and the caller parks until their time.
   *
   * @param permits how many, at least 1 (more than the burst capacity are always refused)
   * @param maxWait the longest wait, in [0, 1 day] (less for rates whose exact time scale is very fine: see
   *     {@code docs/rate-limiter.md})
   * @throws RateLimitedException if they cannot be had within the wait, or the caller is interrupted while
   *     waiting (the interrupt flag is then set again; the permits are given back if nobody reserved after)
   */
  void acquire(int permits, Duration maxWait);

  /**
   * Takes {@code permits} permits asynchronously: the returned future completes when they are available (no
   * thread is held meanwhile: the completion is scheduled on the {@link Scheduler}), or fails at once with a
   * {@link RateLimitedException} if that would take longer than {@link RateLimiterConfig#maxWait()}.
   * Cancelling the future before it completes gives the permits back if nobody reserved after.
   *
   * @param permits how many, at least 1
   * @return a future completed when the permits are granted
   */
  CompletableFuture<Void> acquireAsync(int permits);

  /**
   * Changes the rate, burst and wait at run time. Permits already owed carry over as a count (rounded up)
   * and are repaid at the new rate; an idle bucket stays full (capped at the new burst); callers already
   * waiting keep the times they reserved.
   *
   * @param config the new configuration
   */
  void changeConfig(RateLimiterConfig config);

  /**
   * Returns the configuration in force (the last one set by {@link #changeConfig(RateLimiterConfig)}).
   *
   * @return the configuration
   */
  RateLimiterConfig config();

  /**
   * Returns the read-only metrics view.
   *
   * @return the metrics
   */
  Metrics metrics();

  /**
   * A live, read-only view of a rate limiter's state.
   *
   * <pre>{@code
   * RateLimiter.Metrics m = limiter.metrics();
   * gauge("bulwark.ratelimiter.available", m::availablePermits);
   * }</pre>
   */
  interface Metrics {
    /**
     * Returns how many permits could be taken now without waiting; negative when callers have reserved
     * permits ahead (they are waiting for them).
     *
     * @return the available permits, at most the burst capacity
     */
    long availablePermits();

    /**
     * Returns how many callers are waiting for reserved permits.
     *
     * @return waiting callers (threads parked and asynchronous acquisitions pending)
     */
    int waitingCalls();

    /**
     * Returns how many requests have been refused since creation.
     *
     * @return the lifetime count of rejections
     */
    long rejectedCalls();
  }

  /**
   * Builds a {@link RateLimiter}. Each option may be set once.
   *
   * <pre>{@code
   * ManualClock clock = new ManualClock();
   * RateLimiter limiter = RateLimiter.builder("test")
   *     .config(RateLimiterConfig.builder().limitForPeriod(10).build())
   *     .clock(clock).sleeper(clock).scheduler(clock)
   *     .build();
   * }</pre>
   */
  final class Builder {
    private final String name;
    private RateLimiterConfig config;
    private Clock clock;
    private Sleeper sleeper;
    private Scheduler scheduler;
    private final Listeners.Collector<RateLimiterEvent> listeners = new Listeners.Collector<>();

    private Builder(String name) {
      this.name = Check.name("name", name);
    }

    /**
     * Sets the configuration. Default {@link RateLimiterConfig#defaults()}.
     *
     * @param config the configuration
     * @return this builder
     */
    public Builder config(RateLimiterConfig config) {
      Objects.requireNonNull(config, "config");
      if (this.config != null) {
        throw new IllegalStateException("config was already set to " + this.config);
      }
      this.config = config;
      return this;
    }

    /**
     * Sets the clock the bucket runs on. Default {@link Clock#system()}.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      Objects.requireNonNull(clock, "clock");
      if (this.clock != null) {
        throw new IllegalStateException("clock was already set to " + this.clock);
      }
      this.clock = clock;
      return this;
    }

    /**
     * Sets how a synchronous caller waits for reserved permits. Default {@link Sleeper#parking()}.
     *
     * @param sleeper the sleeper
     * @return this builder
     */
    public Builder sleeper(Sleeper sleeper) {
      Objects.requireNonNull(sleeper, "sleeper");
      if (this.sleeper != null) {
        throw new IllegalStateException("sleeper was already set to " + this.sleeper);
      }
      this.sleeper = sleeper;
      return this;
    }

    /**
     * Sets the scheduler that completes asynchronous acquisitions. Default
     * {@link Scheduler#defaultScheduler()}.
     *
     * @param scheduler the scheduler
     * @return this builder
     */
    public Builder scheduler(Scheduler scheduler) {
      Objects.requireNonNull(scheduler, "scheduler");
      if (this.scheduler != null) {
        throw new IllegalStateException("scheduler was already set to " + this.scheduler);
      }
      this.scheduler = scheduler;
      return this;
    }

    /**
     * Adds a listener for events of {@code type} (and its subtypes).
     *
     * @param type the event class
     * @param listener the listener
     * @param <E> the event type
     * @return this builder
     */
    public <E extends RateLimiterEvent> Builder listener(Class<E> type, EventListener<? super E> listener) {
      listeners.add(type, listener);
      return this;
    }

    /**
     * Builds the rate limiter, its bucket full.
     *
     * @return the rate limiter
     */
    public RateLimiter build() {
      return new GcraRateLimiter(name,
          config != null ? config : RateLimiterConfig.defaults(),
          clock != null ? clock : Clock.system(),
          sleeper != null ? sleeper : Sleeper.parking(),
          scheduler != null ? scheduler : Scheduler.defaultScheduler(),
          listeners.build());
    }
  }
}
