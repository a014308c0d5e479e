package dev.bulwark.spring.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

/** The circuit breaker templates and instances, under {@code bulwark.circuitbreaker}. */
public class CircuitBreakerGroup implements PolicyGroup<CircuitBreakerOptions> {
  /** Named circuit breaker configuration templates; {@code default} is the base of all others. */
  private Map<String, CircuitBreakerOptions> templates = new LinkedHashMap<>();

  /** Named circuit breaker instances, each inheriting from its template ({@code default} unless set). */
  private Map<String, CircuitBreakerOptions> instances = new LinkedHashMap<>();

  @Override
  public Map<String, CircuitBreakerOptions> getTemplates() {
    return templates;
  }

  /**
   * Sets the templates.
   *
   * @param templates the templates by name
   */
  public void setTemplates(Map<String, CircuitBreakerOptions> templates) {
    this.templates = templates;
  }

  @Override
  public Map<String, CircuitBreakerOptions> getInstances() {
    return instances;
  }

  /**
   * Sets the instances.
   *
   * @param instances the instances by name
   */
  public void setInstances(Map<String, CircuitBreakerOptions> instances) {
    this.instances = instances;
  }
}
