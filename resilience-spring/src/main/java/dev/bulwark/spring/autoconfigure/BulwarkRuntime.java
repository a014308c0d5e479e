package dev.bulwark.spring.autoconfigure;

import dev.bulwark.Policy;
import dev.bulwark.spring.PolicyBinding;
import dev.bulwark.spring.aop.BulwarkMethodInterceptor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.util.ClassUtils;

/**
 * Bulwark inside a running application context: checks every annotated bean method when the context
 * starts, picks up the application's own policy beans, creates the instances named in properties, and
 * applies property changes at run time.
 *
 * <pre>{@code
 * runtime.override(Map.of("bulwark.ratelimiter.instances.partner.limit", "20"));   // as the Actuator write does
 * runtime.refresh();                                                             // as EnvironmentChangeEvent does
 * }</pre>
 */
public final class BulwarkRuntime implements SmartInitializingSingleton {
  private static final Logger LOGGER = LoggerFactory.getLogger("dev.bulwark.spring");

  /** The name of the property source that holds values written through the Actuator endpoint. */
  public static final String OVERRIDES = "bulwarkActuatorOverrides";

  private final ListableBeanFactory beanFactory;
  private final ConfigurableEnvironment environment;
  private final BulwarkMethodInterceptor interceptor;
  private final List<PolicyBinding<?, ?>> bindings;

  BulwarkRuntime(ListableBeanFactory beanFactory, ConfigurableEnvironment environment,
      BulwarkMethodInterceptor interceptor, List<PolicyBinding<?, ?>> bindings) {
    this.beanFactory = beanFactory;
    this.environment = environment;
    this.interceptor = interceptor;
    this.bindings = List.copyOf(bindings);
  }

  /**
   * Returns the bindings, one per primitive.
   *
   * @return the bindings
   */
  public List<PolicyBinding<?, ?>> bindings() {
    return bindings;
  }

  /**
   * Returns the binding with the given property name, such as {@code circuitbreaker}.
   *
   * @param propertyName the binding's property name
   * @return the binding, or empty
   */
  public Optional<PolicyBinding<?, ?>> binding(String propertyName) {
    return bindings.stream().filter(b -> b.propertyName().equals(propertyName)).findFirst();
  }

  @Override
  public void afterSingletonsInstantiated() {
    for (PolicyBinding<?, ?> binding : bindings) {
      adoptUserBeans(binding);
      binding.createConfiguredInstances();
    }
    List<String> problems = new ArrayList<>();
    for (String name : beanFactory.getBeanDefinitionNames()) {
      if (isInfrastructure(name)) {
        continue;
      }
      Class<?> type = beanFactory.getType(name, false);
      if (type != null) {
        interceptor.validate(ClassUtils.getUserClass(type), problems);
      }
    }
    if (!problems.isEmpty()) {
      throw new BulwarkConfigurationException("Bulwark cannot protect "
          + (problems.size() == 1 ? "a method" : problems.size() + " methods") + ":\n  - "
          + String.join("\n  - ", problems));
    }
  }

  private boolean isInfrastructure(String name) {
    if (beanFactory instanceof ConfigurableListableBeanFactory factory && factory.containsBeanDefinition(name)) {
      return factory.getBeanDefinition(name).getRole() == BeanDefinition.ROLE_INFRASTRUCTURE;
    }
    return false;
  }

  /** Adds the application's own beans of the binding's policy type to its registry. */
  private <P extends Policy> void adoptUserBeans(PolicyBinding<?, P> binding) {
    Class<?> policyType = binding instanceof AbstractPolicyBinding<?, ?, ?, ?> abstractBinding
        ? abstractBinding.policyType() : null;
    if (policyType == null) {
      return;
    }
    for (Object bean : beanFactory.getBeanProvider(policyType).orderedStream().toList()) {
      @SuppressWarnings("unchecked")
      P policy = (P) bean;
      Optional<P> existing = binding.registry().find(policy.name());
      if (existing.isEmpty()) {
        addToRegistry(binding, policy);
        LOGGER.debug("Bulwark {} '{}' is the application's own bean", binding.propertyName(), policy.name());
      } else if (existing.get() != policy) {
        throw new BulwarkConfigurationException("Two " + binding.propertyName() + " instances are named '"
            + policy.name() + "': a bean of the application and one in the registry");
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static <P extends Policy> void addToRegistry(PolicyBinding<?, P> binding, P policy) {
    ((dev.bulwark.Registry<P, ?>) binding.registry()).add(policy);
  }

  /**
   * Binds {@code bulwark.*} afresh from the environment and applies it to every instance. A value that
   * fails validation leaves every instance as it was and is reported by the exception.
   *
   */
  public synchronized void refresh() {
    BulwarkProperties fresh = Binder.get(environment)
        .bindOrCreate("bulwark", Bindable.of(BulwarkProperties.class));
    for (PolicyBinding<?, ?> binding : bindings) {
      binding.check(fresh); // all or nothing: nothing changes unless every primitive's properties are valid
    }
    boolean replaced = false;
    for (PolicyBinding<?, ?> binding : bindings) {
      replaced |= binding.reconfigure(fresh);
    }
    if (replaced) {
      interceptor.invalidate();
    }
  }

  /**
   * Sets {@code bulwark.*} properties above every other source (as the Actuator write operation does) and
   * applies them. A value that fails validation is taken back, and the exception names it.
   *
   * @param properties property names and values
   */
  public synchronized void override(Map<String, Object> properties) {
    for (String key : properties.keySet()) {
      if (!key.startsWith("bulwark.")) {
        throw new IllegalArgumentException("only bulwark.* properties can be set here, not " + key);
      }
    }
    MutablePropertySources sources = environment.getPropertySources();
    Map<String, Object> previous = new LinkedHashMap<>();
    if (sources.get(OVERRIDES) instanceof MapPropertySource existing) {
      previous.putAll(existing.getSource());
    }
    Map<String, Object> next = new LinkedHashMap<>(previous);
    next.putAll(properties);
    sources.remove(OVERRIDES);
    sources.addFirst(new MapPropertySource(OVERRIDES, next));
    try {
      refresh();
    } catch (RuntimeException e) {
      sources.remove(OVERRIDES);
      if (!previous.isEmpty()) {
        sources.addFirst(new MapPropertySource(OVERRIDES, previous));
      }
      throw e;
    }
  }

  static BulwarkRuntime of(BeanFactory beanFactory, ConfigurableEnvironment environment,
      BulwarkMethodInterceptor interceptor, List<PolicyBinding<?, ?>> bindings) {
    return new BulwarkRuntime((ListableBeanFactory) beanFactory, environment, interceptor, bindings);
  }
}
