package dev.bulwark;

import dev.bulwark.internal.Check;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;

/**
 * Named policy instances of one kind, created on first use from named configuration templates.
 *
 * <p>A registry is how adapters find instances: the Micrometer binder follows it as instances come and go,
 * and the Spring integration creates instances through it. Templates are fixed when the registry is built;
 * instances are created at most once per name, even when several threads ask at once.
 *
 * <pre>{@code
 * Registry<CircuitBreaker, CircuitBreakerConfig> breakers = Registry
 *     .builder(CircuitBreakerConfig.defaults(), CircuitBreaker::of)
 *     .template("slow-backend", CircuitBreakerConfig.builder().slowCallRateThreshold(50).build())
 *     .build();
 * CircuitBreaker inventory = breakers.get("inventory");                    // default template
 * CircuitBreaker search = breakers.get("search", "slow-backend");          // named template
 * }</pre>
 *
 * @param <P> the policy type
 * @param <C> the configuration type
 */
public final class Registry<P extends Policy, C> {
  private static final System.Logger LOGGER = System.getLogger("dev.bulwark");

  /** The name of the template used when none is named. */
  public static final String DEFAULT_TEMPLATE = "default";

  private final Map<String, C> templates;
  private final BiFunction<String, C, P> factory;
  private final ConcurrentHashMap<String, P> instances = new ConcurrentHashMap<>();
  private final CopyOnWriteArrayList<Listener<? super P>> listeners = new CopyOnWriteArrayList<>();

  private Registry(Builder<P, C> builder) {
    this.templates = Map.copyOf(builder.templates);
    this.factory = builder.factory;
  }

  /**
   * Starts a registry whose {@value #DEFAULT_TEMPLATE} template is {@code defaultConfig}.
   *
   * @param defaultConfig the configuration of instances created without a template name
   * @param factory creates an instance from its name and configuration, such as {@code CircuitBreaker::of}
   * @param <P> the policy type
   * @param <C> the configuration type
   * @return a builder
   */
  public static <P extends Policy, C> Builder<P, C> builder(
      C defaultConfig, BiFunction<String, C, P> factory) {
    return new Builder<>(defaultConfig, factory);
  }

  /**
   * Returns the instance named {@code name}, creating it from the default template if absent.
   *
   * @param name the instance name
   * @return the instance
   */
  public P get(String name) {
    return get(name, DEFAULT_TEMPLATE);
  }

  /**
   * Returns the instance named {@code name}, creating it from template {@code template} if absent. An
   * existing instance is returned as it is, whatever template it was created from.
   *
   * @param name the instance name
   * @param template the template name
   * @return the instance
   * @throws IllegalArgumentException if no template has that name
   */
  public P get(String name, String template) {
    Check.name("name", name);
    P existing = instances.get(name);
    if (existing != null) {
      return existing;
    }
    return create(name, template(template).orElseThrow(() -> new IllegalArgumentException(
        "unknown configuration template '" + template + "'; known templates: " + templateNames())));
  }

  /**
   * Returns the instance named {@code name}, creating it from {@code config} if absent.
   *
   * @param name the instance name
   * @param config the configuration for a new instance
   * @return the instance
   */
  public P getOrCreate(String name, C config) {
    Check.name("name", name);
    Objects.requireNonNull(config, "config");
    P existing = instances.get(name);
    return existing != null ? existing : create(name, config);
  }

  private P create(String name, C config) {
    boolean[] created = {false};
    P instance = instances.computeIfAbsent(name, n -> {
      created[0] = true;
      return Objects.requireNonNull(factory.apply(n, config), "the factory returned null");
    });
    if (created[0]) {
      notifyAdded(instance); // outside computeIfAbsent: listeners may use the registry
    }
    return instance;
  }

  /**
   * Adds an instance built elsewhere, such as a user's own bean.
   *
   * @param instance the instance
   * @return the instance
   * @throws IllegalStateException if an instance of that name exists
   */
  public P add(P instance) {
    Objects.requireNonNull(instance, "instance");
    P previous = instances.putIfAbsent(instance.name(), instance);
    if (previous != null) {
      throw new IllegalStateException("an instance named '" + instance.name() + "' already exists");
    }
    notifyAdded(instance);
    return instance;
  }

