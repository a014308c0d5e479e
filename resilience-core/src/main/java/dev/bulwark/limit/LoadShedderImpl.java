package dev.bulwark.limit;

import dev.bulwark.Clock;
import dev.bulwark.PolicyKind;
import dev.bulwark.Scheduler;
import dev.bulwark.internal.Listeners;
import dev.bulwark.internal.PermitCalls;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/*
 * Implementation notes.
 *
 * A LimiterCore (see its notes) whose admission limit depends on the call's priority: a call of priority p is
 * admitted by one CAS that checks inflight < admission(p, limit) <= limit and takes a slot, so priorities can
 * never push the global in-flight count past the limit, whatever the interleaving. A call arriving while work
 * of its band or higher waits in the queue does not take a slot from under it; it queues (or is refused).
 * The queue (WaitQueue) is only touched on that slow path. The synchronous decorator path uses the bare token
 * and allocates nothing unless it has to wait.
 */
final class LoadShedderImpl implements LoadShedder, LoadShedder.Metrics {
  private final LoadShedderConfig config;
  private final LimiterCore core;
  private final Shares shares;
  private final WaitQueue queue;
  private final Clock clock;
  private final Priority defaultPriority;
  private final LongAdder[] rejectedByBand = new LongAdder[WaitQueue.BANDS];

  LoadShedderImpl(String name, LoadShedderConfig config, Clock clock, Scheduler scheduler,
      RandomGenerator random, Listeners<LimiterEvent> listeners) {
    this.config = config;
    this.clock = clock;
    this.defaultPriority = config.defaultPriority();
    this.shares = new Shares(config.bestEffortShare());
    this.queue = config.maxQueueSize() > 0 ? new WaitQueue(config, shares, clock, scheduler) : null;
    this.core = new LimiterCore(name, config.limiter(), clock, random, listeners, queue);
    for (int b = 0; b < rejectedByBand.length; b++) {
      rejectedByBand[b] = new LongAdder();
    }
  }

  @Override
  public String name() {
    return core.name;
  }

  @Override
  public PolicyKind kind() {
    return PolicyKind.LOAD_SHEDDER;
  }

  private Priority currentPriority() {
    Priority p = Priority.current();
    return p != null ? p : defaultPriority;
  }

  /** Admits at once if there is room for {@code priority} and no more important work waits; else -1. */
  private long tryAdmit(Priority priority) {
    if (queue != null && queue.hasWaitersAtOrAbove(priority.band())) {
      return -1;
    }
    return core.tryAcquire(shares.admission(priority, core.limit()));
  }

  /** Admits, waiting in the queue if there is one; throws the rejection. */
  private long acquireToken(Priority priority) {
    long token = tryAdmit(priority);
    if (token >= 0) {
      return token;
    }
    if (queue != null) {
      long start = clock.nanoTime();
      token = queue.awaitSync(core, priority);
      if (token >= 0) {
        return token;
      }
      throw rejected(priority, clock.nanoTime() - start);
    }
    throw rejected(priority, 0);
  }

  private void countRejection(Priority priority, int limit, int inflight, long waitedNanos) {
    core.countRejection();
    rejectedByBand[priority.band()].increment();
    if (core.listeners().wants(LimiterEvent.Rejected.class)) {
      core.listeners().emit(new LimiterEvent.Rejected(core.name, priority, limit, inflight, waitedNanos));
    }
  }

  LimitExceededException rejected(Priority priority, long waitedNanos) {
    int limit = core.limit();
    int inflight = core.inflight();
    countRejection(priority, limit, inflight, waitedNanos);
    return new LimitExceededException(core.name, priority, limit, shares.admission(priority, limit), inflight,
        waitedNanos, core.retryAfterNanos());
  }

  @Override
  public LimiterPermit tryAcquirePermit() {
    return tryAcquirePermit(currentPriority());
  }

  @Override
  public LimiterPermit tryAcquirePermit(Priority priority) {
    Objects.requireNonNull(priority, "priority");
    long token = tryAdmit(priority);
    if (token < 0) {
      countRejection(priority, core.limit(), core.inflight(), 0);
      return null;
    }
    return new SlotPermit(core, token);
  }

  @Override
  public LimiterPermit acquirePermit() {
    return acquirePermit(currentPriority());
  }

  @Override
  public LimiterPermit acquirePermit(Priority priority) {
    Objects.requireNonNull(priority, "priority");
    return new SlotPermit(core, acquireToken(priority));
  }

  @Override
  public <T> T call(Callable<? extends T> callable) throws Exception {
    return call(currentPriority(), callable);
  }

  @Override
  public <T> T call(Priority priority, Callable<? extends T> callable) throws Exception {
    Objects.requireNonNull(priority, "priority");
    Objects.requireNonNull(callable, "callable");
    long token = acquireToken(priority);
    T result;
    try {
      result = callable.call();
    } catch (Throwable failure) {
      core.complete(token, core.outcomeOfFailure(failure));
      throw failure;
    }
    core.complete(token, core.outcomeOfResult(result));
    return result;
  }

  @Override
  public <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<? extends T>> supplier) {
    return callAsync(currentPriority(), supplier);
  }

  @Override
  public <T> CompletionStage<T> callAsync(Priority priority,
      Supplier<? extends CompletionStage<? extends T>> supplier) {
    Objects.requireNonNull(priority, "priority");
    Objects.requireNonNull(supplier, "supplier");
    long token = tryAdmit(priority);
    if (token >= 0) {
      return PermitCalls.start(new SlotPermit(core, token), clock, supplier);
    }
    if (queue != null) {
      CompletableFuture<T> queued = queue.awaitAsync(this, core, priority, supplier);
      if (queued != null) {
        return queued;
      }
    }
    return CompletableFuture.failedFuture(rejected(priority, 0));
  }

  @Override
  public LoadShedderConfig config() {
    return config;
  }

  @Override
  public Metrics metrics() {
    return this;
  }

  @Override
  public int queued() {
    return queue == null ? 0 : queue.size();
  }

  @Override
  public int admissionLimit(Priority priority) {
    return shares.admission(priority, core.limit());
  }

  @Override
  public long rejectedCalls(Priority priority) {
    return rejectedByBand[priority.band()].sum();
  }

  @Override
  public int limit() {
    return core.limit();
  }

  @Override
  public int inflight() {
    return core.inflight();
  }

  @Override
  public int minLimit() {
    return core.algorithm().minLimit();
  }

  @Override
  public int maxLimit() {
    return core.algorithm().maxLimit();
  }

  @Override
  public int initialLimit() {
    return core.algorithm().initialLimit();
  }

  @Override
  public long rttNanos() {
    return core.rttEstimateNanos();
  }

  @Override
  public long noLoadRttNanos() {
    return core.noLoadRttNanos();
  }

  @Override
  public WindowSample lastWindow() {
    return core.lastWindow();
  }

  @Override
  public long successfulCalls() {
    return core.successfulCalls();
  }

  @Override
  public long droppedCalls() {
    return core.droppedCalls();
  }

  @Override
  public long ignoredCalls() {
    return core.ignoredCalls();
  }

  @Override
  public long rejectedCalls() {
    return core.rejectedCalls();
  }

  @Override
  public long windows() {
    return core.windows();
  }

  LimiterCore core() {
    return core;
  }

  long handedOver() {
    return queue == null ? 0 : queue.handedOver();
  }

  @Override
  public String toString() {
    return "LoadShedder[" + core.name + ", limit=" + core.limit() + ", inflight=" + core.inflight()
        + ", queued=" + queued() + "]";
  }
}
