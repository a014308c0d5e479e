package dev.bulwark.micrometer;

import dev.bulwark.Policy;
import dev.bulwark.Registry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the meters of a {@link Registry}'s instances in step with the registry: every instance present when
 * it starts, and every instance added later, is bound; a removed instance's meters are removed. Closing stops
 * following the registry and removes every meter it bound.
 *
 * <pre>{@code
 * RegistryMeters following = BulwarkMetrics.bind(breakers, meterRegistry, Tags.of("service", "shop"));
 * breakers.get("inventory");      // bound as it appears
 * breakers.remove("inventory");   // its meters are removed
 * following.close();              // stops following; removes the rest
 * }</pre>
 */
public final class RegistryMeters implements AutoCloseable {
  /*
   * Implementation notes.
   *
   * The registry tells its listeners of additions and removals on the thread that made them, and replays the
   * instances present when a listener subscribes, after the listener is in place. So an instance added while
   * we subscribe may be reported twice (once by the addition, once by the replay), and an instance removed
   * while we subscribe may be reported removed before the replay reports it added. Hence:
   * - bindings are keyed by name and hold the instance they bound; an addition of an instance already bound
   *   is ignored; a removal only unbinds the binding of that very instance;
   * - binding and unbinding run inside the map's compute for that name, so they are serialized per name.
   *   This matters because Micrometer hands back the existing meter when one with the same id is registered:
   *   the meters of an instance must be removed before a new instance of the same name is bound, or the new
   *   binding would get (and later lose) the old meters. Meter registration does not call back into us, so
   *   doing it inside compute cannot deadlock;
   * - onAdded binds an instance only if the registry holds it at that moment (inside the compute): the replay
   *   may report an instance that has since been removed and replaced, and the replacement already bound
   *   (RegistryBindingTest's concurrent test once ended with a present instance unbound that way);
   * - after binding, onAdded checks that the registry still holds that instance, and unbinds it if not (the
   *   removal it missed has happened already);
   * - after binding, onAdded checks `closed`, and unbinds if set: close() sets `closed` before it drains the
   *   map, so either the drain sees the binding or onAdded sees `closed` (both may: closing is idempotent).
   */
  private final Registry<?, ?> registry;
  private final BulwarkMetrics metrics;
  private final ConcurrentHashMap<String, Bound> bound = new ConcurrentHashMap<>();
  private volatile boolean closed;
  private final AutoCloseable subscription;

  private record Bound(Policy instance, PolicyMeters meters) {}

  RegistryMeters(Registry<?, ?> registry, BulwarkMetrics metrics) {
    this.registry = registry;
    this.metrics = metrics;
    this.subscription = registry.subscribe(new Registry.Listener<Policy>() {
      @Override
      public void onAdded(Policy instance) {
        added(instance);
      }

      @Override
      public void onRemoved(Policy instance) {
        removed(instance);
      }

      @Override
      public String toString() {
        return "Micrometer binding " + metrics;
      }
    });
  }

  private void added(Policy instance) {
    if (closed) {
      return;
    }
    String name = instance.name();
    bound.compute(name, (n, b) -> {
      if (b != null && b.instance() == instance) {
        return b; // reported twice: added while we subscribed
      }
      if (registry.find(name).orElse(null) != instance) {
        // a stale report: the replay of an instance that was removed (and perhaps replaced, and the
        // replacement bound) after the replay's snapshot was taken. Binding it would displace the binding of
        // the registry's instance, and the check below would then unbind it, leaving that one unbound.
        return b;
      }
      if (b != null) {
        b.meters().close(); // a stale instance whose removal we never saw; before binding: same meter ids
      }
      return new Bound(instance, metrics.bind(instance));
    });
    Optional<? extends Policy> current = registry.find(name);
    if (closed || current.isEmpty() || current.get() != instance) {
      unbind(name, instance);
    }
  }

  private void removed(Policy instance) {
    unbind(instance.name(), instance);
  }

  private void unbind(String name, Policy instance) {
    bound.computeIfPresent(name, (n, b) -> {
      if (b.instance() != instance) {
        return b;
      }
      b.meters().close(); // inside the compute: a re-added instance of this name must not get these meters
      return null;
    });
  }

  /**
   * Returns the bindings in force, by policy name.
   *
   * @return a snapshot, sorted by name
   */
  public Map<String, PolicyMeters> bindings() {
    Map<String, PolicyMeters> snapshot = new TreeMap<>();
    bound.forEach((name, b) -> snapshot.put(name, b.meters()));
    return snapshot;
  }

  /**
   * Returns the names of the bound instances, sorted.
   *
   * @return the names
   */
  public List<String> boundNames() {
    return List.copyOf(bindings().keySet());
  }

  /** Stops following the registry and removes every meter this binding registered. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      subscription.close();
    } catch (Exception e) {
      throw new IllegalStateException("closing the registry subscription failed", e);
    }
    for (String name : List.copyOf(bound.keySet())) {
      bound.computeIfPresent(name, (n, b) -> {
        b.meters().close();
        return null;
      });
    }
  }

  @Override
  public String toString() {
    return "RegistryMeters" + boundNames() + (closed ? " (closed)" : "");
  }
}
