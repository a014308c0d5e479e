package dev.bulwark.spring.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The properties of one primitive: named templates and named instances. The template named
 * {@code default} is the base of every other template and of every instance without a template.
 *
 * <pre>{@code
 * bulwark.circuitbreaker.templates.default.failure-rate-threshold=50
 * bulwark.circuitbreaker.templates.slow.slow-call-duration=2s
 * bulwark.circuitbreaker.instances.inventory.template=slow
 * bulwark.circuitbreaker.instances.inventory.minimum-calls=20
 * }</pre>
 *
 * @param <O> the options of the primitive
 */
public class PolicyGroup<O extends PolicyOptions> {
  /** Named configuration templates; {@code default} is the base of all others. */
  private Map<String, O> templates = new LinkedHashMap<>();

  /** Named instances, each inheriting from its template. */
  private Map<String, O> instances = new LinkedHashMap<>();

  /**
   * Returns the templates by name.
   *
   * @return the templates
   */
  public Map<String, O> getTemplates() {
    return templates;
  }

  /**
   * Sets the templates.
   *
   * @param templates the templates by name
   */
  public void setTemplates(Map<String, O> templates) {
    this.templates = templates;
  }

  /**
   * Returns the instances by name.
   *
   * @return the instances
   */
  public Map<String, O> getInstances() {
    return instances;
  }

  /**
   * Sets the instances.
   *
   * @param instances the instances by name
   */
  public void setInstances(Map<String, O> instances) {
    this.instances = instances;
  }
}
