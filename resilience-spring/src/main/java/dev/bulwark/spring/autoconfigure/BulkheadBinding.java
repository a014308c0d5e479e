package dev.bulwark.spring.autoconfigure;

import dev.bulwark.ContextPropagator;
import dev.bulwark.Clock;
import dev.bulwark.PolicyKind;
import dev.bulwark.Registry;
import dev.bulwark.Scheduler;
import dev.bulwark.Sleeper;
import dev.bulwark.bulkhead.Bulkhead;
import dev.bulwark.bulkhead.BulkheadConfig;
import dev.bulwark.bulkhead.BulkheadEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Binds {@code @Bulkhead} (semaphore) to {@link Bulkhead}, under {@code bulwark.bulkhead.*}. */
final class BulkheadBinding extends AbstractPolicyBinding<dev.bulwark.spring.annotation.Bulkhead, Bulkhead,
    BulkheadConfig, BulkheadOptions> {
  private static final Logger LOGGER = LoggerFactory.getLogger("dev.bulwark.spring.bulkhead");

  /**
   * Returns how properties become configurations, every configuration carrying {@code propagators}: the
   * application's {@link ContextPropagator} beans.
   */
  static Layering<BulkheadOptions, BulkheadConfig> layering(ContextPropagator[] propagators) {
    return new Layering<>("bulkhead", BulwarkProperties::getBulkhead, layers -> toConfig(layers, propagators));
  }

  BulkheadBinding(BulwarkProperties properties, Registry<Bulkhead, BulkheadConfig> registry,
      Layering<BulkheadOptions, BulkheadConfig> layering) {
    super(Bulkhead.class, PolicyKind.BULKHEAD, dev.bulwark.spring.annotation.Bulkhead.class, layering, properties,
        registry);
  }

  static BulkheadConfig toConfig(ConfigLayers<BulkheadOptions> layers, ContextPropagator[] propagators) {
    BulkheadConfig.Builder b = BulkheadConfig.builder();
    layers.set("max-concurrent-calls", BulkheadOptions::getMaxConcurrentCalls, b::maxConcurrentCalls);
    layers.set("max-wait", BulkheadOptions::getMaxWait, b::maxWait);
    layers.set("max-waiting-calls", BulkheadOptions::getMaxWaitingCalls, b::maxWaitingCalls);
    b.contextPropagators(propagators);
    return layers.build(b::build);
  }

  static BiFunction<String, BulkheadConfig, Bulkhead> factory(Clock clock, Sleeper sleeper, Scheduler scheduler) {
    return (name, config) -> {
      Bulkhead.Builder builder = Bulkhead.builder(name).config(config)
          .listener(BulkheadEvent.LimitChanged.class, e -> LOGGER.info(
              "Bulwark bulkhead '{}' now admits {} concurrent calls (was {})", e.bulkheadName(), e.to(), e.from()));
      if (clock != null) {
        builder.clock(clock);
      }
      if (sleeper != null) {
        builder.sleeper(sleeper);
      }
      if (scheduler != null) {
        builder.scheduler(scheduler);
      }
      return builder.build();
    };
  }

  @Override
  public boolean handles(dev.bulwark.spring.annotation.Bulkhead annotation) {
    return annotation.type() == dev.bulwark.spring.annotation.Bulkhead.Type.SEMAPHORE;
  }

  @Override
  public String instanceName(dev.bulwark.spring.annotation.Bulkhead annotation) {
    return annotation.name();
  }

  @Override
  public String fallbackMethod(dev.bulwark.spring.annotation.Bulkhead annotation) {
    return annotation.fallbackMethod();
  }

  /** Only the concurrency limit changes in place (its waiters and in-flight calls are kept). */
  @Override
  boolean reconfigureInPlace(Bulkhead bulkhead, BulkheadConfig oldConfig, BulkheadConfig newConfig) {
    if (oldConfig == null || !Objects.equals(oldConfig.maxWait(), newConfig.maxWait())
        || oldConfig.maxWaitingCalls() != newConfig.maxWaitingCalls()) {
      return false;
    }
    bulkhead.changeMaxConcurrentCalls(newConfig.maxConcurrentCalls());
    return true;
  }

  @Override
  Map<String, Object> describeInstance(Bulkhead bulkhead) {
    Map<String, Object> d = new LinkedHashMap<>();
    Bulkhead.Metrics m = bulkhead.metrics();
    d.put("state", m.availablePermits() == 0 ? "FULL" : "AVAILABLE");
    d.put("metrics", Describe.metrics(m));
    d.put("config", bulkhead.config().toString());
    return d;
  }
}
