package dev.bulwark.spring.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

/** The load shedder templates and instances, under {@code bulwark.loadshedder}. */
public class LoadShedderGroup implements PolicyGroup<LoadShedderOptions> {
  /** Named load shedder configuration templates; {@code default} is the base of all others. */
  private Map<String, LoadShedderOptions> templates = new LinkedHashMap<>();

  /** Named load shedder instances, each inheriting from its template ({@code default} unless set). */
  private Map<String, LoadShedderOptions> instances = new LinkedHashMap<>();

  @Override
  public Map<String, LoadShedderOptions> getTemplates() {
    return templates;
  }

  /**
   * Sets the templates.
   *
   * @param templates the templates by name
   */
  public void setTemplates(Map<String, LoadShedderOptions> templates) {
    this.templates = templates;
  }

  @Override
  public Map<String, LoadShedderOptions> getInstances() {
    return instances;
  }

  /**
   * Sets the instances.
   *
   * @param instances the instances by name
   */
  public void setInstances(Map<String, LoadShedderOptions> instances) {
    this.instances = instances;
  }
}
