package dev.bulwark.spring;

import dev.bulwark.Policy;
import dev.bulwark.PolicyKind;
import dev.bulwark.Registry;
import dev.bulwark.spring.autoconfigure.BulwarkProperties;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;

/**
 * Binds one kind of Bulwark policy to Spring: its annotation, its registry, its properties, and how the
 * Actuator endpoint and the health contributor see its instances.
 *
 * <p>The auto-configuration declares one binding bean per primitive; the single aspect asks every binding
 * for the policies of a method and nests them in one {@link dev.bulwark.Pipeline}. The Actuator endpoint
 * and the health contributor list instances through the bindings.
 *
 * <pre>{@code
 * for (PolicyBinding<?, ?> binding : context.getBeanProvider(PolicyBinding.class)) {
 *   System.out.println(binding.propertyName() + ": " + binding.registry().all());
 * }
 * }</pre>
 *
 * @param <A> the annotation type
 * @param <P> the policy type
 */
public interface PolicyBinding<A extends Annotation, P extends Policy> {

  /**
   * Returns the kind of the policies this binding creates, which fixes their place in a pipeline.
   *
   * @return the kind
   */
  PolicyKind kind();

  /**
   * Returns the name of this binding in properties and in the Actuator endpoint, such as
   * {@code circuitbreaker} for {@code bulwark.circuitbreaker.*} and {@code /actuator/bulwark/circuitbreaker}.
   *
   * @return the property name
   */
  String propertyName();

  /**
   * Returns the annotation this binding reads.
   *
   * @return the annotation type
   */
  Class<A> annotationType();

  /**
   * Tells whether this binding handles {@code annotation}; bindings that share an annotation (the two
   * kinds of bulkhead) tell apart the attributes they handle.
   *
   * @param annotation the annotation found on a method or its type
   * @return whether this binding handles it
   */
  default boolean handles(A annotation) {
    return true;
  }

  /**
   * Returns the instance name an annotation names.
   *
   * @param annotation the annotation
   * @return the instance name
   */
  String instanceName(A annotation);

  /**
   * Returns the fallback method an annotation names.
   *
   * @param annotation the annotation
   * @return the fallback method name, empty for none
   */
  String fallbackMethod(A annotation);

  /**
   * Checks that {@code method} can be protected as {@code annotation} asks, when the application context
   * starts. Throws with a message naming the method and what is wrong.
   *
   * @param annotation the annotation
   * @param method the annotated method
   * @param targetClass the class of the bean
   * @throws IllegalStateException if the method cannot be protected this way
   */
  default void validate(A annotation, Method method, Class<?> targetClass) {}

  /**
   * Returns the policy for one annotated method. Called once per method (and again after a runtime
   * configuration change replaced instances); the result is cached by the aspect.
   *
   * @param annotation the annotation
   * @param method the annotated method
   * @param targetClass the class of the bean
   * @return the policy for that method
   */
  MethodPolicy bind(A annotation, Method method, Class<?> targetClass);

  /**
   * Returns the registry of this binding's instances.
   *
   * @return the registry
   */
  Registry<P, ?> registry();

  /**
   * Creates the instances named in properties, so that they are validated at startup and listed by the
   * endpoint before their first call.
   */
  void createConfiguredInstances();

  /**
   * Checks new properties without applying them.
   *
   * @param properties the new properties
   * @throws RuntimeException naming the property that is invalid
   */
  default void check(BulwarkProperties properties) {}

  /**
   * Applies new properties to the instances this binding created. Where the policy can take the new
   * configuration without losing its recorded state, it does; otherwise the instance is replaced.
   *
   * @param properties the new properties
   * @return whether any instance was replaced (the aspect then rebuilds its pipelines)
   */
  boolean reconfigure(BulwarkProperties properties);

  /**
   * Describes an instance for the Actuator endpoint and the health contributor: its state, configuration
   * and metrics view, as JSON-friendly values.
   *
   * @param policy the instance
   * @return the description
   */
  Map<String, Object> describe(P policy);

  /**
   * Tells whether an instance is in a degraded state that the health contributor reports (an open
   * breaker).
   *
   * @param policy the instance
   * @return whether it is degraded
   */
  default boolean degraded(P policy) {
    return false;
  }

  /**
   * Returns the write actions the Actuator endpoint offers for this kind, such as {@code force-open}.
   *
   * @return the action names
   */
  default List<String> actions() {
    return List.of();
  }

  /**
   * Performs a write action on an instance.
   *
   * @param policy the instance
   * @param action one of {@link #actions()}
   * @throws IllegalArgumentException if the action is unknown
   */
  default void perform(P policy, String action) {
    throw new IllegalArgumentException("unknown action '" + action + "' for " + propertyName()
        + "; known actions: " + actions());
  }

  /**
   * The policy a binding gives one method: the same instance for every call, or one per call for
   * policies that read the arguments (idempotency keys).
   */
  interface MethodPolicy {
    /**
     * Returns the kind of the policy.
     *
     * @return the kind
     */
    PolicyKind kind();

    /**
     * Returns the policy for one invocation.
     *
     * @param target the bean
     * @param arguments the arguments of the invocation
     * @return the policy
     */
    Policy policy(Object target, Object[] arguments);

    /**
     * Tells whether {@link #policy(Object, Object[])} depends on the invocation.
     *
     * @return whether a policy is made per invocation
     */
    default boolean perInvocation() {
      return false;
    }

    /**
     * Tells whether the method's body must run on another thread (a thread-pool bulkhead), so the caller's
     * context must be carried over.
     *
     * @return whether the call changes threads
     */
    default boolean changesThread() {
      return false;
    }

    /**
     * Returns a method policy that always gives {@code policy}.
     *
     * @param policy the policy
     * @return the method policy
     */
    static MethodPolicy of(Policy policy) {
      return new MethodPolicy() {
        @Override
        public PolicyKind kind() {
          return policy.kind();
        }

        @Override
        public Policy policy(Object target, Object[] arguments) {
          return policy;
        }
      };
    }
  }
}
