package dev.bulwark.spring.autoconfigure;

import dev.bulwark.ContextPropagator;
import dev.bulwark.Policy;
import dev.bulwark.PolicyKind;
import dev.bulwark.Registry;
import dev.bulwark.spring.PolicyBinding;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;

/**
 * The part every primitive's binding shares: properties layered from instance to template to
 * {@code default} template to core defaults, instances created through the registry with the configuration
 * their properties give, and runtime reconfiguration (in place where the policy allows, else by replacing
 * the instance).
 *
 * @param <A> the annotation type
 * @param <P> the policy type
 * @param <C> the configuration type
 * @param <O> the options type in properties
 */
abstract class AbstractPolicyBinding<A extends Annotation, P extends Policy, C, O extends PolicyOptions>
    implements PolicyBinding<A, P> {
  private static final Logger LOGGER = LoggerFactory.getLogger("dev.bulwark.spring");

  private final Class<P> policyType;
  private final PolicyKind kind;
  private final String propertyName;
  private final Class<A> annotationType;
  private final Layering<O, C> layering;
  private final Registry<P, C> registry;
  /** The configuration of each instance this binding created, by name. */
  private final Map<String, C> configs = new ConcurrentHashMap<>();
  private volatile BulwarkProperties properties;

  AbstractPolicyBinding(Class<P> policyType, PolicyKind kind, Class<A> annotationType, Layering<O, C> layering,
      BulwarkProperties properties, Registry<P, C> registry) {
    this.policyType = policyType;
    this.kind = kind;
    this.propertyName = layering.propertyName();
    this.annotationType = annotationType;
    this.layering = layering;
    this.registry = Objects.requireNonNull(registry, "registry");
    this.properties = properties;
    layering.checkTemplates(properties);
  }

  /** Describes the state, configuration and metrics of an instance. */
  abstract Map<String, Object> describeInstance(P policy);

  /**
   * Applies a new configuration to an instance without losing its recorded state, if the policy can.
   *
   * @return whether it did; if not, the instance is replaced
   */
  boolean reconfigureInPlace(P policy, C oldConfig, C newConfig) {
    return false;
  }

  /** Returns the policy type, whose beans the application may declare. */
  Class<P> policyType() {
    return policyType;
  }

  @Override
  public void check(BulwarkProperties newProperties) {
    layering.checkTemplates(newProperties);
    layering.templateConfigs(newProperties);
    for (String name : configs.keySet()) {
      layering.configFor(newProperties, name);
    }
    for (String name : layering.group(newProperties).getInstances().keySet()) {
      layering.configFor(newProperties, name);
    }
  }

  /**
   * Carries over what a replacement may keep of the instance it replaces (a state set by an operator).
   *
   * @param old the replaced instance
   * @param fresh the new instance
   */
  void afterReplace(P old, P fresh) {}

  @Override
  public PolicyKind kind() {
    return kind;
  }

  @Override
  public String propertyName() {
    return propertyName;
  }

  @Override
  public Class<A> annotationType() {
    return annotationType;
  }

  @Override
  public Registry<P, ?> registry() {
    return registry;
  }

  /** Returns the configuration of the instance named {@code name} as this binding created it, or null. */
  C configOf(String name) {
    return configs.get(name);
  }

  /**
   * Builds the registry the auto-configuration declares when the application declares none: the
   * {@code default} template and one template per configured template, each validated now.
   */
  /**
   * Returns the application's {@link ContextPropagator} beans, in their order, for every policy built from
   * properties that continues a call on another thread.
   */
  static ContextPropagator[] contextPropagators(ObjectProvider<ContextPropagator> propagators) {
    return propagators.orderedStream().toArray(ContextPropagator[]::new);
  }

  static <P extends Policy, C> Registry<P, C> newRegistry(Layering<?, C> layering, BulwarkProperties source,
      BiFunction<String, C, P> factory) {
    layering.checkTemplates(source);
    Map<String, C> templates = layering.templateConfigs(source);
    Registry.Builder<P, C> builder = Registry.builder(templates.get(Registry.DEFAULT_TEMPLATE), factory);
    templates.forEach(builder::template);
    return builder.build();
  }

  /** Returns the current properties. */
  BulwarkProperties properties() {
    return properties;
  }

  @Override
  public MethodPolicy bind(A annotation, Method method, Class<?> targetClass) {
    return MethodPolicy.of(instance(instanceName(annotation)));
  }

  /** Returns the instance named {@code name}, creating it from its properties if absent. */
  P instance(String name) {
    P existing = registry.find(name).orElse(null);
    if (existing != null) {
      return existing;
    }
    C config = layering.configFor(properties, name);
    P created = registry.getOrCreate(name, config);
    configs.putIfAbsent(name, config);
    return created;
  }

  @Override
  public void createConfiguredInstances() {
    for (String name : layering.group(properties).getInstances().keySet()) {
      instance(name);
    }
  }

  @Override
  public Map<String, Object> describe(P policy) {
    return describeInstance(policy);
  }

  @Override
  public boolean reconfigure(BulwarkProperties newProperties) {
    layering.checkTemplates(newProperties);
    Map<String, C> updated = new LinkedHashMap<>();
    for (Map.Entry<String, C> entry : configs.entrySet()) {
      C config = layering.configFor(newProperties, entry.getKey()); // throws before anything changed
      if (!config.equals(entry.getValue())) {
        updated.put(entry.getKey(), config);
      }
    }
    this.properties = newProperties;
    boolean replaced = false;
    for (Map.Entry<String, C> entry : updated.entrySet()) {
      String name = entry.getKey();
      C config = entry.getValue();
      C old = configs.get(name);
      P current = registry.find(name).orElse(null);
      if (current != null && reconfigureInPlace(current, old, config)) {
        LOGGER.info("Bulwark {} '{}' reconfigured in place: {}", propertyName, name, config);
      } else {
        registry.remove(name);
        P fresh = registry.getOrCreate(name, config);
        if (current != null) {
          afterReplace(current, fresh);
        }
        replaced = true;
        LOGGER.info("Bulwark {} '{}' replaced with a new configuration (its recorded state starts afresh): {}",
            propertyName, name, config);
      }
      configs.put(name, config);
    }
    for (String name : layering.group(newProperties).getInstances().keySet()) {
      if (registry.find(name).isEmpty()) {
        instance(name);
      }
    }
    return replaced;
  }

}
