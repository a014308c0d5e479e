package dev.bulwark.retry;

import dev.bulwark.CallNotPermittedException;
import dev.bulwark.Clock;
import dev.bulwark.Permit;
import dev.bulwark.PermitPolicy;
import dev.bulwark.PolicyKind;
import dev.bulwark.internal.PermitCalls;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A test-only stand-in for a circuit breaker (the real one is built elsewhere): it opens for a while after a
 * number of consecutive failures, or when told to, and while open rejects every call with a
 * {@link CallNotPermittedException} whose hint is the time left until it closes.
 */
final class FakeBreaker implements PermitPolicy {
  private final Clock clock;
  private final int failureThreshold;
  private final long openNanos;
  private final boolean knowsRetryAfter;
  private volatile long openUntil = Long.MIN_VALUE;
  private final AtomicInteger consecutiveFailures = new AtomicInteger();
  final AtomicInteger acquisitions = new AtomicInteger();
  final AtomicInteger rejections = new AtomicInteger();

  FakeBreaker(Clock clock, int failureThreshold, Duration openFor, boolean knowsRetryAfter) {
    this.clock = clock;
    this.failureThreshold = failureThreshold;
    this.openNanos = openFor.toNanos();
    this.knowsRetryAfter = knowsRetryAfter;
  }

  /** Opens now for {@code duration}. */
  void openFor(Duration duration) {
    openUntil = clock.nanoTime() + duration.toNanos();
  }

  @Override
  public String name() {
    return "cb";
  }

  @Override
  public PolicyKind kind() {
    return PolicyKind.CIRCUIT_BREAKER;
  }

  @Override
  public Permit tryAcquirePermit() {
    acquisitions.incrementAndGet();
    if (clock.nanoTime() < openUntil) {
      rejections.incrementAndGet();
      return null;
    }
    return new Permit() {
      @Override
      public void onSuccess(long durationNanos) {
        consecutiveFailures.set(0);
      }

      @Override
      public void onResult(long durationNanos, Object result) {
        consecutiveFailures.set(0);
      }

      @Override
      public void onFailure(long durationNanos, Throwable failure) {
        if (consecutiveFailures.incrementAndGet() >= failureThreshold) {
          consecutiveFailures.set(0);
          openUntil = clock.nanoTime() + openNanos;
        }
      }

      @Override
      public void release() {}
    };
  }

  @Override
  public Permit acquirePermit() {
    Permit permit = tryAcquirePermit();
    if (permit == null) {
      long left = openUntil - clock.nanoTime();
      throw new CallNotPermittedException(PolicyKind.CIRCUIT_BREAKER, name(),
          knowsRetryAfter ? left : CallNotPermittedException.UNKNOWN);
    }
    return permit;
  }

  @Override
  public <T> T call(Callable<? extends T> callable) throws Exception {
    return PermitCalls.call(this, clock, callable);
  }

  @Override
  public <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<? extends T>> supplier) {
    return PermitCalls.callAsync(this, clock, supplier);
  }
}
