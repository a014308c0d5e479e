package dev.bulwark.idempotency;

import dev.bulwark.Clock;
import dev.bulwark.EventListener;
import dev.bulwark.Policy;
import dev.bulwark.PolicyKind;
import dev.bulwark.Scheduler;
import dev.bulwark.Sleeper;
import dev.bulwark.internal.Check;
import dev.bulwark.internal.Listeners;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Supplier;

/**
 * Runs work at most once per idempotency key while the key's record lives, and replays the first
 * execution's outcome to every repeat: the executor behind {@code Idempotency-Key}.
 *
 * <p>For each call, {@link #execute(String, String, Callable)} claims the key in the
 * {@link IdempotencyStore} and then, in this order:
 * <ol>
 *   <li>the key's live record was made for another fingerprint: {@link IdempotencyKeyReuseException}, the work
 *       does not run;</li>
 *   <li>the record is completed: its outcome is replayed (a result returned, a terminal failure thrown), the
 *       work does not run;</li>
 *   <li>another execution holds a live lease: {@link IdempotencyInProgressException} with the remaining lease
 *       as retry-after, or, with {@link IdempotencyConfig#waitForCompletion()}, a bounded wait for it to
 *       finish and then its replay;</li>
 *   <li>the key is free, or its owner's lease lapsed (the owner crashed or stalled): this call claims it (a
 *       takeover gets a higher fencing token) and runs the work, renewing its lease while it runs
 *       (heartbeat); then it records the outcome, only if it still owns the key, else it learns it was
 *       {@linkplain FencedOutException fenced out}.</li>
 * </ol>
 * A failure of the work is {@linkplain FailureClassifier classified}: retryable releases the key, terminal is
 * stored and replayed, unknown keeps the key flagged ({@link IdempotencyOutcomeUnknownException} for
 * repeats). When the store is down, the work does not run ({@link IdempotencyStoreUnavailableException});
 * with {@link IdempotencyConfig#failOpen()} it runs without a record.
 *
 * <p>As a {@link Policy} (kind {@link PolicyKind#IDEMPOTENCY}, outside retry in a {@link dev.bulwark.Pipeline},
 * so every retry of an operation runs under one claim), it reads the key from {@link IdempotencyKey#current()}.
 *
 * <pre>{@code
 * Idempotency payments = Idempotency.builder("payments")
 *     .config(IdempotencyConfig.builder().ttl(Duration.ofHours(24)).build())
 *     .store(jdbcStore)
 *     .build();
 * IdempotentResult<Receipt> result =
 *     payments.executeForResult(idempotencyKey, sha256(requestBody), () -> gateway.charge(card, amount));
 * }</pre>
 */
public interface Idempotency extends Policy {

  /**
   * Creates a policy over a new {@link InMemoryIdempotencyStore} with default limits; fits
   * {@code Registry.builder(config, Idempotency::of)}.
   *
   * @param name the policy name, also the namespace of its keys in the store
   * @param config the configuration
   * @return the policy
   */
  static Idempotency of(String name, IdempotencyConfig config) {
    return builder(name).config(config).build();
  }

  /**
   * Creates a policy over {@code store}.
   *
   * @param name the policy name, also the namespace of its keys in the store
   * @param config the configuration
   * @param store the store
   * @return the policy
   */
  static Idempotency of(String name, IdempotencyConfig config, IdempotencyStore store) {
    return builder(name).config(config).store(store).build();
  }

  /**
   * Creates a policy with the default configuration over a new in-memory store.
   *
   * @param name the policy name
   * @return the policy
   */
  static Idempotency ofDefaults(String name) {
    return builder(name).build();
  }

  /**
   * Starts a policy with the defaults, for choosing the store, clock, scheduler and listeners.
   *
   * @param name the policy name, also the namespace of its keys in the store
   * @return a builder
   */
  static Builder builder(String name) {
    return new Builder(name);
  }

  @Override
  default PolicyKind kind() {
    return PolicyKind.IDEMPOTENCY;
  }

