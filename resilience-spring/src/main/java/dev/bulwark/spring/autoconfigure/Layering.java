package dev.bulwark.spring.autoconfigure;

import dev.bulwark.Registry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * How the properties of one primitive become core configurations: an instance's options over its
 * template's, over the {@code default} template's, over the core's defaults. Stateless: the registry bean
 * and the binding share one.
 *
 * @param <O> the options type
 * @param <C> the core configuration type
 */
final class Layering<O extends PolicyOptions, C> {
  private final String propertyName;
  private final Function<BulwarkProperties, PolicyGroup<O>> groupOf;
  private final Function<ConfigLayers<O>, C> toConfig;

  Layering(String propertyName, Function<BulwarkProperties, PolicyGroup<O>> groupOf,
      Function<ConfigLayers<O>, C> toConfig) {
    this.propertyName = propertyName;
    this.groupOf = groupOf;
    this.toConfig = toConfig;
  }

  String propertyName() {
    return propertyName;
  }

  PolicyGroup<O> group(BulwarkProperties source) {
    return groupOf.apply(source);
  }

  private C toConfig(ConfigLayers<O> layers) {
    return toConfig.apply(layers);
  }

  /** Builds the configuration of the template {@code template}. */
  C templateConfig(BulwarkProperties source, String template) {
    PolicyGroup<O> group = group(source);
    String prefix = "bulwark." + propertyName + ".templates.";
    List<ConfigLayers.Layer<O>> layers = new ArrayList<>();
    if (!template.equals(Registry.DEFAULT_TEMPLATE) && group.getTemplates().containsKey(template)) {
      layers.add(new ConfigLayers.Layer<>(prefix + template, group.getTemplates().get(template)));
    }
    O defaults = group.getTemplates().get(Registry.DEFAULT_TEMPLATE);
    if (defaults != null) {
      layers.add(new ConfigLayers.Layer<>(prefix + Registry.DEFAULT_TEMPLATE, defaults));
    }
    return toConfig(new ConfigLayers<>(prefix + template, layers));
  }

  /** Builds the configuration of the instance {@code name}: its own options over its template's. */
  C configFor(BulwarkProperties source, String name) {
    PolicyGroup<O> group = group(source);
    O own = group.getInstances().get(name);
    String instancePath = "bulwark." + propertyName + ".instances." + name;
    String template = own != null && own.getTemplate() != null ? own.getTemplate() : Registry.DEFAULT_TEMPLATE;
    String templatePrefix = "bulwark." + propertyName + ".templates.";
    List<ConfigLayers.Layer<O>> layers = new ArrayList<>();
    if (own != null) {
      layers.add(new ConfigLayers.Layer<>(instancePath, own));
    }
    if (!template.equals(Registry.DEFAULT_TEMPLATE)) {
      layers.add(new ConfigLayers.Layer<>(templatePrefix + template, group.getTemplates().get(template)));
    }
    O defaults = group.getTemplates().get(Registry.DEFAULT_TEMPLATE);
    if (defaults != null) {
      layers.add(new ConfigLayers.Layer<>(templatePrefix + Registry.DEFAULT_TEMPLATE, defaults));
    }
    return toConfig(new ConfigLayers<>(instancePath, layers));
  }

  /** Fails for an instance naming an unknown template, or a template naming a template. */
  void checkTemplates(BulwarkProperties source) {
    PolicyGroup<O> group = group(source);
    for (Map.Entry<String, O> entry : group.getTemplates().entrySet()) {
      if (entry.getValue().getTemplate() != null) {
        throw new InvalidConfigurationPropertyValueException(
            "bulwark." + propertyName + ".templates." + entry.getKey() + ".template",
            entry.getValue().getTemplate(), "templates do not inherit from other templates, only from '"
            + Registry.DEFAULT_TEMPLATE + "'; set the options here instead");
      }
    }
    for (Map.Entry<String, O> entry : group.getInstances().entrySet()) {
      String template = entry.getValue().getTemplate();
      if (template != null && !template.equals(Registry.DEFAULT_TEMPLATE)
          && !group.getTemplates().containsKey(template)) {
        List<String> known = new ArrayList<>(group.getTemplates().keySet());
        if (!known.contains(Registry.DEFAULT_TEMPLATE)) {
          known.add(0, Registry.DEFAULT_TEMPLATE);
        }
        throw new InvalidConfigurationPropertyValueException(
            "bulwark." + propertyName + ".instances." + entry.getKey() + ".template", template,
            "unknown configuration template '" + template + "'; known templates: " + known);
      }
    }
  }

  /** Returns the configuration of every template in {@code source}, {@code default} first. */
  Map<String, C> templateConfigs(BulwarkProperties source) {
    Map<String, C> templates = new LinkedHashMap<>();
    templates.put(Registry.DEFAULT_TEMPLATE, templateConfig(source, Registry.DEFAULT_TEMPLATE));
    for (String name : group(source).getTemplates().keySet()) {
      templates.putIfAbsent(name, templateConfig(source, name));
    }
    return templates;
  }
}
