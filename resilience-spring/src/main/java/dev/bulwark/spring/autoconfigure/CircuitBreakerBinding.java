package dev.bulwark.spring.autoconfigure;

import dev.bulwark.Clock;
import dev.bulwark.PolicyKind;
import dev.bulwark.Registry;
import dev.bulwark.circuitbreaker.CircuitBreaker;
import dev.bulwark.circuitbreaker.CircuitBreakerConfig;
import dev.bulwark.circuitbreaker.CircuitBreakerEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Binds {@code @CircuitBreaker} to {@link CircuitBreaker}, under {@code bulwark.circuitbreaker.*}. */
final class CircuitBreakerBinding extends AbstractPolicyBinding<dev.bulwark.spring.annotation.CircuitBreaker,
    CircuitBreaker, CircuitBreakerConfig, CircuitBreakerOptions> {
  private static final Logger LOGGER = LoggerFactory.getLogger("dev.bulwark.spring.circuitbreaker");

  static final Layering<CircuitBreakerOptions, CircuitBreakerConfig> LAYERING =
      new Layering<>("circuitbreaker", BulwarkProperties::getCircuitbreaker, CircuitBreakerBinding::toConfig);

  CircuitBreakerBinding(BulwarkProperties properties, Registry<CircuitBreaker, CircuitBreakerConfig> registry) {
    super(CircuitBreaker.class, PolicyKind.CIRCUIT_BREAKER, dev.bulwark.spring.annotation.CircuitBreaker.class,
        LAYERING, properties, registry);
  }

  static CircuitBreakerConfig toConfig(ConfigLayers<CircuitBreakerOptions> layers) {
    CircuitBreakerConfig.Builder b = CircuitBreakerConfig.builder();
    layers.set("failure-rate-threshold", CircuitBreakerOptions::getFailureRateThreshold, b::failureRateThreshold);
    layers.set("slow-call-rate-threshold", CircuitBreakerOptions::getSlowCallRateThreshold,
        b::slowCallRateThreshold);
    layers.set("sliding-window-type", CircuitBreakerOptions::getSlidingWindowType, b::slidingWindowType);
    layers.set("sliding-window-size", CircuitBreakerOptions::getSlidingWindowSize, b::slidingWindowSize);
    layers.set("minimum-number-of-calls", CircuitBreakerOptions::getMinimumNumberOfCalls, b::minimumNumberOfCalls);
    layers.set("consecutive-failure-threshold", CircuitBreakerOptions::getConsecutiveFailureThreshold,
        b::consecutiveFailureThreshold);
    layers.set("permitted-calls-in-half-open", CircuitBreakerOptions::getPermittedCallsInHalfOpen,
        b::permittedCallsInHalfOpen);
    layers.set("open-duration", CircuitBreakerOptions::getOpenDuration, b::openDuration);
    layers.set("open-duration-multiplier", CircuitBreakerOptions::getOpenDurationMultiplier,
        b::openDurationMultiplier);
    layers.set("max-open-duration", CircuitBreakerOptions::getMaxOpenDuration, b::maxOpenDuration);
    layers.set("open-duration-jitter", CircuitBreakerOptions::getOpenDurationJitter, b::openDurationJitter);
    layers.set("max-half-open-duration", CircuitBreakerOptions::getMaxHalfOpenDuration, b::maxHalfOpenDuration);
    Classifiers.apply(layers, CircuitBreakerOptions::getRecordExceptions, CircuitBreakerOptions::getIgnoreExceptions,
        CircuitBreakerOptions::getSlowCallDuration, b::classifier);
    return layers.build(b::build);
  }

  /** Creates breakers with the application's clock, if it declares one, and state changes logged. */
  static BiFunction<String, CircuitBreakerConfig, CircuitBreaker> factory(Clock clock) {
    return (name, config) -> {
      CircuitBreaker.Builder builder = CircuitBreaker.builder(name).config(config)
          .listener(CircuitBreakerEvent.StateTransition.class, e ->
              LOGGER.info("Bulwark circuit breaker '{}' went from {} to {}", e.name(), e.from(), e.to()));
      if (clock != null) {
        builder.clock(clock);
      }
      return builder.build();
    };
  }

  @Override
  public String instanceName(dev.bulwark.spring.annotation.CircuitBreaker annotation) {
    return annotation.name();
  }

  @Override
  public String fallbackMethod(dev.bulwark.spring.annotation.CircuitBreaker annotation) {
    return annotation.fallbackMethod();
  }

  @Override
  Map<String, Object> describeInstance(CircuitBreaker breaker) {
    CircuitBreaker.Metrics m = breaker.metrics();
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("state", m.state().name());
    d.put("failureRate", m.failureRate());
    d.put("slowCallRate", m.slowCallRate());
    d.put("bufferedCalls", m.bufferedCalls());
    d.put("failedCalls", m.failedCalls());
    d.put("slowCalls", m.slowCalls());
    d.put("successfulCalls", m.successfulCalls());
    d.put("notPermittedCalls", m.totalNotPermittedCalls());
    d.put("totalSuccessfulCalls", m.totalSuccessfulCalls());
    d.put("totalFailedCalls", m.totalFailedCalls());
    d.put("totalSlowCalls", m.totalSlowCalls());
    d.put("totalIgnoredCalls", m.totalIgnoredCalls());
    d.put("config", breaker.config().toString());
    return d;
  }

  @Override
  public boolean degraded(CircuitBreaker breaker) {
    CircuitBreaker.State state = breaker.state();
    return state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.FORCED_OPEN;
  }

  @Override
  public List<String> actions() {
    return List.of("force-open", "disable", "metrics-only", "close", "reset");
  }

  @Override
  public void perform(CircuitBreaker breaker, String action) {
    switch (action) {
      case "force-open" -> breaker.transitionToForcedOpen();
      case "disable" -> breaker.transitionToDisabled();
      case "metrics-only" -> breaker.transitionToMetricsOnly();
      case "close" -> breaker.transitionToClosed();
      case "reset" -> breaker.reset();
      default -> super.perform(breaker, action);
    }
  }

  /** A replacement keeps a state an operator set by hand (forced open, disabled, metrics only). */
  @Override
  void afterReplace(CircuitBreaker old, CircuitBreaker fresh) {
    switch (old.state()) {
      case FORCED_OPEN -> fresh.transitionToForcedOpen();
      case DISABLED -> fresh.transitionToDisabled();
      case METRICS_ONLY -> fresh.transitionToMetricsOnly();
      default -> { }
    }
  }
}
