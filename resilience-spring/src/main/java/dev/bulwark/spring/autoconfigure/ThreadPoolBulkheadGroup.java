package dev.bulwark.spring.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

/** The thread-pool bulkhead templates and instances, under {@code bulwark.thread-pool-bulkhead}. */
public class ThreadPoolBulkheadGroup implements PolicyGroup<ThreadPoolBulkheadOptions> {
  /** Named thread-pool bulkhead configuration templates; {@code default} is the base of all others. */
  private Map<String, ThreadPoolBulkheadOptions> templates = new LinkedHashMap<>();

  /** Named thread-pool bulkhead instances, each inheriting from its template ({@code default} unless set). */
  private Map<String, ThreadPoolBulkheadOptions> instances = new LinkedHashMap<>();

  @Override
  public Map<String, ThreadPoolBulkheadOptions> getTemplates() {
    return templates;
  }

  /**
   * Sets the templates.
   *
   * @param templates the templates by name
   */
  public void setTemplates(Map<String, ThreadPoolBulkheadOptions> templates) {
    this.templates = templates;
  }

  @Override
  public Map<String, ThreadPoolBulkheadOptions> getInstances() {
    return instances;
  }

  /**
   * Sets the instances.
   *
   * @param instances the instances by name
   */
  public void setInstances(Map<String, ThreadPoolBulkheadOptions> instances) {
    this.instances = instances;
  }
}
