package dev.bulwark.spring.autoconfigure;

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

  static final Layering<TimeoutOptions, TimeoutConfig> LAYERING =
      new Layering<>("timeout", BulwarkProperties::getTimeout, TimeoutBinding::toConfig);

  TimeoutBinding(BulwarkProperties properties, Registry<Timeout, TimeoutConfig> registry) {
    super(Timeout.class, PolicyKind.TIMEOUT, dev.bulwark.spring.annotation.Timeout.class, LAYERING, properties,
        registry);
  }

  static TimeoutConfig toConfig(ConfigLayers<TimeoutOptions> layers) {
    TimeoutConfig.Builder b = TimeoutConfig.builder();
    layers.set("timeout", TimeoutOptions::getTimeout, b::timeout);
    layers.set("cancel-running-work", TimeoutOptions::getCancelRunningWork, b::cancelRunningWork);
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
