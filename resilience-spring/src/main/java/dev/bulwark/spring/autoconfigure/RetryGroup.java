package dev.bulwark.spring.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

/** The retry templates and instances, under {@code bulwark.retry}. */
public class RetryGroup implements PolicyGroup<RetryOptions> {
  /** Named retry configuration templates; {@code default} is the base of all others. */
  private Map<String, RetryOptions> templates = new LinkedHashMap<>();

  /** Named retry instances, each inheriting from its template ({@code default} unless set). */
  private Map<String, RetryOptions> instances = new LinkedHashMap<>();

  @Override
  public Map<String, RetryOptions> getTemplates() {
    return templates;
  }

  /**
   * Sets the templates.
   *
   * @param templates the templates by name
   */
  public void setTemplates(Map<String, RetryOptions> templates) {
    this.templates = templates;
  }

  @Override
  public Map<String, RetryOptions> getInstances() {
    return instances;
  }

  /**
   * Sets the instances.
   *
   * @param instances the instances by name
   */
  public void setInstances(Map<String, RetryOptions> instances) {
    this.instances = instances;
  }
}
