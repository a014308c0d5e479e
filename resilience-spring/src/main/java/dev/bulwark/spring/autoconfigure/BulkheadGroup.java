package dev.bulwark.spring.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

/** The semaphore bulkhead templates and instances, under {@code bulwark.bulkhead}. */
public class BulkheadGroup implements PolicyGroup<BulkheadOptions> {
  /** Named semaphore bulkhead configuration templates; {@code default} is the base of all others. */
  private Map<String, BulkheadOptions> templates = new LinkedHashMap<>();

  /** Named semaphore bulkhead instances, each inheriting from its template ({@code default} unless set). */
  private Map<String, BulkheadOptions> instances = new LinkedHashMap<>();

  @Override
  public Map<String, BulkheadOptions> getTemplates() {
    return templates;
  }

  /**
   * Sets the templates.
   *
   * @param templates the templates by name
   */
  public void setTemplates(Map<String, BulkheadOptions> templates) {
    this.templates = templates;
  }

  @Override
  public Map<String, BulkheadOptions> getInstances() {
    return instances;
  }

  /**
   * Sets the instances.
   *
   * @param instances the instances by name
   */
  public void setInstances(Map<String, BulkheadOptions> instances) {
    this.instances = instances;
  }
}
