package dev.bulwark.limit;

import dev.bulwark.PolicyKind;
import dev.bulwark.internal.PermitCalls;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/*
 * Implementation notes.
 *
 * A thin shell over LimiterCore (see its notes for the algorithm and invariants). The synchronous decorator
 * path works on the bare token: acquire, call, complete with the classified outcome; no permit object, no
 * allocation, and completion exactly once by construction. The asynchronous path wraps the token in a
 * SlotPermit and lets PermitCalls complete it once, releasing on cancellation.
 */
final class ConcurrencyLimiterImpl implements ConcurrencyLimiter, ConcurrencyLimiter.Metrics {
  private final ConcurrencyLimiterConfig config;
  private final LimiterCore core;

  ConcurrencyLimiterImpl(ConcurrencyLimiterConfig config, LimiterCore core) {
    this.config = config;
    this.core = core;
  }

  @Override
  public String name() {
    return core.name;
  }

  @Override
  public PolicyKind kind() {
    return PolicyKind.LOAD_SHEDDER;
  }

  @Override
  public LimiterPermit tryAcquirePermit() {
    long token = core.tryAcquire();
    if (token < 0) {
      rejected();
      return null;
    }
    return new SlotPermit(core, token);
  }

  @Override
  public LimiterPermit acquirePermit() {
    long token = core.tryAcquire();
    if (token < 0) {
      throw rejected();
    }
    return new SlotPermit(core, token);
  }

  private LimitExceededException rejected() {
    core.countRejection();
    int limit = core.limit();
    int inflight = core.inflight();
    if (core.listeners().wants(LimiterEvent.Rejected.class)) {
      core.listeners().emit(new LimiterEvent.Rejected(core.name, null, limit, inflight, 0));
    }
    return new LimitExceededException(core.name, null, limit, limit, inflight, 0, core.retryAfterNanos());
  }

  @Override
  public <T> T call(Callable<? extends T> callable) throws Exception {
    Objects.requireNonNull(callable, "callable");
    long token = core.tryAcquire();
    if (token < 0) {
      throw rejected();
    }
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
    Objects.requireNonNull(supplier, "supplier");
    long token = core.tryAcquire();
    if (token < 0) {
      return CompletableFuture.failedFuture(rejected());
    }
    return PermitCalls.start(new SlotPermit(core, token), core.clock, supplier);
  }

  @Override
  public ConcurrencyLimiterConfig config() {
    return config;
  }

  @Override
  public Metrics metrics() {
    return this;
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

  @Override
  public String toString() {
    return "ConcurrencyLimiter[" + core.name + ", limit=" + core.limit() + ", inflight=" + core.inflight()
        + ", algorithm=" + core.algorithm() + "]";
  }
}
