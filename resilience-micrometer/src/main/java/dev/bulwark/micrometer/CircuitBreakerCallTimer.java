package dev.bulwark.micrometer;

import dev.bulwark.EventListener;
import dev.bulwark.circuitbreaker.CircuitBreakerEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * Opt-in per-call latency for one circuit breaker: a listener, given to the breaker's builder, that records
 * the duration of every permitted call in the timer {@code bulwark.circuitbreaker.call.duration}, tagged
 * {@code outcome} ({@code successful}, {@code failed}, {@code ignored}).
 *
 * <p>Off by default, because unlike the breaker's other meters it costs something per call: the breaker
 * creates an event for it and the timer is updated. Register it for the three call events only, so that
 * rejections and transitions create no event on its behalf. Its timers are removed with the breaker's other
 * meters when the binding closes (or the breaker leaves a followed registry).
 *
 * <pre>{@code
 * BulwarkMetrics metrics = BulwarkMetrics.builder(meterRegistry).build();
 * Registry<CircuitBreaker, CircuitBreakerConfig> breakers = Registry.builder(defaults, (name, config) -> {
 *   CircuitBreakerCallTimer timer = metrics.circuitBreakerCallTimer(name);
 *   return CircuitBreaker.builder(name).config(config)
 *       .listener(CircuitBreakerEvent.Success.class, timer)
 *       .listener(CircuitBreakerEvent.Failure.class, timer)
 *       .listener(CircuitBreakerEvent.Ignored.class, timer)
 *       .build();
 * }).build();
 * metrics.bind(breakers);
 * }</pre>
 */
public final class CircuitBreakerCallTimer implements EventListener<CircuitBreakerEvent> {
  static final String NAME = "bulwark.circuitbreaker.call.duration";

  private final Timer successful;
  private final Timer failed;
  private final Timer ignored;

  CircuitBreakerCallTimer(MeterRegistry registry, Tags tags) {
    this.successful = timer(registry, tags, "successful");
    this.failed = timer(registry, tags, "failed");
    this.ignored = timer(registry, tags, "ignored");
  }

  private static Timer timer(MeterRegistry registry, Tags tags, String outcome) {
    return Timer.builder(NAME)
        .description("Duration of the calls the breaker permitted, by outcome")
        .tags(tags)
        .tag("outcome", outcome)
        .register(registry);
  }

  /**
   * Records the duration of a call event; other events are ignored.
   *
   * @param event the event
   */
  @Override
  public void onEvent(CircuitBreakerEvent event) {
    if (event instanceof CircuitBreakerEvent.Success) {
      successful.record(((CircuitBreakerEvent.Success) event).durationNanos(), TimeUnit.NANOSECONDS);
    } else if (event instanceof CircuitBreakerEvent.Failure) {
      failed.record(((CircuitBreakerEvent.Failure) event).durationNanos(), TimeUnit.NANOSECONDS);
    } else if (event instanceof CircuitBreakerEvent.Ignored) {
      long nanos = ((CircuitBreakerEvent.Ignored) event).durationNanos();
      if (nanos >= 0) { // -1: a released (cancelled) permit, which has no duration
        ignored.record(nanos, TimeUnit.NANOSECONDS);
      }
    }
  }
}
