package dev.bulwark.spring.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

/** The rate limiter templates and instances, under {@code bulwark.ratelimiter}. */
public class RateLimiterGroup implements PolicyGroup<RateLimiterOptions> {
  /** Named rate limiter configuration templates; {@code default} is the base of all others. */
  private Map<String, RateLimiterOptions> templates = new LinkedHashMap<>();

  /** Named rate limiter instances, each inheriting from its template ({@code default} unless set). */
  private Map<String, RateLimiterOptions> instances = new LinkedHashMap<>();

  @Override
  public Map<String, RateLimiterOptions> getTemplates() {
    return templates;
  }

  /**
   * Sets the templates.
   *
   * @param templates the templates by name
   */
  public void setTemplates(Map<String, RateLimiterOptions> templates) {
    this.templates = templates;
  }

  @Override
  public Map<String, RateLimiterOptions> getInstances() {
    return instances;
  }

  /**
   * Sets the instances.
   *
   * @param instances the instances by name
   */
  public void setInstances(Map<String, RateLimiterOptions> instances) {
    this.instances = instances;
  }
}
