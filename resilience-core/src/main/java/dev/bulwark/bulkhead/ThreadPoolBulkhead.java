package dev.bulwark.bulkhead;

import dev.bulwark.Clock;
import dev.bulwark.EventListener;
import dev.bulwark.Policy;
import dev.bulwark.PolicyKind;
import dev.bulwark.internal.Check;
import dev.bulwark.internal.Listeners;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * A thread-pool bulkhead: a dedicated, bounded executor per dependency. Calls run on the bulkhead's own
 * threads, so a dependency that hangs can exhaust only its own pool, and the caller's thread is free at once.
 *
 * <p>Calls are submitted with {@link #submit(Callable)} (or {@link #callAsync(Supplier)}, whose supplier runs
 * on a worker) and complete a {@link CompletableFuture}. When every thread is busy and the queue is full,
 * the stage fails with a {@link BulkheadFullException} naming the bulkhead. {@link #call(Callable)} submits
 * and waits, for code that must stay synchronous.
 *
 * <p>The caller's context (logging MDC, security context, any thread-local) is carried into the worker by
 * the configured {@link dev.bulwark.ContextPropagator}s, and the returned stage is completed while it is installed, so
 * a fallback applied with {@code exceptionally}/{@code handle}, or a retry that resubmits from a
 * continuation, sees the same context. The current {@link dev.bulwark.Deadline} is captured at submission and
 * installed in the worker; a call still queued when it passes is not started.
 *
 * <p>{@link #shutdown()} stops accepting calls and rejects every queued call with a
 * {@link BulkheadShutDownException}; calls already running finish. Threads are daemon threads named
 * {@code bulwark-<name>-<n>}.
 *
 * <pre>{@code
 * ThreadPoolBulkhead payments = ThreadPoolBulkhead.of("payments", ThreadPoolBulkheadConfig.builder()
 *     .maxThreadPoolSize(8).queueCapacity(20).build());
 * CompletableFuture<Receipt> receipt = payments.submit(() -> gateway.charge(order))
 *     .exceptionally(e -> Receipt.pending(order));     // runs with the caller's context
 * }</pre>
 */
public interface ThreadPoolBulkhead extends Policy, AutoCloseable {

  /**
   * Creates a thread-pool bulkhead with the system clock and no listeners.
   *
   * @param name the name, used in thread names, metrics, events and rejections
   * @param config the configuration
   * @return a new bulkhead, its threads started on demand
   */
  static ThreadPoolBulkhead of(String name, ThreadPoolBulkheadConfig config) {
    return builder(name).config(config).build();
  }

  /**
   * Creates a thread-pool bulkhead with the {@linkplain ThreadPoolBulkheadConfig#defaults() defaults}.
   *
   * @param name the name
   * @return a new bulkhead
   */
  static ThreadPoolBulkhead ofDefaults(String name) {
    return builder(name).build();
  }

  /**
   * Starts a thread-pool bulkhead with full control over its configuration, clock and listeners.
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
   * Runs {@code task} on the bulkhead's pool.
   *
   * @param task the call
   * @param <T> the result type
   * @return a future completed with the task's outcome, or failed with a {@link BulkheadFullException} or
   *     {@link BulkheadShutDownException}; cancelling it removes a queued task, and with
   *     {@code mayInterruptIfRunning} interrupts a running one
   */
  <T> CompletableFuture<T> submit(Callable<? extends T> task);

  /**
   * Runs {@code supplier} on the bulkhead's pool and completes the returned stage with the stage it returns.
   * The worker is free as soon as the supplier returns.
   *
   * @param supplier starts the call
   * @param <T> the result type
   * @return a stage completed with the call's outcome, or failed with the rejection
   */
  @Override
  <T> CompletableFuture<T> callAsync(Supplier<? extends CompletionStage<? extends T>> supplier);

  /**
   * Runs {@code callable} on the bulkhead's pool and waits for it: isolation for code that must stay
   * synchronous. If the waiting thread is interrupted, the task is cancelled (and interrupted) and the
   * {@link InterruptedException} is thrown.
   *
   * @param callable the call
   * @param <T> the result type
   * @return the call's result
   * @throws Exception what the call threw, a {@link BulkheadFullException} or {@link BulkheadShutDownException}
   *     if it was rejected, or {@link InterruptedException}
   */
  @Override
  <T> T call(Callable<? extends T> callable) throws Exception;

  /**
   * Returns the configuration.
   *
   * @return the configuration
   */
  ThreadPoolBulkheadConfig config();

  /**
   * Returns the read-only metrics view.
   *
   * @return the metrics
   */
  Metrics metrics();

  /**
   * Stops accepting calls and rejects every queued call with a {@link BulkheadShutDownException}; running
   * calls finish. Idempotent.
   */
  void shutdown();

  /**
   * Like {@link #shutdown()}, and also interrupts the running calls.
   */
  void shutdownNow();

  /**
   * Tells whether {@link #shutdown()} was called.
   *
   * @return whether shut down
   */
  boolean isShutdown();

  /**
   * Tells whether the bulkhead is shut down and no call is running any more.
   *
   * @return whether terminated
   */
  boolean isTerminated();

  /**
   * Waits until every running call has finished after a shutdown, or the timeout passes.
   *
   * @param timeout the longest wait
   * @return whether the bulkhead terminated
   * @throws InterruptedException if interrupted while waiting
   */
  boolean awaitTermination(Duration timeout) throws InterruptedException;

  /**
   * Shuts down and waits for the running calls to finish, as {@link java.util.concurrent.ExecutorService}'s
   * {@code close()} does: if interrupted while waiting, it interrupts the running calls, keeps waiting, and
   * sets the interrupt flag again before returning.
   */
  @Override
  void close();

  /**
   * A live, read-only view of a thread-pool bulkhead. With virtual threads, the pool size and the active
   * count are the calls running, and the queue depth is the calls waiting.
   *
   * <pre>{@code
   * ThreadPoolBulkhead.Metrics m = bulkhead.metrics();
   * gauge("bulwark.bulkhead.queue.depth", m::queueDepth);
   * }</pre>
   */
  interface Metrics {
    /**
     * Returns how many accepted calls wait for a thread.
     *
     * @return the queue depth
     */
    int queueDepth();

    /**
     * Returns the queue's capacity.
     *
     * @return the capacity
     */
    int queueCapacity();

    /**
     * Returns how many more calls the queue can take now.
     *
     * @return the remaining capacity
     */
    int remainingQueueCapacity();

    /**
     * Returns how many threads are running calls.
     *
     * @return active threads
     */
    int activeThreads();

    /**
     * Returns how many threads the pool has now.
     *
     * @return the pool size
     */
    int poolSize();

    /**
     * Returns the core pool size.
     *
     * @return the core size
     */
    int coreThreadPoolSize();

    /**
     * Returns the maximum pool size.
     *
     * @return the maximum size
     */
    int maxThreadPoolSize();

    /**
     * Returns how many calls have been rejected (full or shut down) since creation.
     *
     * @return the lifetime count of rejections
     */
    long rejectedCalls();

    /**
     * Returns how many calls have run to completion (successfully or not) since creation.
     *
     * @return the lifetime count of completed calls
     */
    long completedCalls();
  }

  /**
   * Builds a {@link ThreadPoolBulkhead}. Each option may be set once.
   *
   * <pre>{@code
   * ThreadPoolBulkhead bulkhead = ThreadPoolBulkhead.builder("reports")
   *     .config(ThreadPoolBulkheadConfig.builder().maxThreadPoolSize(2).build())
   *     .listener(BulkheadEvent.CallRejected.class, e -> rejections.increment())
   *     .build();
   * }</pre>
   */
  final class Builder {
    private final String name;
    private ThreadPoolBulkheadConfig config;
    private Clock clock;
    private final Listeners.Collector<BulkheadEvent> listeners = new Listeners.Collector<>();

    private Builder(String name) {
      this.name = Check.name("name", name);
    }

    /**
     * Sets the configuration. Default {@link ThreadPoolBulkheadConfig#defaults()}.
     *
     * @param config the configuration
     * @return this builder
     */
    public Builder config(ThreadPoolBulkheadConfig config) {
      Objects.requireNonNull(config, "config");
      if (this.config != null) {
        throw new IllegalStateException("config was already set to " + this.config);
      }
      this.config = config;
      return this;
    }

    /**
     * Sets the clock that measures waits in the queue. Default {@link Clock#system()}.
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
     * Adds a listener for events of {@code type} (and its subtypes).
     *
     * @param type the event class
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
    public ThreadPoolBulkhead build() {
      ThreadPoolBulkheadConfig c = config != null ? config : ThreadPoolBulkheadConfig.defaults();
      Clock k = clock != null ? clock : Clock.system();
      return c.virtualThreads()
          ? new VirtualThreadPoolBulkhead(name, c, k, listeners.build())
          : new PlatformThreadPoolBulkhead(name, c, k, listeners.build());
    }
  }
}
