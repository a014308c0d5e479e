package dev.bulwark.bulkhead;

import dev.bulwark.Clock;
import dev.bulwark.EventListener;
import dev.bulwark.PermitPolicy;
import dev.bulwark.PolicyKind;
import dev.bulwark.Scheduler;
import dev.bulwark.Sleeper;
import dev.bulwark.internal.Check;
import dev.bulwark.internal.Listeners;
import java.util.Objects;

/**
 * A semaphore bulkhead: caps how many calls to one dependency run at once, so that a slow or overloaded
 * dependency can hold at most its own slots and never starve callers of another.
 *
 * <p>Give each dependency its own bulkhead: when {@code payments} hangs, its calls pile up to its limit and
 * are then rejected (or queue up to {@link BulkheadConfig#maxWait()}), while calls to {@code inventory} keep
 * running in their own slots, untouched.
 *
 * <p>Properties:
 * <ul>
 *   <li>The fast path is one compare-and-set on a single word; there is no lock anywhere, so virtual threads
 *       never pin. Calls through the decorator methods allocate nothing.</li>
 *   <li>Callers that must wait queue in FIFO order; a freed slot is handed directly to the oldest waiter, so
 *       no newcomer overtakes them and no wake-up is lost. The queue is bounded by
 *       {@link BulkheadConfig#maxWaitingCalls()}; a wait never runs past the current
 *       {@link dev.bulwark.Deadline}; an interrupted waiter is rejected with its interrupt flag set again.</li>
 *   <li>A slot is given back exactly once whatever happens: success, exception, timeout, cancellation. A
 *       {@link dev.bulwark.Permit} from the permit layer ignores every completion after the first.</li>
 *   <li>The limit can change at run time ({@link #changeMaxConcurrentCalls(int)}) without losing or
 *       duplicating slots; after a decrease, calls in flight finish and no new call starts until the count
 *       is below the new limit.</li>
 *   <li>{@link #callAsync(java.util.function.Supplier)} never blocks the calling thread: if it must wait,
 *       the call starts later, on the thread that frees a slot.</li>
 * </ul>
 *
 * <pre>{@code
 * Bulkhead inventory = Bulkhead.of("inventory", BulkheadConfig.builder().maxConcurrentCalls(10).build());
 * Supplier<Stock> stock = inventory.decorate(() -> client.stock(sku));   // decorate once
 * Stock s = stock.get();                                                 // BulkheadFullException when full
 * }</pre>
 */
public interface Bulkhead extends PermitPolicy {

  /**
   * Creates a bulkhead with the system clock, the parking sleeper and no listeners.
   *
   * @param name the name, used in metrics, events and rejections
   * @param config the configuration
   * @return a new bulkhead
   */
  static Bulkhead of(String name, BulkheadConfig config) {
    return builder(name).config(config).build();
  }

  /**
   * Creates a bulkhead with the {@linkplain BulkheadConfig#defaults() default configuration}.
   *
   * @param name the name
   * @return a new bulkhead
   */
  static Bulkhead ofDefaults(String name) {
    return builder(name).build();
  }

  /**
   * Starts a bulkhead with full control over its configuration, time source and listeners.
   *
   * @param name the name
   * @return a builder
   */
  static Builder builder(String name) {
    return new Builder(name);
  }

  /**
   * Returns {@link PolicyKind#BULKHEAD}.
   *
   * @return the kind
   */
  @Override
  default PolicyKind kind() {
    return PolicyKind.BULKHEAD;
  }

  /**
   * Returns the configuration the bulkhead was built with (the current limit is in {@link #metrics()}).
   *
   * @return the configuration
   */
  BulkheadConfig config();

  /**
   * Changes the concurrency limit at run time. Raising it admits waiting callers at once; lowering it lets
   * the calls in flight finish, and admits no new call until fewer than the new limit are running. No slot
   * is lost or duplicated, whatever runs concurrently.
   *
   * @param maxConcurrentCalls the new limit, at least 1
   * @throws IllegalArgumentException if the limit is out of range
   */
  void changeMaxConcurrentCalls(int maxConcurrentCalls);

