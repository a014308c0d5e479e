package dev.bulwark.spring.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

/** The timeout templates and instances, under {@code bulwark.timeout}. */
public class TimeoutGroup implements PolicyGroup<TimeoutOptions> {
  /** Named timeout configuration templates; {@code default} is the base of all others. */
  private Map<String, TimeoutOptions> templates = new LinkedHashMap<>();

  /** Named timeout instances, each inheriting from its template ({@code default} unless set). */
  private Map<String, TimeoutOptions> instances = new LinkedHashMap<>();

  @Override
  public Map<String, TimeoutOptions> getTemplates() {
    return templates;
  }

  /**
   * Sets the templates.
   *
   * @param templates the templates by name
   */
  public void setTemplates(Map<String, TimeoutOptions> templates) {
    this.templates = templates;
  }

  @Override
  public Map<String, TimeoutOptions> getInstances() {
    return instances;
  }

  /**
   * Sets the instances.
   *
   * @param instances the instances by name
   */
  public void setInstances(Map<String, TimeoutOptions> instances) {
    this.instances = instances;
  }
}
