package dev.bulwark.limit;

import dev.bulwark.Clock;
import dev.bulwark.EventListener;
import dev.bulwark.PermitPolicy;
import dev.bulwark.Scheduler;
import dev.bulwark.internal.Check;
import dev.bulwark.internal.Listeners;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Priority load shedding over an adaptive concurrency limit: when a service is overwhelmed it turns away
 * analytics before recommendations, recommendations before the cart, the cart before checkout.
 *
 * <p>The limit is a {@link ConcurrencyLimiter}'s: an algorithm moves it to the service's real capacity. Each
 * call carries a {@link Priority}; a call of priority {@code p} is admitted only while fewer than
 * {@code floor(limit * share(p))} calls are in flight (see {@link LoadShedderConfig}), so as in-flight work
 * approaches the limit, lower priorities are refused first and critical work may use the whole limit. The
 * check and the admission are one CAS, so no interleaving ever has more calls in flight than the limit.
 * Optionally, refused calls wait in a bounded queue with CoDel-style timeouts and adaptive LIFO.
 *
 * <p>Rejections are {@link LimitExceededException}s naming the shedder and the priority, with the median
 * round-trip time as a retry hint. Calls without an explicit priority use {@link Priority#current()}, else the
 * configured default, so a shedder inside a {@link dev.bulwark.Pipeline} sees the priority installed by
 * {@link Priority#call(Callable)}.
 *
 * <pre>{@code
 * LoadShedder shedder = LoadShedder.of("api", LoadShedderConfig.builder().maxQueueSize(100).build());
 * Receipt receipt = shedder.call(Priority.CRITICAL, () -> checkout.pay(order));
 * List<Item> recs = shedder.call(Priority.NORMAL, () -> recommendations.top(user));
 * }</pre>
 */
public interface LoadShedder extends PermitPolicy {

  /**
   * Creates a shedder with the system clock and the default scheduler.
   *
   * @param name the name, used in metrics, events and rejections
   * @param config the configuration
   * @return a new shedder
   */
  static LoadShedder of(String name, LoadShedderConfig config) {
    return builder(name).config(config).build();
  }

  /**
   * Creates a shedder with the default configuration: the gradient algorithm, no queue.
   *
   * @param name the name
   * @return a new shedder
   */
  static LoadShedder ofDefaults(String name) {
    return builder(name).build();
  }

  /**
   * Starts a shedder whose clock, scheduler, randomness and listeners can be chosen.
   *
   * @param name the name
   * @return a builder
   */
  static Builder builder(String name) {
    return new Builder(name);
  }

  /**
   * Admits a call of the current or default priority if there is room for it now; never waits.
   *
   * @return a permit, or {@code null} if shed
   */
  @Override
  LimiterPermit tryAcquirePermit();

  /**
   * Admits a call of {@code priority} if there is room for it now; never waits, allocates nothing on
   * rejection.
   *
   * @param priority the call's priority
   * @return a permit, or {@code null} if shed
   */
  LimiterPermit tryAcquirePermit(Priority priority);

  /**
   * Admits a call of the current or default priority, waiting in the queue if one is configured.
   *
   * @return a permit
   * @throws LimitExceededException if shed
   */
  @Override
  LimiterPermit acquirePermit();

  /**
   * Admits a call of {@code priority}, waiting in the queue if one is configured.
   *
   * @param priority the call's priority
   * @return a permit
   * @throws LimitExceededException if shed
   */
  LimiterPermit acquirePermit(Priority priority);

  /**
   * Runs {@code callable} as a call of {@code priority}.
   *
   * @param priority the call's priority
   * @param callable the call
   * @param <T> the result type
   * @return what the call returned
   * @throws Exception what the call threw, or a {@link LimitExceededException} if shed
   */
  <T> T call(Priority priority, Callable<? extends T> callable) throws Exception;

  /**
   * Starts an asynchronous call of {@code priority}; never throws.
   *
   * @param priority the call's priority
   * @param supplier starts the call
   * @param <T> the result type
   * @return a stage completed with the call's outcome, or a {@link LimitExceededException}
   */
  <T> CompletionStage<T> callAsync(Priority priority, Supplier<? extends CompletionStage<? extends T>> supplier);

  /**
   * Returns the configuration.
   *
   * @return the configuration
   */
  LoadShedderConfig config();

  /**
   * Returns a live, read-only view of the shedder.
   *
   * @return the metrics view
   */
  Metrics metrics();

  /**
   * The limiter's metrics plus the queue and the rejections per priority band.
   *
   * <pre>{@code
   * long shedAnalytics = shedder.metrics().rejectedCalls(Priority.BEST_EFFORT);
   * }</pre>
   */
  interface Metrics extends ConcurrencyLimiter.Metrics {
    /**
     * Returns the calls waiting in the queue now.
     *
     * @return the queue length
     */
    int queued();

    /**
     * Returns how many calls of {@code priority} may be in flight before such a call is refused, at the
     * current limit.
     *
     * @param priority the priority
     * @return the admission limit
     */
    int admissionLimit(Priority priority);

    /**
     * Returns how many calls were refused whose priority is in the same band as {@code priority} (bands:
     * 0-24, 25-49, 50-74, 75-99, 100).
     *
     * @param priority a priority of the band
     * @return the lifetime count
     */
    long rejectedCalls(Priority priority);
  }

  /** Builds a {@link LoadShedder}. */
  final class Builder {
    private final String name;
    private LoadShedderConfig config = LoadShedderConfig.defaults();
    private Clock clock = Clock.system();
    private Scheduler scheduler = Scheduler.defaultScheduler();
    private RandomGenerator random;
    private final Listeners.Collector<LimiterEvent> listeners = new Listeners.Collector<>();

    private Builder(String name) {
      this.name = Check.name("name", name);
    }

    /**
     * Sets the configuration. Default: {@link LoadShedderConfig#defaults()}.
     *
     * @param config the configuration
     * @return this builder
     */
    public Builder config(LoadShedderConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /**
     * Sets the clock that measures calls, windows and queue waits. Default: {@link Clock#system()}.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets the scheduler that times out asynchronous queue waits. Default:
     * {@link Scheduler#defaultScheduler()}.
     *
     * @param scheduler the scheduler
     * @return this builder
     */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * Sets the randomness of the algorithm (probe jitter). Default: a new {@link SplittableRandom}.
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
     * @param type the event class
     * @param listener the listener
     * @param <T> the event type
     * @return this builder
     */
    public <T extends LimiterEvent> Builder listener(Class<T> type, EventListener<? super T> listener) {
      listeners.add(type, listener);
      return this;
    }

    /**
     * Builds the shedder.
     *
     * @return a new shedder
     */
    public LoadShedder build() {
      return new LoadShedderImpl(name, config, clock, scheduler,
          random != null ? random : new SplittableRandom(), listeners.build());
    }
  }
}
