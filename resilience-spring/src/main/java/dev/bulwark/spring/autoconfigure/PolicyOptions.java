package dev.bulwark.spring.autoconfigure;

/**
 * What every template and instance of every primitive has in properties: the template an instance
 * inherits from. The options themselves are on the subclasses; an option left unset inherits, from the
 * instance to its template, to the {@code default} template, to the core's documented default.
 */
public abstract class PolicyOptions {
  /** For an instance: the template it inherits from. Only valid on instances. */
  private String template;

  /**
   * Returns the template this instance inherits from, {@code default} when unset.
   *
   * @return the template name, or null
   */
  public String getTemplate() {
    return template;
  }

  /**
   * Sets the template this instance inherits from.
   *
   * @param template the template name
   */
  public void setTemplate(String template) {
    this.template = template;
  }
}
