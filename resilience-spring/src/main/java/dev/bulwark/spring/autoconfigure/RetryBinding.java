package dev.bulwark.spring.autoconfigure;

import dev.bulwark.ContextPropagator;
import dev.bulwark.Clock;
import dev.bulwark.PolicyKind;
import dev.bulwark.Registry;
import dev.bulwark.Scheduler;
import dev.bulwark.Sleeper;
import dev.bulwark.retry.Backoff;
import dev.bulwark.retry.Jitter;
import dev.bulwark.retry.Retry;
import dev.bulwark.retry.RetryBudgetConfig;
import dev.bulwark.retry.RetryConfig;
import dev.bulwark.retry.RetryEvent;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Binds {@code @Retry} to {@link Retry}, under {@code bulwark.retry.*}. */
final class RetryBinding extends AbstractPolicyBinding<dev.bulwark.spring.annotation.Retry, Retry, RetryConfig,
    RetryOptions> {
  private static final Logger LOGGER = LoggerFactory.getLogger("dev.bulwark.spring.retry");

  /**
   * Returns how properties become configurations, every configuration carrying {@code propagators}: the
   * application's {@link ContextPropagator} beans.
   */
  static Layering<RetryOptions, RetryConfig> layering(ContextPropagator[] propagators) {
    return new Layering<>("retry", BulwarkProperties::getRetry, layers -> toConfig(layers, propagators));
  }

  RetryBinding(BulwarkProperties properties, Registry<Retry, RetryConfig> registry,
      Layering<RetryOptions, RetryConfig> layering) {
    super(Retry.class, PolicyKind.RETRY, dev.bulwark.spring.annotation.Retry.class, layering, properties, registry);
  }

  static RetryConfig toConfig(ConfigLayers<RetryOptions> layers, ContextPropagator[] propagators) {
    RetryConfig.Builder b = RetryConfig.builder();
    layers.set("max-attempts", RetryOptions::getMaxAttempts, b::maxAttempts);
    layers.set("max-duration", RetryOptions::getMaxDuration, b::maxDuration);
    backoff(layers, b);
    layers.set("retry-exceptions", RetryOptions::getRetryExceptions, t -> b.retryOn(Classifiers.array(t)));
    layers.set("ignore-exceptions", RetryOptions::getIgnoreExceptions, t -> b.ignore(Classifiers.array(t)));
    layers.set("abort-exceptions", RetryOptions::getAbortExceptions, t -> b.abortOn(Classifiers.array(t)));
    layers.set("on-rejection", RetryOptions::getOnRejection, b::onRejection);
    layers.set("max-retry-after", RetryOptions::getMaxRetryAfter, b::maxRetryAfter);
    budget(layers, b);
    b.contextPropagators(propagators);
    return layers.build(b::build);
  }

  private static void backoff(ConfigLayers<RetryOptions> layers, RetryConfig.Builder b) {
    RetryOptions.BackoffType type = layers.get(RetryOptions::getBackoff);
    Duration delay = layers.get(RetryOptions::getDelay);
    Double multiplier = layers.get(RetryOptions::getMultiplier);
    Duration maxDelay = layers.get(RetryOptions::getMaxDelay);
    Jitter jitter = layers.get(RetryOptions::getJitter);
    if (type == null && delay == null && multiplier == null && maxDelay == null && jitter == null) {
      return; // the core's default backoff
    }
    if (type == null) {
      type = multiplier != null || maxDelay != null || delay == null
          ? RetryOptions.BackoffType.EXPONENTIAL : RetryOptions.BackoffType.FIXED;
    }
    RetryOptions.BackoffType kind = type;
    Duration base = delay != null ? delay : Duration.ofMillis(100);
    double factor = multiplier != null ? multiplier : 2.0;
    Duration cap = maxDelay != null ? maxDelay : Duration.ofSeconds(10);
    Jitter spread = jitter != null ? jitter : (kind == RetryOptions.BackoffType.EXPONENTIAL ? Jitter.FULL : Jitter.NONE);
    Backoff[] backoff = new Backoff[1];
    String option = delay != null && kind != RetryOptions.BackoffType.EXPONENTIAL ? "delay" : "backoff";
    layers.check(option, kind + " delay=" + base + " multiplier=" + factor + " max-delay=" + cap + " jitter=" + spread,
        () -> {
          Backoff chosen = switch (kind) {
            case NONE -> Backoff.none();
            case FIXED -> Backoff.fixed(base);
            case EXPONENTIAL -> Backoff.exponential(base, factor, cap);
          };
          backoff[0] = spread == Jitter.NONE ? chosen : chosen.withJitter(spread);
        });
    b.backoff(backoff[0]);
  }

  private static void budget(ConfigLayers<RetryOptions> layers, RetryConfig.Builder b) {
    RetryBudgetConfig.Mode mode = layers.get(RetryOptions::getBudget);
    if (mode == null) {
      return;
    }
    RetryBudgetConfig defaults = RetryBudgetConfig.defaults();
    Double ratio = layers.get(RetryOptions::getBudgetRatio);
    Double minPerSecond = layers.get(RetryOptions::getBudgetMinRetriesPerSecond);
    Duration window = layers.get(RetryOptions::getBudgetWindow);
    Double maxTokens = layers.get(RetryOptions::getBudgetMaxTokens);
    Double tokenRatio = layers.get(RetryOptions::getBudgetTokenRatio);
    RetryBudgetConfig[] budget = new RetryBudgetConfig[1];
    layers.check("budget", mode, () -> budget[0] = switch (mode) {
      case RATIO -> RetryBudgetConfig.ratio(ratio != null ? ratio : defaults.ratio(),
          minPerSecond != null ? minPerSecond : defaults.minRetriesPerSecond(),
          window != null ? window : defaults.window());
      case TOKEN_BUCKET -> RetryBudgetConfig.tokenBucket(maxTokens != null ? maxTokens : 100,
          tokenRatio != null ? tokenRatio : 0.1);
      case UNLIMITED -> RetryBudgetConfig.unlimited();
    });
    b.budget(budget[0]);
  }

  static BiFunction<String, RetryConfig, Retry> factory(Clock clock, Sleeper sleeper, Scheduler scheduler) {
    return (name, config) -> {
      Retry.Builder builder = Retry.builder(name).config(config);
      if (clock != null) {
        builder.clock(clock);
      }
      if (sleeper != null) {
        builder.sleeper(sleeper);
      }
      if (scheduler != null) {
        builder.scheduler(scheduler);
      }
      if (LOGGER.isDebugEnabled()) {
        builder.listener(e -> LOGGER.debug("Bulwark retry '{}': {}", name, e));
      }
      return builder.build();
    };
  }

  @Override
  public String instanceName(dev.bulwark.spring.annotation.Retry annotation) {
    return annotation.name();
  }

  @Override
  public String fallbackMethod(dev.bulwark.spring.annotation.Retry annotation) {
    return annotation.fallbackMethod();
  }

  @Override
  Map<String, Object> describeInstance(Retry retry) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("state", "ACTIVE");
    d.put("metrics", Describe.metrics(retry.metrics()));
    d.put("config", retry.config().toString());
    return d;
  }
}