  /**
   * Returns the instance named {@code name}, without creating one.
   *
   * @param name the instance name
   * @return the instance, or empty
   */
  public Optional<P> find(String name) {
    return Optional.ofNullable(instances.get(Objects.requireNonNull(name, "name")));
  }

  /**
   * Removes the instance named {@code name}.
   *
   * @param name the instance name
   * @return the removed instance, or empty
   */
  public Optional<P> remove(String name) {
    P removed = instances.remove(Objects.requireNonNull(name, "name"));
    if (removed != null) {
      for (Listener<? super P> listener : listeners) {
        try {
          listener.onRemoved(removed);
        } catch (RuntimeException e) {
          LOGGER.log(Level.WARNING, "registry listener " + listener + " failed on removal", e);
        }
      }
    }
    return Optional.ofNullable(removed);
  }

  /**
   * Returns a snapshot of the instances, sorted by name.
   *
   * @return the instances
   */
  public List<P> all() {
    List<P> all = new ArrayList<>(instances.values());
    all.sort((a, b) -> a.name().compareTo(b.name()));
    return all;
  }

  /**
   * Returns the template named {@code name}.
   *
   * @param name the template name
   * @return the configuration, or empty
   */
  public Optional<C> template(String name) {
    return Optional.ofNullable(templates.get(Objects.requireNonNull(name, "template")));
  }

  /**
   * Returns the template names, sorted.
   *
   * @return the names
   */
  public List<String> templateNames() {
    return templates.keySet().stream().sorted().toList();
  }

  /**
   * Follows instances as they are added and removed. The listener is first told of every instance present.
   *
   * @param listener the listener
   * @return a handle whose {@link AutoCloseable#close()} stops the notifications
   */
  public AutoCloseable subscribe(Listener<? super P> listener) {
    Objects.requireNonNull(listener, "listener");
    listeners.add(listener);
    for (P instance : all()) {
      listener.onAdded(instance);
    }
    return () -> listeners.remove(listener);
  }

  private void notifyAdded(P instance) {
    for (Listener<? super P> listener : listeners) {
      try {
        listener.onAdded(instance);
      } catch (RuntimeException e) {
        LOGGER.log(Level.WARNING, "registry listener " + listener + " failed on addition", e);
      }
    }
  }

  /**
   * Told when instances are added to or removed from a registry.
   *
   * @param <P> the policy type
   */
  public interface Listener<P> {
    /**
     * An instance was added.
     *
     * @param instance the instance
     */
    void onAdded(P instance);

    /**
     * An instance was removed.
     *
     * @param instance the instance
     */
    void onRemoved(P instance);
  }

  /**
   * Builds a {@link Registry}.
   *
   * @param <P> the policy type
   * @param <C> the configuration type
   */
  public static final class Builder<P extends Policy, C> {
    private final Map<String, C> templates = new LinkedHashMap<>();
    private final BiFunction<String, C, P> factory;

    private Builder(C defaultConfig, BiFunction<String, C, P> factory) {
      this.factory = Objects.requireNonNull(factory, "factory");
      templates.put(DEFAULT_TEMPLATE, Objects.requireNonNull(defaultConfig, "defaultConfig"));
    }

    /**
     * Adds a named template; {@value #DEFAULT_TEMPLATE} replaces the default.
     *
     * @param name the template name
     * @param config the configuration
     * @return this builder
     */
    public Builder<P, C> template(String name, C config) {
      Check.name("template", name);
      Objects.requireNonNull(config, "config");
      if (!name.equals(DEFAULT_TEMPLATE) && templates.containsKey(name)) {
        throw new IllegalStateException("template '" + name + "' was already set to " + templates.get(name));
      }
      templates.put(name, config);
      return this;
    }

    /**
     * Builds the registry.
     *
     * @return the registry
     */
    public Registry<P, C> build() {
      return new Registry<>(this);
    }
  }
}
