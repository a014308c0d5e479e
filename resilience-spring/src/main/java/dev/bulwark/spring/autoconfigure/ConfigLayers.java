package dev.bulwark.spring.autoconfigure;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * The property layers of one template or instance, most specific first, and the translation of core
 * validation errors into errors that name the property: when a core builder refuses a value, startup fails
 * with an {@link InvalidConfigurationPropertyValueException} naming the property path, the value and the
 * core's rule ({@code "failureRateThreshold must be in (0, 100], was 120.0"}).
 *
 * <pre>{@code
 * layers.set("failure-rate-threshold", Options::getFailureRateThreshold, builder::failureRateThreshold);
 * }</pre>
 *
 * @param <O> the options type
 */
public final class ConfigLayers<O extends PolicyOptions> {
  private final String path;
  private final List<Layer<O>> layers;

  ConfigLayers(String path, List<Layer<O>> layers) {
    this.path = path;
    this.layers = List.copyOf(layers);
  }

  /**
   * Returns the property path of the template or instance, such as
   * {@code bulwark.circuitbreaker.instances.inventory}.
   *
   * @return the path
   */
  public String path() {
    return path;
  }

  /**
   * Passes the most specific value set for an option to {@code setter}; does nothing when no layer sets it.
   *
   * @param option the option's property name in kebab case
   * @param getter reads the option from a layer, null when unset
   * @param setter the core builder's setter
   * @param <T> the option's type
   */
  public <T> void set(String option, Function<O, T> getter, Consumer<? super T> setter) {
    for (Layer<O> layer : layers) {
      T value = getter.apply(layer.options());
      if (value != null) {
        try {
          setter.accept(value);
        } catch (IllegalArgumentException | IllegalStateException | NullPointerException e) {
          throw new InvalidConfigurationPropertyValueException(layer.path() + "." + option, value,
              e.getMessage());
        }
        return;
      }
    }
  }

  /**
   * Returns the most specific value set for an option, or null.
   *
   * @param getter reads the option from a layer
   * @param <T> the option's type
   * @return the value, or null
   */
  public <T> T get(Function<O, T> getter) {
    for (Layer<O> layer : layers) {
      T value = getter.apply(layer.options());
      if (value != null) {
        return value;
      }
    }
    return null;
  }

  /**
   * Runs {@code action}, turning a core validation error into one that names {@code option} of this template
   * or instance, for options the core checks together (a backoff's delay, multiplier and cap).
   *
   * @param option the option's property name
   * @param value the value, for the message
   * @param action the action
   */
  public void check(String option, Object value, Runnable action) {
    try {
      action.run();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new InvalidConfigurationPropertyValueException(path + "." + option, value, e.getMessage());
    }
  }

  /**
   * Builds the configuration, turning a cross-field rule of the core's {@code build()} into an error that
   * names this template or instance.
   *
   * @param build calls the builder's {@code build()}
   * @param <C> the configuration type
   * @return the configuration
   */
  public <C> C build(Supplier<C> build) {
    try {
      return build.get();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new BulwarkConfigurationException(path + ": " + e.getMessage(), e);
    }
  }

  /** One layer: a property path and the options bound there. */
  record Layer<O>(String path, O options) {}
}
