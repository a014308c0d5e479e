package dev.bulwark.spring.autoconfigure;

import dev.bulwark.ContextPropagator;
import dev.bulwark.Clock;
import dev.bulwark.Policy;
import dev.bulwark.PolicyKind;
import dev.bulwark.Registry;
import dev.bulwark.Scheduler;
import dev.bulwark.limit.ConcurrencyLimiterConfig;
import dev.bulwark.limit.LimitAlgorithm;
import dev.bulwark.limit.LoadShedder;
import dev.bulwark.limit.LoadShedderConfig;
import dev.bulwark.limit.Priority;
import dev.bulwark.spring.annotation.LoadShed;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/** Binds {@code @LoadShed} to {@link LoadShedder}, under {@code bulwark.loadshedder.*}. */
final class LoadShedderBinding extends AbstractPolicyBinding<LoadShed, LoadShedder, LoadShedderConfig,
    LoadShedderOptions> {

  /**
   * Returns how properties become configurations, every configuration carrying {@code propagators}: the
   * application's {@link ContextPropagator} beans.
   */
  static Layering<LoadShedderOptions, LoadShedderConfig> layering(ContextPropagator[] propagators) {
    return new Layering<>("loadshedder", BulwarkProperties::getLoadshedder, layers -> toConfig(layers, propagators));
  }

  LoadShedderBinding(BulwarkProperties properties, Registry<LoadShedder, LoadShedderConfig> registry,
      Layering<LoadShedderOptions, LoadShedderConfig> layering) {
    super(LoadShedder.class, PolicyKind.LOAD_SHEDDER, LoadShed.class, layering, properties, registry);
  }

  static LoadShedderConfig toConfig(ConfigLayers<LoadShedderOptions> layers, ContextPropagator[] propagators) {
    LoadShedderConfig.Builder b = LoadShedderConfig.builder();
    ConcurrencyLimiterConfig.Builder limiter = ConcurrencyLimiterConfig.builder();
    boolean limiterSet = algorithm(layers, limiter);
    if (layers.get(LoadShedderOptions::getWindow) != null
        || layers.get(LoadShedderOptions::getMinWindowSamples) != null) {
      layers.set("window", LoadShedderOptions::getWindow, limiter::window);
      layers.set("min-window-samples", LoadShedderOptions::getMinWindowSamples, limiter::minWindowSamples);
      limiterSet = true;
    }
    if (limiterSet) {
      ConcurrencyLimiterConfig built = layers.build(limiter::build);
      b.limiter(built);
    }
    layers.set("best-effort-share", LoadShedderOptions::getBestEffortShare, b::bestEffortShare);
    layers.set("default-priority", LoadShedderOptions::getDefaultPriority, p -> b.defaultPriority(Priority.of(p)));
    layers.set("max-queue-size", LoadShedderOptions::getMaxQueueSize, b::maxQueueSize);
    layers.set("queue-timeout", LoadShedderOptions::getQueueTimeout, b::queueTimeout);
    layers.set("congested-queue-timeout", LoadShedderOptions::getCongestedQueueTimeout, b::congestedQueueTimeout);
    layers.set("lifo-when-congested", LoadShedderOptions::getLifoWhenCongested, b::lifoWhenCongested);
    b.contextPropagators(propagators);
    return layers.build(b::build);
  }

  private static boolean algorithm(ConfigLayers<LoadShedderOptions> layers, ConcurrencyLimiterConfig.Builder limiter) {
    LoadShedderOptions.AlgorithmType type = layers.get(LoadShedderOptions::getAlgorithm);
    Integer initial = layers.get(LoadShedderOptions::getInitialLimit);
    Integer min = layers.get(LoadShedderOptions::getMinLimit);
    Integer max = layers.get(LoadShedderOptions::getMaxLimit);
    Integer fixed = layers.get(LoadShedderOptions::getLimit);
    if (type == null && initial == null && min == null && max == null && fixed == null) {
      return false;
    }
    LoadShedderOptions.AlgorithmType kind = type != null ? type
        : fixed != null ? LoadShedderOptions.AlgorithmType.FIXED : LoadShedderOptions.AlgorithmType.GRADIENT;
    switch (kind) {
      case FIXED -> layers.set("limit", LoadShedderOptions::getLimit, l -> limiter.algorithm(LimitAlgorithm.fixed(l)));
      case GRADIENT -> {
        var builder = LimitAlgorithm.gradient();
        layers.set("initial-limit", LoadShedderOptions::getInitialLimit, builder::initialLimit);
        layers.set("min-limit", LoadShedderOptions::getMinLimit, builder::minLimit);
        layers.set("max-limit", LoadShedderOptions::getMaxLimit, builder::maxLimit);
        layers.check("algorithm", kind, () -> limiter.algorithm(builder.build()));
      }
      case AIMD -> {
        var builder = LimitAlgorithm.aimd();
        layers.set("initial-limit", LoadShedderOptions::getInitialLimit, builder::initialLimit);
        layers.set("min-limit", LoadShedderOptions::getMinLimit, builder::minLimit);
        layers.set("max-limit", LoadShedderOptions::getMaxLimit, builder::maxLimit);
        layers.check("algorithm", kind, () -> limiter.algorithm(builder.build()));
      }
      case VEGAS -> {
        var builder = LimitAlgorithm.vegas();
        layers.set("initial-limit", LoadShedderOptions::getInitialLimit, builder::initialLimit);
        layers.set("min-limit", LoadShedderOptions::getMinLimit, builder::minLimit);
        layers.set("max-limit", LoadShedderOptions::getMaxLimit, builder::maxLimit);
        layers.check("algorithm", kind, () -> limiter.algorithm(builder.build()));
      }
    }
    return true;
  }

  static BiFunction<String, LoadShedderConfig, LoadShedder> factory(Clock clock, Scheduler scheduler) {
    return (name, config) -> {
      LoadShedder.Builder builder = LoadShedder.builder(name).config(config);
      if (clock != null) {
        builder.clock(clock);
      }
      if (scheduler != null) {
        builder.scheduler(scheduler);
      }
      return builder.build();
    };
  }

  @Override
  public String instanceName(LoadShed annotation) {
    return annotation.name();
  }

  @Override
  public String fallbackMethod(LoadShed annotation) {
    return annotation.fallbackMethod();
  }

  @Override
  public void validate(LoadShed annotation, Method method, Class<?> targetClass) {
    int p = annotation.priority();
    if (p != -1 && (p < Priority.MIN_VALUE || p > Priority.MAX_VALUE)) {
      throw new IllegalStateException("@LoadShed(name = \"" + annotation.name() + "\") on "
          + targetClass.getName() + "." + method.getName() + ": priority must be in [" + Priority.MIN_VALUE + ", "
          + Priority.MAX_VALUE + "] or -1 for the shedder's default, was " + p);
    }
  }

  @Override
  public MethodPolicy bind(LoadShed annotation, Method method, Class<?> targetClass) {
    LoadShedder shedder = instance(annotation.name());
    if (annotation.priority() == -1) {
      return MethodPolicy.of(shedder);
    }
    return MethodPolicy.of(new Prioritized(shedder, Priority.of(annotation.priority())));
  }

  @Override
  Map<String, Object> describeInstance(LoadShedder shedder) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("metrics", Describe.metrics(shedder.metrics()));
    d.put("config", shedder.config().toString());
    return d;
  }

  /** The shedder with a method's priority: no allocation per call. */
  private static final class Prioritized implements Policy {
    private final LoadShedder shedder;
    private final Priority priority;

    Prioritized(LoadShedder shedder, Priority priority) {
      this.shedder = shedder;
      this.priority = priority;
    }

    @Override
    public String name() {
      return shedder.name();
    }

    @Override
    public PolicyKind kind() {
      return PolicyKind.LOAD_SHEDDER;
    }

    @Override
    public <T> T call(Callable<? extends T> callable) throws Exception {
      return shedder.call(priority, callable);
    }

    @Override
    public <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<? extends T>> supplier) {
      return shedder.callAsync(priority, supplier);
    }
  }
}
