package dev.bulwark.retry;

import dev.bulwark.Clock;
import dev.bulwark.EventListener;
import dev.bulwark.Policy;
import dev.bulwark.PolicyKind;
import dev.bulwark.Scheduler;
import dev.bulwark.Sleeper;
import dev.bulwark.internal.Check;
import dev.bulwark.internal.Listeners;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Repeats a failed call with backoff, within a budget that keeps retries from multiplying load.
 *
 * <p>Each call is attempted up to {@link RetryConfig#maxAttempts()} times. Between attempts the retry waits
 * the {@link Backoff}'s delay, or the hint the failure carries (a rejection's {@code retryAfter}, a
 * {@code Retry-After}). It stops early, and the caller sees the failure, when:
 * <ul>
 *   <li>the failure is not retryable, or an abort rule matches it;</li>
 *   <li>the next wait would not end inside {@link RetryConfig#maxDuration()} or before the current
 *       {@link dev.bulwark.Deadline} (so no attempt starts that cannot finish in time);</li>
 *   <li>the {@link RetryBudget} shared by the calls to the dependency is exhausted;</li>
 *   <li>the thread is interrupted (the interrupt flag is kept).</li>
 * </ul>
 * When it gives up on a failure, the caller gets the last failure with the earlier ones attached as
 * {@linkplain Throwable#getSuppressed() suppressed} (the first 32 of them, to bound memory).
 *
 * <p>Synchronous waits go through the {@link Sleeper} (parking by default: virtual-thread friendly);
 * asynchronous retries hold no thread while waiting, they schedule the next attempt on the
 * {@link Scheduler} (which then starts it on its thread; the supplier should only start the work).
 * Cancelling the stage returned by {@link #callAsync} cancels the pending retry and the attempt in flight.
 *
 * <p>In a {@link dev.bulwark.Pipeline} a retry sits outside the circuit breaker, rate limiter, bulkhead and
 * timeout: {@code Retry(CircuitBreaker(RateLimiter(Bulkhead(Timeout(call)))))}, so each attempt is admitted
 * and bounded separately. A call that succeeds at the first attempt allocates nothing (unless
 * {@link RetryConfig#maxDuration()} is set, which installs a deadline per call).
 *
 * <pre>{@code
 * Retry retry = Retry.of("inventory", RetryConfig.builder()
 *     .maxAttempts(4)
 *     .backoff(Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofSeconds(2)).withJitter(Jitter.FULL))
 *     .build());
 * Supplier<Stock> stock = retry.decorate(() -> inventory.stock(sku));   // decorate once, call many times
 * Stock s = stock.get();
 * }</pre>
 */
public interface Retry extends Policy {

  /**
   * Creates a retry with {@code config} on the system clock, the parking sleeper and the default scheduler;
   * it gets a budget of its own from {@link RetryConfig#budget()}. Fits {@link dev.bulwark.Registry}.
   *
   * @param name the name, used in metrics and events
   * @param config the configuration
   * @return a new retry
   */
  static Retry of(String name, RetryConfig config) {
    return builder(name).config(config).build();
  }

  /**
   * Creates a retry with the default configuration.
   *
   * @param name the name
   * @return a new retry
   */
  static Retry ofDefaults(String name) {
    return builder(name).build();
  }

  /**
   * Starts a retry with the default configuration, for the options that are not configuration: clock,
   * sleeper, scheduler, randomness, a shared budget and listeners.
   *
   * @param name the name
   * @return a builder
   */
  static Builder builder(String name) {
    return new Builder(name);
  }

  /** Returns {@link PolicyKind#RETRY}. */
  @Override
  default PolicyKind kind() {
    return PolicyKind.RETRY;
  }

  /**
   * Returns the configuration.
   *
   * @return the configuration
   */
  RetryConfig config();

  /**
   * Returns the budget this retry draws on (possibly shared with other retries).
   *
   * @return the budget
   */
  RetryBudget budget();

  /**
   * Returns a read-only view of this retry's counters.
   *
   * @return the metrics view
   */
  Metrics metrics();

  /**
   * Lifetime counters of a {@link Retry}. Every call that ends (cancelled async calls aside) counts in
   * exactly one of the four call counters.
   *
   * <pre>{@code
   * Retry.Metrics m = retry.metrics();
   * long amplification = m.retries();                  // extra attempts sent to the dependency
   * long throttled = m.callsStoppedByBudget();         // calls the budget kept from retrying
   * }</pre>
   */
  interface Metrics {
    /**
     * Returns the calls that succeeded at the first attempt.
     *
     * @return the count
     */
    long successfulCallsWithoutRetry();

    /**
     * Returns the calls that succeeded after at least one retry.
     *
     * @return the count
     */
    long successfulCallsWithRetry();

    /**
     * Returns the calls that failed at the first attempt and were not retried.
     *
     * @return the count
     */
    long failedCallsWithoutRetry();

    /**
     * Returns the calls that failed after at least one retry.
     *
     * @return the count
     */
    long failedCallsWithRetry();

    /**
     * Returns the retries made: attempts beyond the first of each call.
     *
     * @return the count
     */
    long retries();

    /**
     * Returns the calls that were not retried (further) because the budget was exhausted.
     *
     * @return the count
     */
    long callsStoppedByBudget();

    /**
     * Returns the calls that were not retried (further) because the wait would not have ended inside the
     * maximum duration or before the deadline, or the hint was longer than allowed.
     *
     * @return the count
     */
    long callsStoppedByTime();

    /**
     * Returns the level of the budget: {@link RetryBudget.Metrics#balance()}.
     *
     * @return the budget level
     */
    double budgetBalance();
  }

  /**
   * Builds a {@link Retry}.
   *
   * <pre>{@code
   * Retry retry = Retry.builder("search")
   *     .config(config)
   *     .budget(sharedSearchBudget)
   *     .listener(RetryEvent.Failed.class, e -> log.warn("gave up: {}", e))
   *     .build();
   * }</pre>
   */
  final class Builder {
    final String name;
    RetryConfig config = RetryConfig.defaults();
    Clock clock = Clock.system();
    Sleeper sleeper = Sleeper.parking();
    Scheduler scheduler;
    RandomGenerator random;
    RetryBudget budget;
    final Listeners.Collector<RetryEvent> listeners = new Listeners.Collector<>();

    private Builder(String name) {
      this.name = Check.name("name", name);
    }

    /**
     * Sets the configuration. Default {@link RetryConfig#defaults()}.
     *
     * @param config the configuration
     * @return this builder
     */
    public Builder config(RetryConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /**
     * Sets the clock that measures the maximum duration and the budget's window. Default
     * {@link Clock#system()}.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets how synchronous calls wait between attempts. Default {@link Sleeper#parking()}.
     *
     * @param sleeper the sleeper
     * @return this builder
     */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /**
     * Sets where asynchronous calls schedule their next attempt. Default {@link Scheduler#defaultScheduler()}.
     *
     * @param scheduler the scheduler
     * @return this builder
     */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * Sets the source of randomness for jitter, such as {@code new SplittableRandom(42)} in a
     * single-threaded test. It is used by every call, so it must be thread-safe if calls are concurrent.
     * Default: {@link java.util.concurrent.ThreadLocalRandom} of the calling thread.
     *
     * @param random the random generator
     * @return this builder
     */
    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * Draws on {@code budget} instead of creating one from {@link RetryConfig#budget()}: to share one budget
     * among several retries that call the same dependency.
     *
     * @param budget the budget
     * @return this builder
     */
    public Builder budget(RetryBudget budget) {
      this.budget = Objects.requireNonNull(budget, "budget");
      return this;
    }

    /**
     * Adds a listener for events of {@code type} (and its subtypes).
     *
     * @param type the event class, such as {@code RetryEvent.Retrying.class}
     * @param listener the listener
     * @param <T> the event type
     * @return this builder
     */
    public <T extends RetryEvent> Builder listener(Class<T> type, EventListener<? super T> listener) {
      listeners.add(type, listener);
      return this;
    }

    /**
     * Adds a listener for every event.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder listener(EventListener<? super RetryEvent> listener) {
      listeners.add(RetryEvent.class, listener);
      return this;
    }

    /**
     * Builds the retry.
     *
     * @return a new retry
     */
    public Retry build() {
      return new RetryImpl(this);
    }
  }
}
