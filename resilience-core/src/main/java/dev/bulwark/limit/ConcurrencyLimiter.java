package dev.bulwark.limit;

import dev.bulwark.Clock;
import dev.bulwark.EventListener;
import dev.bulwark.PermitPolicy;
import dev.bulwark.internal.Check;
import dev.bulwark.internal.Listeners;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * An adaptive concurrency limit: admits a call only while fewer than the limit are in flight, and lets a
 * {@link LimitAlgorithm} move the limit to where the dependency's latency says its real capacity is.
 *
 * <p>Rejecting a tenth of the work on purpose beats failing all of it: past its capacity a service only queues,
 * latency grows until callers time out, and it serves nothing in time. A fixed limit is wrong the day capacity
 * changes; an adaptive one follows it. The limiter measures each call's round-trip time itself, from admission
 * to completion on its {@link Clock}, aggregates the calls of each window into a histogram, and once per window
 * one thread runs the algorithm and publishes the new limit. Admission is one CAS on a word holding the
 * in-flight count, so the limit is never exceeded, and the call path takes no lock and allocates nothing.
 *
 * <p>Two layers: application code uses {@link #call}, {@link #get}, {@link #run} and {@link #callAsync}, whose
 * outcomes the {@link ConcurrencyLimiterConfig#classifier() classifier} turns into success, dropped or
 * ignored; integrations use {@link #tryAcquirePermit()} and report on the {@link LimiterPermit}. For priorities
 * and a wait queue, use a {@link LoadShedder}.
 *
 * <pre>{@code
 * ConcurrencyLimiter limiter = ConcurrencyLimiter.ofDefaults("inventory");   // gradient algorithm
 * Stock stock = limiter.get(() -> inventory.stock(sku));   // throws LimitExceededException when at the limit
 * int limit = limiter.metrics().limit();
 * }</pre>
 */
public interface ConcurrencyLimiter extends PermitPolicy {

  /**
   * Creates a limiter with the system clock.
   *
   * @param name the name, used in metrics, events and rejections
   * @param config the configuration
   * @return a new limiter
   */
  static ConcurrencyLimiter of(String name, ConcurrencyLimiterConfig config) {
    return builder(name).config(config).build();
  }

  /**
   * Creates a limiter with the default configuration: the gradient algorithm.
   *
   * @param name the name
   * @return a new limiter
   */
  static ConcurrencyLimiter ofDefaults(String name) {
    return builder(name).build();
  }

  /**
   * Starts a limiter whose clock, randomness and listeners can be chosen.
   *
   * @param name the name
   * @return a builder
   */
  static Builder builder(String name) {
    return new Builder(name);
  }

  /**
   * Admits the call if fewer than the limit are in flight. Allocates nothing on rejection.
   *
   * @return a permit to complete once, or {@code null} if at the limit
   */
  @Override
  LimiterPermit tryAcquirePermit();

  /**
   * Admits the call if fewer than the limit are in flight; never waits.
   *
   * @return a permit to complete once
   * @throws LimitExceededException if at the limit
   */
  @Override
  LimiterPermit acquirePermit();

  /**
   * Returns the configuration.
   *
   * @return the configuration
   */
  ConcurrencyLimiterConfig config();

  /**
   * Returns a live, read-only view of the limiter's state and counters.
   *
   * @return the metrics view
   */
  Metrics metrics();

  /**
   * A live, read-only view of a limiter: bounds, current limit, in-flight count, latency estimates and
   * lifetime counters. Reading it never blocks the call path.
   *
   * <pre>{@code
   * ConcurrencyLimiter.Metrics m = limiter.metrics();
   * System.out.printf("%d/%d in flight, p50 %d us%n", m.inflight(), m.limit(), m.rttNanos() / 1000);
   * }</pre>
   */
  interface Metrics {
    /**
     * Returns the current limit.
     *
     * @return the limit
     */
    int limit();

    /**
     * Returns the calls in flight now.
     *
     * @return the in-flight count
     */
    int inflight();

    /**
     * Returns the algorithm's floor.
     *
     * @return the minimum limit
     */
    int minLimit();

    /**
     * Returns the algorithm's ceiling.
     *
     * @return the maximum limit
     */
    int maxLimit();

    /**
     * Returns the limit the limiter started with.
     *
     * @return the initial limit
     */
    int initialLimit();

    /**
     * Returns the last judged window's median round-trip time of successful calls: the latency estimate.
     *
     * @return nanoseconds, or -1 before the first such window
     */
    long rttNanos();

    /**
     * Returns the algorithm's estimate of the round-trip time without load.
     *
     * @return nanoseconds, or -1 if the algorithm keeps none or has not measured it yet
     */
    long noLoadRttNanos();

    /**
     * Returns the last window the algorithm judged.
     *
     * @return the sample, or {@code null} before the first
     */
    WindowSample lastWindow();

    /**
     * Returns how many calls completed successfully.
     *
     * @return the lifetime count
     */
    long successfulCalls();

    /**
     * Returns how many calls were dropped (timeouts, overload signals, slow calls).
     *
     * @return the lifetime count
     */
    long droppedCalls();

    /**
     * Returns how many calls completed with an ignored outcome or were released.
     *
     * @return the lifetime count
     */
    long ignoredCalls();

    /**
     * Returns how many calls were refused.
     *
     * @return the lifetime count
     */
    long rejectedCalls();

    /**
     * Returns how many windows the algorithm has judged.
     *
     * @return the lifetime count
     */
    long windows();
  }

  /** Builds a {@link ConcurrencyLimiter}. */
  final class Builder {
    private final String name;
    private ConcurrencyLimiterConfig config = ConcurrencyLimiterConfig.defaults();
    private Clock clock = Clock.system();
    private RandomGenerator random;
    private final Listeners.Collector<LimiterEvent> listeners = new Listeners.Collector<>();

    private Builder(String name) {
      this.name = Check.name("name", name);
    }

    /**
     * Sets the configuration. Default: {@link ConcurrencyLimiterConfig#defaults()}.
     *
     * @param config the configuration
     * @return this builder
     */
    public Builder config(ConcurrencyLimiterConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /**
     * Sets the clock that measures calls and windows. Default: {@link Clock#system()}.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets the randomness of the algorithm (probe jitter); only the thread closing a window uses it. Default:
     * a new {@link SplittableRandom}. Give a seeded one for reproducible tests.
     *
     * @param random the source of randomness
     * @return this builder
     */
    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * Adds a listener for events of {@code type} and its subtypes.
     *
     * @param type the event class, such as {@code LimiterEvent.LimitChanged.class}
     * @param listener the listener
     * @param <T> the event type
     * @return this builder
     */
    public <T extends LimiterEvent> Builder listener(Class<T> type, EventListener<? super T> listener) {
      listeners.add(type, listener);
      return this;
    }

    /**
     * Builds the limiter.
     *
     * @return a new limiter
     */
    public ConcurrencyLimiter build() {
      RandomGenerator r = random != null ? random : new SplittableRandom();
      return new ConcurrencyLimiterImpl(config,
          new LimiterCore(name, config, clock, r, listeners.build(), null));
    }
  }
}
