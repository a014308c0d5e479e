package dev.bulwark.circuitbreaker;

import dev.bulwark.Clock;
import dev.bulwark.EventListener;
import dev.bulwark.PermitPolicy;
import dev.bulwark.PolicyKind;
import dev.bulwark.internal.Check;
import dev.bulwark.internal.Listeners;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Stops calling a dependency that is failing, then probes it and resumes when it has recovered.
 *
 * <p>While {@link State#CLOSED CLOSED} every call is admitted and its outcome recorded in a sliding window
 * (the last N calls, the last N seconds, or a run of consecutive failures; see
 * {@link CircuitBreakerConfig}). Once the window holds at least the minimum number of calls and the failure
 * rate or the slow-call rate reaches its threshold, the breaker trips to {@link State#OPEN OPEN} and rejects
 * calls with a {@link CircuitBreakerOpenException} that says how long until it may admit calls again. When
 * the open duration has elapsed, the next call (or the next {@link #state()} read) moves it to
 * {@link State#HALF_OPEN HALF_OPEN}, which admits exactly the configured number of probe calls: as soon as
 * their outcome is certain the breaker closes, or opens again for a possibly longer time. No background
 * thread is involved. The special states {@link State#FORCED_OPEN FORCED_OPEN},
 * {@link State#DISABLED DISABLED} and {@link State#METRICS_ONLY METRICS_ONLY} are entered and left only by
 * the manual transitions.
 *
 * <p>A breaker is a {@link PermitPolicy}: {@link #call(java.util.concurrent.Callable)} and
 * {@link #callAsync(java.util.function.Supplier)} for application code, {@link #tryAcquirePermit()} and
 * {@link #acquirePermit()} for integrations that report outcomes themselves. Its state lives in atomics
 * only: no lock and no monitor, so virtual threads never pin, and the closed-state call allocates nothing.
 *
 * <pre>{@code
 * CircuitBreaker breaker = CircuitBreaker.of("inventory", CircuitBreakerConfig.builder()
 *     .failureRateThreshold(50)
 *     .openDuration(Duration.ofSeconds(30))
 *     .build());
 * Supplier<Stock> stock = breaker.decorate(() -> inventory.stock(sku));   // decorate once
 * try {
 *   Stock s = stock.get();
 * } catch (CircuitBreakerOpenException e) {
 *   // the dependency is considered down; e.retryAfter() says for how long at most
 * }
 * }</pre>
 */
public interface CircuitBreaker extends PermitPolicy {

  /** The states of a breaker. */
  enum State {
    /** Admits every call and records its outcome; trips to {@link #OPEN} on a threshold. */
    CLOSED,
    /** Rejects every call until the open duration has elapsed, then moves to {@link #HALF_OPEN}. */
    OPEN,
    /** Admits a fixed number of probe calls, then closes or opens again on their outcome. */
    HALF_OPEN,
    /** Rejects every call until transitioned manually. */
    FORCED_OPEN,
    /** Admits every call and records nothing, until transitioned manually. */
    DISABLED,
    /** Admits every call and records every outcome, but never opens: a breaker in shadow mode. */
    METRICS_ONLY
  }

  /**
   * Creates a breaker with the system clock and no listeners; fits {@code Registry.builder(..., CircuitBreaker::of)}.
   *
   * @param name the breaker's name, used in metrics, events and rejections
   * @param config the configuration
   * @return a new breaker, {@link State#CLOSED CLOSED}
   */
  static CircuitBreaker of(String name, CircuitBreakerConfig config) {
    return builder(name).config(config).build();
  }

  /**
   * Creates a breaker with the {@linkplain CircuitBreakerConfig#defaults() default configuration}.
   *
   * @param name the breaker's name
   * @return a new breaker, {@link State#CLOSED CLOSED}
   */
  static CircuitBreaker ofDefaults(String name) {
    return builder(name).build();
  }

  /**
   * Starts a breaker with a clock, a random source for jitter, or listeners.
   *
   * @param name the breaker's name
   * @return a builder
   */
  static Builder builder(String name) {
    return new Builder(name);
  }

  /** Returns {@link PolicyKind#CIRCUIT_BREAKER}. */
  @Override
  default PolicyKind kind() {
    return PolicyKind.CIRCUIT_BREAKER;
  }

  /**
   * Returns the configuration.
   *
   * @return the configuration
   */
  CircuitBreakerConfig config();

  /**
   * Returns the current state, first moving an open breaker whose open duration has elapsed to
   * {@link State#HALF_OPEN}, and ending a half-open episode that ran past its maximum duration.
   *
   * @return the state
   */
  State state();

  /**
   * Returns the read-only metrics view; the same live object on every call.
   *
   * @return the metrics
   */
  Metrics metrics();

  /** Closes the breaker with a fresh window, unless it is already {@link State#CLOSED}. */
  void transitionToClosed();

  /** Opens the breaker for the (next) open duration, unless it is already {@link State#OPEN}. */
  void transitionToOpen();

  /** Starts a half-open episode, unless one is under way. */
  void transitionToHalfOpen();

  /** Rejects every call until another manual transition. */
  void transitionToForcedOpen();

  /** Admits every call and records nothing until another manual transition. */
  void transitionToDisabled();

  /** Admits every call, records outcomes, never opens, until another manual transition. */
  void transitionToMetricsOnly();

  /** Returns to a fresh {@link State#CLOSED} state from any state: empty window, open duration back to its base. */
  void reset();

  /**
   * A live, read-only view of a breaker's state and counters, for dashboards and the Micrometer adapter.
   * Window figures describe the current episode: the sliding window while closed or metrics-only, the probes
   * while half-open, the window or probes that tripped the breaker while open, nothing while forced open or
   * disabled. Lifetime counters only grow.
   *
   * <pre>{@code
   * CircuitBreaker.Metrics m = breaker.metrics();
   * if (m.failureRate() >= 0) {
   *   gauge.set(m.failureRate());
   * }
   * long rejected = m.totalNotPermittedCalls();
   * }</pre>
   */
  interface Metrics {
    /**
     * Returns the current state (as {@link CircuitBreaker#state()}).
     *
     * @return the state
     */
    State state();

    /**
     * Returns the failure rate in percent, or {@code -1} while fewer than the minimum number of calls are
     * recorded (and always in consecutive-failures mode, which computes no rate).
     *
     * @return the failure rate, or {@code -1}
     */
    double failureRate();

    /**
     * Returns the slow-call rate in percent, or {@code -1} while fewer than the minimum number of calls are
     * recorded.
     *
     * @return the slow-call rate, or {@code -1}
     */
    double slowCallRate();

    /**
     * Returns the number of calls in the window (in consecutive-failures mode: the current run of failures).
     *
     * @return the buffered calls
     */
    int bufferedCalls();

    /**
     * Returns the number of failed calls in the window.
     *
     * @return the failed calls
     */
    int failedCalls();

    /**
     * Returns the number of slow calls in the window, failed or not.
     *
     * @return the slow calls
     */
    int slowCalls();

    /**
     * Returns the number of successful calls in the window.
     *
     * @return the successful calls
     */
    int successfulCalls();

    /**
     * Returns how many permitted calls succeeded since the breaker was created (outside {@code DISABLED}).
     *
     * @return the lifetime count
     */
    long totalSuccessfulCalls();

    /**
     * Returns how many permitted calls failed since the breaker was created.
     *
     * @return the lifetime count
     */
    long totalFailedCalls();

    /**
     * Returns how many permitted calls were slow since the breaker was created; each is also counted as
     * successful or failed.
     *
     * @return the lifetime count
     */
    long totalSlowCalls();

    /**
     * Returns how many permitted calls ended with an ignored outcome.
     *
     * @return the lifetime count
     */
    long totalIgnoredCalls();

    /**
     * Returns how many permits were released without an outcome (cancelled calls).
     *
     * @return the lifetime count
     */
    long totalReleasedCalls();

    /**
     * Returns how many calls were rejected.
     *
     * @return the lifetime count
     */
    long totalNotPermittedCalls();
  }

  /**
   * Builds a {@link CircuitBreaker}.
   *
   * <pre>{@code
   * CircuitBreaker breaker = CircuitBreaker.builder("payments")
   *     .config(config)
   *     .clock(clock)                              // a ManualClock in tests
   *     .random(new SplittableRandom(42))          // seeded jitter in tests
   *     .listener(CircuitBreakerEvent.StateTransition.class, e -> log.warn("{}", e))
   *     .build();
   * }</pre>
   */
  final class Builder {
    private final String name;
    private CircuitBreakerConfig config;
    private Clock clock;
    private RandomGenerator random;
    private final Listeners.Collector<CircuitBreakerEvent> listeners = new Listeners.Collector<>();

    private Builder(String name) {
      this.name = Check.name("name", name);
    }

    /**
     * Sets the configuration. Default: {@link CircuitBreakerConfig#defaults()}.
     *
     * @param config the configuration
     * @return this builder
     */
    public Builder config(CircuitBreakerConfig config) {
      Objects.requireNonNull(config, "config");
      if (this.config != null) {
        throw new IllegalStateException("config was already set to " + this.config);
      }
      this.config = config;
      return this;
    }

    /**
     * Sets the clock that measures calls and open durations. Default: {@link Clock#system()}.
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
     * Sets the random source of the open-duration jitter, drawn once each time the breaker opens. Two
     * threads may draw at once in the rare race where both decide the same trip; a generator that is not
     * thread-safe, such as a seeded {@link java.util.SplittableRandom} in a test, then at worst repeats a
     * value. Default: the calling thread's {@link java.util.concurrent.ThreadLocalRandom}.
     *
     * @param random the random source
     * @return this builder
     */
    public Builder random(RandomGenerator random) {
      Objects.requireNonNull(random, "random");
      if (this.random != null) {
        throw new IllegalStateException("random was already set to " + this.random);
      }
      this.random = random;
      return this;
    }

    /**
     * Adds a listener for events of {@code type} (and its subtypes).
     *
     * @param type the event class, such as {@code CircuitBreakerEvent.StateTransition.class}
     * @param listener the listener
     * @param <E> the event type
     * @return this builder
     */
    public <E extends CircuitBreakerEvent> Builder listener(Class<E> type, EventListener<? super E> listener) {
      listeners.add(type, listener);
      return this;
    }

    /**
     * Adds a listener for every event.
     *
     * @param listener the listener
     * @return this builder
     */
    public Builder listener(EventListener<? super CircuitBreakerEvent> listener) {
      listeners.add(CircuitBreakerEvent.class, listener);
      return this;
    }

    /**
     * Builds the breaker, {@link State#CLOSED CLOSED}.
     *
     * @return the breaker
     */
    public CircuitBreaker build() {
      return new DefaultCircuitBreaker(name,
          config != null ? config : CircuitBreakerConfig.defaults(),
          clock != null ? clock : Clock.system(),
          random,
          listeners.build());
    }
  }
}