  /**
   * Runs {@code work} at most once for {@code key} and {@code fingerprint}, or replays its first outcome.
   *
   * @param key the client's idempotency key: not empty, at most {@link IdempotencyConfig#maxKeyLength()}
   *     characters
   * @param fingerprint identifies the request's content; a repeat with another fingerprint is rejected.
   *     Empty to skip the check
   * @param work the work
   * @param <T> the result type
   * @return the work's result, or the first execution's on a replay
   * @throws IdempotencyKeyReuseException if the key was used for another fingerprint
   * @throws IdempotencyInProgressException if another execution is in progress (after the configured wait)
   * @throws IdempotencyStoreUnavailableException if the store failed and the policy fails closed
   * @throws FencedOutException if this execution lost the key before recording its result
   * @throws Exception what the work threw (now, or as replayed)
   */
  <T> T execute(String key, String fingerprint, Callable<? extends T> work) throws Exception;

  /**
   * Like {@link #execute(String, String, Callable)}, and tells whether the result was replayed.
   *
   * @param key the client's idempotency key
   * @param fingerprint identifies the request's content, or empty
   * @param work the work
   * @param <T> the result type
   * @return the result and whether it is a replay
   * @throws Exception as {@link #execute(String, String, Callable)}
   */
  <T> IdempotentResult<T> executeForResult(String key, String fingerprint, Callable<? extends T> work)
      throws Exception;

  /**
   * Runs asynchronous work at most once for {@code key} and {@code fingerprint}, or replays its first
   * outcome. Never throws: every rejection and failure completes the returned stage. The store is called on
   * the calling thread to claim and on the thread that completes the work's stage to record.
   *
   * @param key the client's idempotency key
   * @param fingerprint identifies the request's content, or empty
   * @param work starts the work and returns its stage
   * @param <T> the result type
   * @return a stage completed with the result (or replay), or exceptionally as
   *     {@link #execute(String, String, Callable)} throws
   */
  <T> CompletionStage<T> executeAsync(
      String key, String fingerprint, Supplier<? extends CompletionStage<? extends T>> work);

  /**
   * Runs {@code callable} under the key installed by {@link IdempotencyKey#call(Callable)}.
   *
   * @throws IllegalStateException if no key is installed on this thread
   */
  @Override
  <T> T call(Callable<? extends T> callable) throws Exception;

