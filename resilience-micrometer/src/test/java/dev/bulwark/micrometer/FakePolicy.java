package dev.bulwark.micrometer;

import dev.bulwark.Policy;
import dev.bulwark.PolicyKind;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/** A stand-in policy for testing the binding machinery apart from any real policy. */
final class FakePolicy implements Policy {
  final String name;
  final LongAdder calls = new LongAdder();
  final AtomicInteger level = new AtomicInteger();

  FakePolicy(String name) {
    this.name = name;
  }

  FakePolicy(String name, String config) {
    this(name);
  }

  /** Binds a counter and a gauge, the way the real binders do: functions that never capture the policy. */
  static PolicyBinder<FakePolicy> binder() {
    return new PolicyBinder<>(FakePolicy.class, (p, meters) -> {
      meters.counter("bulwark.fake.calls", "calls", null, p, f -> f.calls.sum());
      meters.gauge("bulwark.fake.level", "level", null, p, f -> f.level.get());
    });
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public PolicyKind kind() {
    return PolicyKind.TIMEOUT;
  }

  @Override
  public <T> T call(Callable<? extends T> callable) throws Exception {
    calls.increment();
    return callable.call();
  }

  @Override
  public <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<? extends T>> supplier) {
    calls.increment();
    return supplier.get().thenApply(x -> x);
  }

  @Override
  public String toString() {
    return "FakePolicy[" + name + "]";
  }
}
