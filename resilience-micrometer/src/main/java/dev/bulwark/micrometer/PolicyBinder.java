package dev.bulwark.micrometer;

import dev.bulwark.Policy;
import java.util.function.BiConsumer;

/**
 * Registers the meters of one type of policy.
 *
 * @param type the policy type this binder handles (an interface of the core)
 * @param bind registers the meters of one instance; its functions must take the policy as their argument
 *     and never capture it (see {@link MeterSet})
 * @param <P> the policy type
 */
record PolicyBinder<P extends Policy>(Class<P> type, BiConsumer<P, MeterSet> bind) {

  boolean supports(Policy policy) {
    return type.isInstance(policy);
  }

  void bindTo(Policy policy, MeterSet meters) {
    bind.accept(type.cast(policy), meters);
  }
}
