package dev.bulwark.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.Registry;
import dev.bulwark.idempotency.Idempotency;
import dev.bulwark.idempotency.IdempotencyConfig;
import dev.bulwark.idempotency.IdempotencyInProgressException;
import dev.bulwark.idempotency.IdempotencyKeyReuseException;
import dev.bulwark.idempotency.IdempotencyStore;
import dev.bulwark.idempotency.IdempotencyStoreException;
import dev.bulwark.idempotency.IdempotencyStoreUnavailableException;
import dev.bulwark.idempotency.InMemoryIdempotencyStore;
import dev.bulwark.testing.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** An idempotency policy driven through a scripted scenario in virtual time, its meters read after each step. */
class IdempotencyMetersTest {
  private final ManualClock clock = new ManualClock();
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  private Idempotency policy(String name, IdempotencyStore store) {
    return Idempotency.builder(name)
        .config(IdempotencyConfig.defaults())
        .store(store)
        .clock(clock)
        .sleeper(clock)
        .scheduler(clock)
        .heartbeatExecutor(Runnable::run)
        .build();
  }

  /** Runs {@code work} under {@code key} through the sync or async path; returns the result or the failure. */
  private static Object execute(Calls calls, Idempotency policy, String key, String fingerprint,
      Callable<String> work) {
    if (calls == Calls.SYNC) {
      try {
        return policy.execute(key, fingerprint, work);
      } catch (Exception e) {
        return e;
      }
    }
    CompletableFuture<String> future = policy.<String>executeAsync(key, fingerprint, () -> {
      try {
        return CompletableFuture.completedFuture(work.call());
      } catch (Exception e) {
        return CompletableFuture.failedFuture(e);
      }
    }).toCompletableFuture();
    try {
      return future.handle((r, e) -> e != null ? unwrap(e) : r).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static Object unwrap(Throwable e) {
    return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
  }

  @ParameterizedTest
  @EnumSource(Calls.class)
  void scriptedScenarioCountsExecutionsReplaysConflictsAndMismatches(Calls calls) {
    Idempotency payments = policy("payments", InMemoryIdempotencyStore.create());
    PolicyMeters bound = BulwarkMetrics.bind(payments, meters);
    assertThat(bound.meters()).hasSize(13);

    assertThat(execute(calls, payments, "order-1", "fp-a", () -> "charged")).isEqualTo("charged");
    assertThat(execute(calls, payments, "order-1", "fp-a", () -> "charged twice")).isEqualTo("charged");
    assertThat(execute(calls, payments, "order-1", "fp-b", () -> "other"))
        .isInstanceOf(IdempotencyKeyReuseException.class);
    Object[] inner = new Object[1];
    execute(calls, payments, "order-2", "fp-a", () -> {           // a repeat while the first still runs
      inner[0] = execute(Calls.SYNC, payments, "order-2", "fp-a", () -> "never");
      return "first";
    });
    assertThat(inner[0]).isInstanceOf(IdempotencyInProgressException.class);

    assertThat(MeterDump.lines(meters)).containsExactly(
        "bulwark.idempotency.conflicts{name=payments} counter 1",
        "bulwark.idempotency.executions{name=payments} counter 2",
        "bulwark.idempotency.fail.open.executions{name=payments} counter 0",
        "bulwark.idempotency.fenced.out{name=payments} counter 0",
        "bulwark.idempotency.fingerprint.mismatches{name=payments} counter 1",
        "bulwark.idempotency.releases{name=payments} counter 0",
        "bulwark.idempotency.replays{name=payments} counter 1",
        "bulwark.idempotency.results.not.stored{name=payments} counter 0",
        "bulwark.idempotency.store.errors{name=payments} counter 0",
        "bulwark.idempotency.takeovers{name=payments} counter 0",
        "bulwark.idempotency.terminal.failures{name=payments} counter 0",
        "bulwark.idempotency.unknown.outcomes{name=payments} counter 0",
        "bulwark.idempotency.waits{name=payments} counter 0");
    bound.close();
    assertThat(meters.getMeters()).isEmpty();
  }

  @Test
  void storeErrorsAreCounted() {
    InvocationHandler failing = (proxy, method, args) -> {
      if (method.getDeclaringClass() == Object.class) {
        return method.getName().equals("toString") ? "broken store"
            : method.getName().equals("hashCode") ? System.identityHashCode(proxy) : proxy == args[0];
      }
      if (method.isDefault()) {
        return InvocationHandler.invokeDefault(proxy, method, args);
      }
      throw new IdempotencyStoreException("connection refused", null);
    };
    IdempotencyStore broken = (IdempotencyStore) Proxy.newProxyInstance(
        IdempotencyStore.class.getClassLoader(), new Class<?>[] {IdempotencyStore.class}, failing);
    Idempotency orders = policy("orders", broken);
    BulwarkMetrics.bind(orders, meters);
    assertThatThrownBy(() -> orders.execute("k", "", () -> "x"))
        .isInstanceOf(IdempotencyStoreUnavailableException.class);
    assertThat(meters.find("bulwark.idempotency.store.errors").functionCounter().count()).isEqualTo(1);
    assertThat(meters.find("bulwark.idempotency.executions").functionCounter().count()).isEqualTo(0);
  }

  @Test
  void metersFollowPoliciesAddedToAndRemovedFromARegistry() {
    Registry<Idempotency, IdempotencyConfig> policies =
        Registry.builder(IdempotencyConfig.defaults(), Idempotency::of).build();
    try (RegistryMeters following = BulwarkMetrics.bind(policies, meters)) {
      policies.get("a");
      policies.get("b");
      assertThat(meters.getMeters()).hasSize(26);
      policies.remove("a");
      assertThat(meters.getMeters()).hasSize(13);
      assertThat(following.boundNames()).containsExactly("b");
    }
    assertThat(meters.getMeters()).isEmpty();
  }
}
