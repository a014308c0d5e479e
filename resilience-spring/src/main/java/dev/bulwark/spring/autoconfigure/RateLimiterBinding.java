package dev.bulwark.spring.autoconfigure;

import dev.bulwark.ContextPropagator;
import dev.bulwark.Clock;
import dev.bulwark.PolicyKind;
import dev.bulwark.Registry;
import dev.bulwark.Scheduler;
import dev.bulwark.Sleeper;
import dev.bulwark.ratelimit.RateLimiter;
import dev.bulwark.ratelimit.RateLimiterConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;

/** Binds {@code @RateLimiter} to {@link RateLimiter}, under {@code bulwark.ratelimiter.*}. */
final class RateLimiterBinding extends AbstractPolicyBinding<dev.bulwark.spring.annotation.RateLimiter,
    RateLimiter, RateLimiterConfig, RateLimiterOptions> {

  /**
   * Returns how properties become configurations, every configuration carrying {@code propagators}: the
   * application's {@link ContextPropagator} beans.
   */
  static Layering<RateLimiterOptions, RateLimiterConfig> layering(ContextPropagator[] propagators) {
    return new Layering<>("ratelimiter", BulwarkProperties::getRatelimiter, layers -> toConfig(layers, propagators));
  }

  RateLimiterBinding(BulwarkProperties properties, Registry<RateLimiter, RateLimiterConfig> registry,
      Layering<RateLimiterOptions, RateLimiterConfig> layering) {
    super(RateLimiter.class, PolicyKind.RATE_LIMITER, dev.bulwark.spring.annotation.RateLimiter.class, layering,
        properties, registry);
  }

  static RateLimiterConfig toConfig(ConfigLayers<RateLimiterOptions> layers, ContextPropagator[] propagators) {
    RateLimiterConfig.Builder b = RateLimiterConfig.builder();
    layers.set("limit-for-period", RateLimiterOptions::getLimitForPeriod, b::limitForPeriod);
    layers.set("period", RateLimiterOptions::getPeriod, b::period);
    layers.set("burst-capacity", RateLimiterOptions::getBurstCapacity, b::burstCapacity);
    layers.set("max-wait", RateLimiterOptions::getMaxWait, b::maxWait);
    b.contextPropagators(propagators);
    return layers.build(b::build);
  }

  static BiFunction<String, RateLimiterConfig, RateLimiter> factory(Clock clock, Sleeper sleeper,
      Scheduler scheduler) {
    return (name, config) -> {
      RateLimiter.Builder builder = RateLimiter.builder(name).config(config);
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
  public String instanceName(dev.bulwark.spring.annotation.RateLimiter annotation) {
    return annotation.name();
  }

  @Override
  public String fallbackMethod(dev.bulwark.spring.annotation.RateLimiter annotation) {
    return annotation.fallbackMethod();
  }

  /** The rate limiter takes any new configuration in place, keeping the permits it has handed out. */
  @Override
  boolean reconfigureInPlace(RateLimiter limiter, RateLimiterConfig oldConfig, RateLimiterConfig newConfig) {
    limiter.changeConfig(newConfig);
    return true;
  }

  @Override
  Map<String, Object> describeInstance(RateLimiter limiter) {
    Map<String, Object> d = new LinkedHashMap<>();
    RateLimiter.Metrics m = limiter.metrics();
    d.put("state", m.availablePermits() > 0 ? "AVAILABLE" : "LIMITED");
    d.put("metrics", Describe.metrics(m));
    d.put("config", limiter.config().toString());
    return d;
  }
}
