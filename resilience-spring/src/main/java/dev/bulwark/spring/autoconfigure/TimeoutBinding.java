package dev.bulwark.spring.autoconfigure;

import dev.bulwark.ContextPropagator;
import dev.bulwark.PolicyKind;
import dev.bulwark.Registry;
import dev.bulwark.Scheduler;
import dev.bulwark.timeout.Timeout;
import dev.bulwark.timeout.TimeoutConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;

/** Binds {@code @Timeout} to {@link Timeout}, under {@code bulwark.timeout.*}. */
final class TimeoutBinding extends AbstractPolicyBinding<dev.bulwark.spring.annotation.Timeout, Timeout,
    TimeoutConfig, TimeoutOptions> {

  /**
   * Returns how properties become configurations, every configuration carrying {@code propagators}: the
   * application's {@link ContextPropagator} beans.
   */
  static Layering<TimeoutOptions, TimeoutConfig> layering(ContextPropagator[] propagators) {
    return new Layering<>("timeout", BulwarkProperties::getTimeout, layers -> toConfig(layers, propagators));
  }

  TimeoutBinding(BulwarkProperties properties, Registry<Timeout, TimeoutConfig> registry,
      Layering<TimeoutOptions, TimeoutConfig> layering) {
    super(Timeout.class, PolicyKind.TIMEOUT, dev.bulwark.spring.annotation.Timeout.class, layering, properties,
        registry);
  }

  static TimeoutConfig toConfig(ConfigLayers<TimeoutOptions> layers, ContextPropagator[] propagators) {
    TimeoutConfig.Builder b = TimeoutConfig.builder();
    layers.set("timeout", TimeoutOptions::getTimeout, b::timeout);
    layers.set("cancel-running-work", TimeoutOptions::getCancelRunningWork, b::cancelRunningWork);
    b.contextPropagators(propagators);
    return layers.build(b::build);
  }

  static BiFunction<String, TimeoutConfig, Timeout> factory(Scheduler scheduler) {
    return (name, config) -> {
      Timeout.Builder builder = Timeout.builder(name).config(config);
      if (scheduler != null) {
        builder.scheduler(scheduler);
      }
      return builder.build();
    };
  }

  @Override
  public String instanceName(dev.bulwark.spring.annotation.Timeout annotation) {
    return annotation.name();
  }

  @Override
  public String fallbackMethod(dev.bulwark.spring.annotation.Timeout annotation) {
    return annotation.fallbackMethod();
  }

  @Override
  Map<String, Object> describeInstance(Timeout timeout) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("timeout", timeout.config().timeout().toString());
    d.put("metrics", Describe.metrics(timeout.metrics()));
    d.put("config", timeout.config().toString());
    return d;
  }
}