  /**
   * Runs the asynchronous call under the key installed by {@link IdempotencyKey#call(Callable)} when it
   * starts; without one, the stage fails with {@link IllegalStateException}.
   */
  @Override
  <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<? extends T>> supplier);

  /**
   * Reads the live record of {@code key}, for diagnosis.
   *
   * @param key the client's idempotency key
   * @return the record, or empty
   */
  Optional<IdempotencyRecord> inspect(String key);

  /**
   * Removes the record of {@code key} whatever its state, so the next call runs the work: how an operator
   * resolves a key flagged {@link StoredOutcome#OUTCOME_UNKNOWN} after checking that the side effect did not
   * happen. An execution in progress is fenced out.
   *
   * @param key the client's idempotency key
   * @return {@code true} if a live record was removed
   */
  boolean forget(String key);

  /**
   * Returns the configuration.
   *
   * @return the configuration
   */
  IdempotencyConfig config();

  /**
   * Returns the store.
   *
   * @return the store
   */
  IdempotencyStore store();

  /**
   * Returns the read-only metrics view.
   *
   * @return the metrics
   */
  Metrics metrics();

  /**
   * Lifetime counters of one policy, read without locking; each is exact once the calls it counts are over.
   *
   * <pre>{@code
   * Idempotency.Metrics m = payments.metrics();
   * double replayRatio = (double) m.replays() / Math.max(1, m.executions() + m.replays());
   * }</pre>
   */
  interface Metrics {
    /**
     * Returns how many times the work started under a claim (takeovers included).
     *
     * @return the count
     */
    long executions();

    /**
     * Returns how many of those executions took over a lapsed lease.
     *
     * @return the count
     */
    long takeovers();

    /**
     * Returns how many calls replayed a completed record.
     *
     * @return the count
     */
    long replays();

    /**
     * Returns how many calls were rejected because another execution was in progress.
     *
     * @return the count
     */
    long inProgressRejections();

    /**
     * Returns how many calls waited for another execution to finish.
     *
     * @return the count
     */
    long waits();

    /**
     * Returns how many calls were rejected because the key was used for another fingerprint.
     *
     * @return the count
     */
    long fingerprintMismatches();

    /**
     * Returns how many retryable failures released their key.
     *
     * @return the count
     */
    long releases();

    /**
     * Returns how many terminal failures were stored.
     *
     * @return the count
     */
    long terminalFailures();

    /**
     * Returns how many failures of unknown outcome were recorded (keys flagged).
     *
     * @return the count
     */
    long unknownOutcomes();

    /**
     * Returns how many successful results could not be stored (too large, or not encodable).
     *
     * @return the count
     */
    long resultsNotStored();

    /**
     * Returns how many executions were fenced out (a write refused because another owner took over).
     *
     * @return the count
     */
    long fencedOut();

    /**
     * Returns how many store operations failed.
     *
     * @return the count
     */
    long storeErrors();

    /**
     * Returns how many times the work ran without a record because the store failed and the policy fails
     * open.
     *
     * @return the count
     */
    long failOpenExecutions();
  }

  /** Builds an {@link Idempotency} policy. */
  final class Builder {
    final String name;
    IdempotencyConfig config = IdempotencyConfig.defaults();
    IdempotencyStore store;
    Clock clock = Clock.system();
    Sleeper sleeper = Sleeper.parking();
    Scheduler scheduler = Scheduler.defaultScheduler();
    Executor heartbeatExecutor = ForkJoinPool.commonPool();
    final Listeners.Collector<IdempotencyEvent> listeners = new Listeners.Collector<>();

    private Builder(String name) {
      this.name = Check.name("name", name);
    }

    /**
     * The configuration. Default: {@link IdempotencyConfig#defaults()}.
     *
     * @param config the configuration
     * @return this builder
     */
    public Builder config(IdempotencyConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /**
     * The store. Default: a new {@link InMemoryIdempotencyStore} with default limits, right for one
     * instance only.
     *
     * @param store the store
     * @return this builder
     */
    public Builder store(IdempotencyStore store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /**
     * The clock that measures waits; leases are judged by the store's clock. Default: {@link Clock#system()}.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * How a synchronous repeat waits between polls. Default: {@link Sleeper#parking()}.
     *
     * @param sleeper the sleeper
     * @return this builder
     */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /**
     * Times heartbeats and asynchronous polls. Default: {@link Scheduler#defaultScheduler()}.
     *
     * @param scheduler the scheduler
     * @return this builder
     */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /**
     * Runs the heartbeat's lease renewals, which may block on a remote store, off the scheduler's thread.
     * Default: {@link ForkJoinPool#commonPool()}.
     *
     * @param executor the executor
     * @return this builder
     */
    public Builder heartbeatExecutor(Executor executor) {
      this.heartbeatExecutor = Objects.requireNonNull(executor, "heartbeatExecutor");
      return this;
    }

    /**
     * Adds a listener for events of {@code type} and its subtypes.
     *
     * @param type the event type, such as {@code IdempotencyEvent.Recorded.class}
     * @param listener the listener
     * @param <E> the event type
     * @return this builder
     */
    public <E extends IdempotencyEvent> Builder listener(Class<E> type, EventListener<? super E> listener) {
      listeners.add(type, listener);
      return this;
    }

    /**
     * Builds the policy.
     *
     * @return the policy
     */
    public Idempotency build() {
      IdempotencyStore chosen = store != null ? store : InMemoryIdempotencyStore.create();
      return new IdempotencyExecutor(this, chosen);
    }
  }
}
