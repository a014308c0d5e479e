package dev.bulwark.spring.autoconfigure;

import dev.bulwark.Clock;
import dev.bulwark.Policy;
import dev.bulwark.PolicyKind;
import dev.bulwark.Registry;
import dev.bulwark.Scheduler;
import dev.bulwark.Sleeper;
import dev.bulwark.idempotency.Idempotency;
import dev.bulwark.idempotency.IdempotencyConfig;
import dev.bulwark.idempotency.IdempotencyStore;
import dev.bulwark.spring.annotation.Idempotent;
import dev.bulwark.spring.aop.ArgumentExpression;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Binds {@code @Idempotent} to {@link Idempotency}, under {@code bulwark.idempotency.*}: the key and the
 * fingerprint are SpEL expressions over the arguments, parsed when the context starts.
 */
final class IdempotencyBinding extends AbstractPolicyBinding<Idempotent, Idempotency, IdempotencyConfig,
    IdempotencyOptions> {

  static final Layering<IdempotencyOptions, IdempotencyConfig> LAYERING =
      new Layering<>("idempotency", BulwarkProperties::getIdempotency, IdempotencyBinding::toConfig);

  IdempotencyBinding(BulwarkProperties properties, Registry<Idempotency, IdempotencyConfig> registry) {
    super(Idempotency.class, PolicyKind.IDEMPOTENCY, Idempotent.class, LAYERING, properties, registry);
  }

  static IdempotencyConfig toConfig(ConfigLayers<IdempotencyOptions> layers) {
    IdempotencyConfig.Builder b = IdempotencyConfig.builder();
    layers.set("lease", IdempotencyOptions::getLease, b::lease);
    layers.set("ttl", IdempotencyOptions::getTtl, b::ttl);
    layers.set("wait-for-completion", IdempotencyOptions::getWaitForCompletion, b::waitForCompletion);
    layers.set("poll-interval", IdempotencyOptions::getPollInterval, b::pollInterval);
    layers.set("heartbeat-interval", IdempotencyOptions::getHeartbeatInterval, b::heartbeatInterval);
    layers.set("fail-open", IdempotencyOptions::getFailOpen, b::failOpen);
    layers.set("max-key-length", IdempotencyOptions::getMaxKeyLength, b::maxKeyLength);
    layers.set("max-result-bytes", IdempotencyOptions::getMaxResultBytes, b::maxResultBytes);
    return layers.build(b::build);
  }

  static BiFunction<String, IdempotencyConfig, Idempotency> factory(IdempotencyStore store, Clock clock,
      Sleeper sleeper, Scheduler scheduler) {
    return (name, config) -> {
      Idempotency.Builder builder = Idempotency.builder(name).config(config);
      if (store != null) {
        builder.store(store);
      }
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
  public String instanceName(Idempotent annotation) {
    return annotation.name();
  }

  @Override
  public String fallbackMethod(Idempotent annotation) {
    return annotation.fallbackMethod();
  }

  @Override
  public MethodPolicy bind(Idempotent annotation, Method method, Class<?> targetClass) {
    String origin = "@Idempotent(name = \"" + annotation.name() + "\") on " + targetClass.getName() + "."
        + method.getName();
    ArgumentExpression key = ArgumentExpression.parse(annotation.key(), method, origin + " key");
    ArgumentExpression fingerprint = annotation.fingerprint().isEmpty() ? null
        : ArgumentExpression.parse(annotation.fingerprint(), method, origin + " fingerprint");
    Idempotency idempotency = instance(annotation.name());
    return new MethodPolicy() {
      @Override
      public PolicyKind kind() {
        return PolicyKind.IDEMPOTENCY;
      }

      @Override
      public Policy policy(Object target, Object[] arguments) {
        return new Keyed(idempotency, key.evaluate(target, arguments),
            fingerprint == null ? "" : fingerprint.evaluate(target, arguments));
      }

      @Override
      public boolean perInvocation() {
        return true;
      }
    };
  }

  @Override
  Map<String, Object> describeInstance(Idempotency idempotency) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("store", idempotency.store().getClass().getSimpleName());
    d.put("metrics", Describe.metrics(idempotency.metrics()));
    d.put("config", idempotency.config().toString());
    return d;
  }

  /** The idempotency policy bound to one call's key and fingerprint. */
  private static final class Keyed implements Policy {
    private final Idempotency idempotency;
    private final String key;
    private final String fingerprint;

    Keyed(Idempotency idempotency, String key, String fingerprint) {
      this.idempotency = idempotency;
      this.key = key;
      this.fingerprint = fingerprint;
    }

    @Override
    public String name() {
      return idempotency.name();
    }

    @Override
    public PolicyKind kind() {
      return PolicyKind.IDEMPOTENCY;
    }

    @Override
    public <T> T call(Callable<? extends T> callable) throws Exception {
      return idempotency.execute(key, fingerprint, callable);
    }

    @Override
    public <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<? extends T>> supplier) {
      return idempotency.executeAsync(key, fingerprint, supplier);
    }
  }
}
