package dev.bulwark.spring.support;

import dev.bulwark.CallNotPermittedException;
import dev.bulwark.Policy;
import dev.bulwark.PolicyKind;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/** A manual switch: while off, every call is rejected. Test-only. */
public final class KillSwitchPolicy implements Policy {
  private final String name;
  private final AtomicBoolean on;
  private final AtomicLong calls = new AtomicLong();

  public KillSwitchPolicy(String name, boolean on) {
    this.name = name;
    this.on = new AtomicBoolean(on);
  }

  public boolean isOn() {
    return on.get();
  }

  public void set(boolean value) {
    on.set(value);
  }

  public long calls() {
    return calls.get();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public PolicyKind kind() {
    return PolicyKind.CIRCUIT_BREAKER;
  }

  @Override
  public <T> T call(Callable<? extends T> callable) throws Exception {
    if (!on.get()) {
      throw new CallNotPermittedException(kind(), name, CallNotPermittedException.UNKNOWN);
    }
    calls.incrementAndGet();
    return callable.call();
  }

  @Override
  public <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<? extends T>> supplier) {
    if (!on.get()) {
      return CompletableFuture.failedFuture(
          new CallNotPermittedException(kind(), name, CallNotPermittedException.UNKNOWN));
    }
    calls.incrementAndGet();
    try {
      return supplier.get().thenApply(t -> (T) t);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }
}
