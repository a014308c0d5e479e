package dev.bulwark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class RegistryTest {

  record Named(String name, String config) implements Policy {
    @Override
    public PolicyKind kind() {
      return PolicyKind.BULKHEAD;
    }

    @Override
    public <T> T call(Callable<? extends T> callable) throws Exception {
      return callable.call();
    }

    @Override
    public <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<? extends T>> supplier) {
      return supplier.get().thenApply(v -> v);
    }
  }

  private final AtomicInteger created = new AtomicInteger();
  private final Registry<Named, String> registry = Registry
      .<Named, String>builder("defaults", (name, config) -> {
        created.incrementAndGet();
        return new Named(name, config);
      })
      .template("slow", "slow-config")
      .build();

  @Test
  void createsFromTheDefaultOrANamedTemplateAndReturnsTheSameInstanceAfterwards() {
    Named inventory = registry.get("inventory");
    Named search = registry.get("search", "slow");
    Named direct = registry.getOrCreate("direct", "direct-config");

    assertThat(inventory.config()).isEqualTo("defaults");
    assertThat(search.config()).isEqualTo("slow-config");
    assertThat(direct.config()).isEqualTo("direct-config");
    assertThat(registry.get("search")).isSameAs(search);
    assertThat(registry.get("inventory", "slow")).isSameAs(inventory);
    assertThat(registry.all()).extracting(Named::name).containsExactly("direct", "inventory", "search");
    assertThat(registry.templateNames()).containsExactly("default", "slow");
    assertThat(registry.template("slow")).contains("slow-config");
    assertThat(created).hasValue(3);
  }

  @Test
  void anUnknownTemplateNamesTheKnownOnes() {
    assertThatThrownBy(() -> registry.get("x", "fast"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown configuration template 'fast'; known templates: [default, slow]");
    assertThat(registry.find("x")).isEmpty();
  }

  @Test
  void createsEachNameExactlyOnceUnderConcurrency() throws Exception {
    int threads = 16;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Named>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        results.add(pool.submit(() -> {
          start.await();
          return registry.get("hot");
        }));
      }
      start.countDown();
      Named first = results.get(0).get();
      for (Future<Named> result : results) {
        assertThat(result.get()).isSameAs(first);
      }
      assertThat(created).hasValue(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void subscribersSeeExistingAddedAndRemovedInstancesUntilTheyUnsubscribe() throws Exception {
    Named existing = registry.get("existing");
    List<String> seen = new CopyOnWriteArrayList<>();
    AutoCloseable subscription = registry.subscribe(new Registry.Listener<Named>() {
      @Override
      public void onAdded(Named instance) {
        seen.add("+" + instance.name());
      }

      @Override
      public void onRemoved(Named instance) {
        seen.add("-" + instance.name());
      }
    });
    registry.get("fresh");
    registry.add(new Named("mine", "user-bean"));
    assertThat(registry.remove("existing")).contains(existing);
    assertThat(registry.remove("absent")).isEmpty();
    subscription.close();
    registry.get("after");

    assertThat(seen).containsExactly("+existing", "+fresh", "+mine", "-existing");
  }

  @Test
  void aThrowingSubscriberDoesNotBreakTheRegistry() {
    registry.subscribe(new Registry.Listener<Named>() {
      @Override
      public void onAdded(Named instance) {
        throw new IllegalStateException("subscriber bug");
      }

      @Override
      public void onRemoved(Named instance) {
        throw new IllegalStateException("subscriber bug");
      }
    });
    assertThat(registry.get("a").name()).isEqualTo("a");
    assertThat(registry.remove("a")).isPresent();
  }

  @Test
  void badInputIsRefused() {
    registry.add(new Named("taken", "x"));
    assertThatThrownBy(() -> registry.add(new Named("taken", "y")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("an instance named 'taken' already exists");
    assertThatThrownBy(() -> registry.get(" "))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("name must not be blank, was \" \"");
    assertThatThrownBy(() -> registry.get(null)).isInstanceOf(NullPointerException.class).hasMessage("name");
    assertThatThrownBy(() -> Registry.<Named, String>builder("d", (n, c) -> new Named(n, "d")).template("t", "1").template("t", "2"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("template 't' was already set to 1");
    assertThatThrownBy(() -> Registry.<Named, String>builder(null, Named::new))
        .isInstanceOf(NullPointerException.class).hasMessage("defaultConfig");
  }
}
