package dev.bulwark.spring.autoconfigure;

import java.util.Map;

/**
 * The properties of one primitive: named templates and named instances. The template named
 * {@code default} is the base of every other template and of every instance without a template. Each
 * primitive has a concrete group class (so the configuration processor records the options' real type).
 *
 * <pre>{@code
 * bulwark.circuitbreaker.templates.default.failure-rate-threshold=50
 * bulwark.circuitbreaker.templates.slow.slow-call-duration=2s
 * bulwark.circuitbreaker.instances.inventory.template=slow
 * bulwark.circuitbreaker.instances.inventory.minimum-number-of-calls=20
 * }</pre>
 *
 * @param <O> the options of the primitive
 */
public interface PolicyGroup<O extends PolicyOptions> {

  /**
   * Returns the templates by name.
   *
   * @return the templates
   */
  Map<String, O> getTemplates();

  /**
   * Returns the instances by name.
   *
   * @return the instances
   */
  Map<String, O> getInstances();
}
