package dev.bulwark.spring.actuate;

import dev.bulwark.Policy;
import dev.bulwark.spring.PolicyBinding;
import dev.bulwark.spring.autoconfigure.BulwarkRuntime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * The Actuator endpoint {@code bulwark}: every instance of every primitive with its state, configuration
 * and metrics view, and write operations to act on an instance or change its properties.
 *
 * <pre>{@code
 * GET  /actuator/bulwark                                  every primitive, every instance
 * GET  /actuator/bulwark/circuitbreaker                   the circuit breakers
 * GET  /actuator/bulwark/circuitbreaker/inventory         one instance
 * POST /actuator/bulwark/circuitbreaker/inventory         {"action": "force-open"}
 * POST /actuator/bulwark/ratelimiter/partner/limit        {"value": "20"}
 * }</pre>
 */
@Endpoint(id = "bulwark")
public class BulwarkEndpoint {
  private final BulwarkRuntime runtime;

  /**
   * Creates the endpoint.
   *
   * @param runtime the Bulwark runtime
   */
  public BulwarkEndpoint(BulwarkRuntime runtime) {
    this.runtime = runtime;
  }

  /**
   * Lists every instance of every primitive.
   *
   * @return instances by primitive and name
   */
  @ReadOperation
  public Map<String, Object> instances() {
    Map<String, Object> all = new LinkedHashMap<>();
    for (PolicyBinding<?, ?> binding : runtime.bindings()) {
      all.put(binding.propertyName(), describeAll(binding));
    }
    return all;
  }

  /**
   * Lists the instances of one primitive.
   *
   * @param kind the primitive's property name, such as {@code circuitbreaker}
   * @return instances by name, or null (404) for an unknown primitive
   */
  @ReadOperation
  public Map<String, Object> instancesOf(@Selector String kind) {
    return runtime.binding(kind).map(BulwarkEndpoint::describeAll).orElse(null);
  }

  /**
   * Describes one instance.
   *
   * @param kind the primitive's property name
   * @param name the instance name
   * @return the instance, or null (404) if there is none
   */
  @ReadOperation
  public Map<String, Object> instance(@Selector String kind, @Selector String name) {
    return runtime.binding(kind).flatMap(b -> describeOne(b, name)).orElse(null);
  }

  /**
   * Acts on one instance: for a circuit breaker {@code force-open}, {@code disable}, {@code close} or
   * {@code reset}; each primitive lists its actions in {@link PolicyBinding#actions()}.
   *
   * @param kind the primitive's property name
   * @param name the instance name
   * @param action the action
   * @return the instance after the action, or null (404) if there is none
   */
  @WriteOperation
  public Map<String, Object> act(@Selector String kind, @Selector String name, String action) {
    Optional<PolicyBinding<?, ?>> binding = runtime.binding(kind);
    if (binding.isEmpty() || binding.get().registry().find(name).isEmpty()) {
      return null;
    }
    try {
      perform(binding.get(), name, action);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new InvalidEndpointRequestException(e.getMessage(), e.getMessage());
    }
    return describeOne(binding.get(), name).orElse(null);
  }

  /**
   * Sets one property of one instance, as if {@code bulwark.<kind>.instances.<name>.<property>} had been
   * set in the environment above every other source, and reconfigures the instance (in place where the
   * policy allows, keeping its recorded state). An invalid value changes nothing and answers 400 with the
   * property, the rule and the value.
   *
   * @param kind the primitive's property name
   * @param name the instance name
   * @param property the option in kebab case, such as {@code failure-rate-threshold}
   * @param value the new value
   * @return the instance after the change, or null (404) for an unknown primitive
   */
  @WriteOperation
  public Map<String, Object> configure(@Selector String kind, @Selector String name, @Selector String property,
      String value) {
    Optional<PolicyBinding<?, ?>> binding = runtime.binding(kind);
    if (binding.isEmpty()) {
      return null;
    }
    try {
      runtime.override(Map.of("bulwark." + kind + ".instances." + name + "." + property, value));
    } catch (RuntimeException e) {
      throw new InvalidEndpointRequestException(e.getMessage(), e.getMessage());
    }
    return describeOne(binding.get(), name).orElse(null);
  }

  private static <P extends Policy> void perform(PolicyBinding<?, P> binding, String name, String action) {
    P policy = binding.registry().find(name).orElseThrow(() -> new IllegalArgumentException(
        "no " + binding.propertyName() + " named '" + name + "'"));
    binding.perform(policy, action);
  }

  private static <P extends Policy> Map<String, Object> describeAll(PolicyBinding<?, P> binding) {
    Map<String, Object> instances = new LinkedHashMap<>();
    for (P policy : binding.registry().all()) {
      instances.put(policy.name(), binding.describe(policy));
    }
    return instances;
  }

  private static <P extends Policy> Optional<Map<String, Object>> describeOne(
      PolicyBinding<?, P> binding, String name) {
    return binding.registry().find(name).map(binding::describe);
  }
}