  /**
   * Returns the read-only metrics view; reading it never blocks and never allocates.
   *
   * @return the metrics
   */
  Metrics metrics();

  /**
   * A live, read-only view of a bulkhead's state. Values are read without locking and may be a moment apart.
   *
   * <pre>{@code
   * Bulkhead.Metrics m = bulkhead.metrics();
   * gauge("bulwark.bulkhead.available", m::availablePermits);
   * }</pre>
   */
  interface Metrics {
    /**
     * Returns how many more calls could start now: the limit minus the calls in flight, never negative.
     *
     * @return free slots
     */
    int availablePermits();

    /**
     * Returns the current concurrency limit.
     *
     * @return the limit
     */
    int maxConcurrentCalls();

    /**
     * Returns how many calls hold a slot now (may exceed the limit for a while after it was lowered).
     *
     * @return calls in flight
     */
    int concurrentCalls();

    /**
     * Returns how many callers are waiting for a slot.
     *
     * @return waiting callers
     */
    int waitingCalls();

    /**
     * Returns how many calls have been rejected since the bulkhead was created.
     *
     * @return the lifetime count of rejections
     */
    long rejectedCalls();
  }

  /**
   * Builds a {@link Bulkhead}. Each option may be set once.
   *
   * <pre>{@code
   * ManualClock clock = new ManualClock();
   * Bulkhead bulkhead = Bulkhead.builder("test")
   *     .config(BulkheadConfig.builder().maxConcurrentCalls(1).maxWait(Duration.ofSeconds(1)).build())
   *     .clock(clock).sleeper(clock).scheduler(clock)
   *     .build();
   * }</pre>
   */
  final class Builder {
    private final String name;
    private BulkheadConfig config;
    private Clock clock;
    private Sleeper sleeper;
    private Scheduler scheduler;
    private final Listeners.Collector<BulkheadEvent> listeners = new Listeners.Collector<>();

    private Builder(String name) {
      this.name = Check.name("name", name);
    }

    /**
     * Sets the configuration. Default {@link BulkheadConfig#defaults()}.
     *
     * @param config the configuration
     * @return this builder
     */
    public Builder config(BulkheadConfig config) {
      Objects.requireNonNull(config, "config");
      if (this.config != null) {
        throw new IllegalStateException("config was already set to " + this.config);
      }
      this.config = config;
      return this;
    }

    /**
     * Sets the clock that measures waits. Default {@link Clock#system()}.
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
     * Sets how a synchronous caller waits for a slot. The default, {@link Sleeper#parking()}, parks the
     * thread and is woken the moment a slot is handed over. Any other sleeper is called for the whole
     * remaining wait and cannot be woken early, so a slot handed over meanwhile is taken up only when it
     * returns: it is meant for virtual-time tests, where sleeping advances the clock.
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
     * Sets the scheduler that times out asynchronous waiters. Default {@link Scheduler#defaultScheduler()}.
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
     * @param type the event class, such as {@code BulkheadEvent.CallRejected.class}
     * @param listener the listener
     * @param <E> the event type
     * @return this builder
     */
    public <E extends BulkheadEvent> Builder listener(Class<E> type, EventListener<? super E> listener) {
      listeners.add(type, listener);
      return this;
    }

    /**
     * Builds the bulkhead.
     *
     * @return the bulkhead
     */
    public Bulkhead build() {
      return new SemaphoreBulkhead(
          name,
          config != null ? config : BulkheadConfig.defaults(),
          clock != null ? clock : Clock.system(),
          sleeper != null ? sleeper : Sleeper.parking(),
          scheduler != null ? scheduler : Scheduler.defaultScheduler(),
          listeners.build());
    }
  }
}
