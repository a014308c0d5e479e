package dev.bulwark.spring.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

/** The idempotency templates and instances, under {@code bulwark.idempotency}. */
public class IdempotencyGroup implements PolicyGroup<IdempotencyOptions> {
  /** Named idempotency configuration templates; {@code default} is the base of all others. */
  private Map<String, IdempotencyOptions> templates = new LinkedHashMap<>();

  /** Named idempotency instances, each inheriting from its template ({@code default} unless set). */
  private Map<String, IdempotencyOptions> instances = new LinkedHashMap<>();

  @Override
  public Map<String, IdempotencyOptions> getTemplates() {
    return templates;
  }

  /**
   * Sets the templates.
   *
   * @param templates the templates by name
   */
  public void setTemplates(Map<String, IdempotencyOptions> templates) {
    this.templates = templates;
  }

  @Override
  public Map<String, IdempotencyOptions> getInstances() {
    return instances;
  }

  /**
   * Sets the instances.
   *
   * @param instances the instances by name
   */
  public void setInstances(Map<String, IdempotencyOptions> instances) {
    this.instances = instances;
  }
}
