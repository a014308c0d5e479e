package dev.bulwark.timeout;

import dev.bulwark.EventListener;
import dev.bulwark.Policy;
import dev.bulwark.PolicyKind;
import dev.bulwark.Scheduler;
import dev.bulwark.internal.Check;
import dev.bulwark.internal.Listeners;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Bounds how long one call may take, and never lets it run past the current {@link dev.bulwark.Deadline}.
 *
 * <p>The effective limit of a call is {@code min(timeout, time left before the deadline)}; when the deadline
 * has already passed, the call is not started at all. On expiry the caller gets a
 * {@link TimeoutExceededException} naming the policy and the duration, and the work is cancelled:
 * <ul>
 *   <li>{@link #callAsync}: the returned stage completes exceptionally at expiry, without holding a thread
 *       while it waits, and the call's own stage is cancelled ({@code cancel(true)}).</li>
 *   <li>{@link #call}: the call runs on a separate thread (a virtual thread on JDK 21 and later, otherwise a
 *       thread of a small cached pool of daemon threads), and the caller waits for it; at expiry that thread
 *       is interrupted and the caller returns at once. The current deadline is carried over to that thread.
 *       Code that ignores interruption keeps running in the background: prefer a client's own timeout where
 *       it has one, with this policy as the backstop.</li>
 * </ul>
 * Expiry is scheduled on the {@link Scheduler}, so tests drive it in virtual time.
 *
 * <p>In a {@link dev.bulwark.Pipeline} the timeout is the innermost policy: it bounds one attempt, while a
 * retry's maximum duration or a deadline bounds the whole operation.
 *
 * <pre>{@code
 * Timeout timeout = Timeout.of("inventory", Duration.ofMillis(300));
 * Stock stock = timeout.call(() -> inventory.stock(sku));
 * CompletionStage<Stock> later = timeout.callAsync(() -> inventory.stockAsync(sku));
 * }</pre>
 */
public interface Timeout extends Policy {

  /**
   * Creates a timeout with {@code config}. Fits {@link dev.bulwark.Registry}.
   *
   * @param name the name
   * @param config the configuration
   * @return a new timeout
   */
  static Timeout of(String name, TimeoutConfig config) {
    return builder(name).config(config).build();
  }

  /**
   * Creates a timeout of {@code timeout}, cancelling running work.
   *
   * @param name the name
   * @param timeout how long a call may take, positive
   * @return a new timeout
   */
  static Timeout of(String name, Duration timeout) {
    return of(name, TimeoutConfig.builder().timeout(timeout).build());
  }

  /**
   * Creates a timeout with the default configuration (1 s).
   *
   * @param name the name
   * @return a new timeout
   */
  static Timeout ofDefaults(String name) {
    return builder(name).build();
  }

  /**
   * Starts a timeout, for the options that are not configuration: scheduler, executor, listeners.
   *
   * @param name the name
   * @return a builder
   */
  static Builder builder(String name) {
    return new Builder(name);
  }

  /** Returns {@link PolicyKind#TIMEOUT}. */
  @Override
  default PolicyKind kind() {
    return PolicyKind.TIMEOUT;
  }

  /**
   * Returns the configuration.
   *
   * @return the configuration
   */
  TimeoutConfig config();

  /**
   * Returns a read-only view of this timeout's counters.
   *
   * @return the metrics view
   */
  Metrics metrics();

  /**
   * Lifetime counters of a {@link Timeout}.
   *
   * <pre>{@code
   * long timedOut = timeout.metrics().timedOutCalls();
   * }</pre>
   */
  interface Metrics {
    /**
     * Returns the calls that completed normally in time.
     *
     * @return the count
     */
    long successfulCalls();

    /**
     * Returns the calls that failed in time with their own exception.
     *
     * @return the count
     */
    long failedCalls();

    /**
     * Returns the calls that ran out of time (or found the deadline passed).
     *
     * @return the count
     */
    long timedOutCalls();
  }

  /**
   * Builds a {@link Timeout}.
   *
   * <pre>{@code
   * Timeout timeout = Timeout.builder("inventory")
   *     .config(TimeoutConfig.builder().timeout(Duration.ofMillis(300)).build())
   *     .executor(myExecutor)
   *     .build();
   * }</pre>
   */
  final class Builder {
    final String name;
    TimeoutConfig config = TimeoutConfig.defaults();
    Scheduler scheduler;
    Executor executor;
    final Listeners.Collector<TimeoutEvent> listeners = new Listeners.Collector<>();

    private Builder(String name) {
      this.name = Check.name("name", name);
    }

    /**
     * Sets the configuration. Default {@link TimeoutConfig#defaults()}.
     *
     * @param config the configuration
     * @return this builder
     */
    public Builder config(TimeoutConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /**
     * Sets the scheduler on which expiry fires. Default {@link Scheduler#defaultScheduler()}.
     *
     * @param scheduler the scheduler
     * @return this builder
     */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * Sets where synchronous calls run. It must run each task on a thread of its own, promptly (a bounded
     * queue would count queueing against the timeout). Default: a new virtual thread per call on JDK 21+,
     * otherwise a cached pool of daemon threads.
     *
     * @param executor the executor
     * @return this builder
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Adds a listener for events of {@code type}.
     *
     * @param type the event class
     * @param listener the listener
     * @param <T> the event type
     * @return this builder
     */
    public <T extends TimeoutEvent> Builder listener(Class<T> type, EventListener<? super T> listener) {
      listeners.add(type, listener);
      return this;
    }

    /**
     * Builds the timeout.
     *
     * @return a new timeout
     */
    public Timeout build() {
      return new TimeoutImpl(this);
    }
  }
}
