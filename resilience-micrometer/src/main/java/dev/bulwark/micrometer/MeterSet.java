package dev.bulwark.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Registers the meters of one policy with its tags and remembers them, so that they can be removed together.
 *
 * <p>Every meter holds its state object (the policy) through a weak reference, Micrometer's default for
 * gauges and function counters: a meter never keeps a policy alive. The value functions given here must not
 * capture the policy either (they receive it as their argument), or the weak reference would be pointless.
 * When a policy is removed, its binding removes these meters explicitly; the weak reference only matters for
 * a policy dropped without closing its binding, whose meters then read NaN (gauges) or their last value
 * (counters) until they are removed.
 */
final class MeterSet {
  private final MeterRegistry registry;
  private final Tags tags;
  private final List<Meter> meters = new ArrayList<>();
  private final List<String> alsoRemoved = new ArrayList<>();

  MeterSet(MeterRegistry registry, Tags tags) {
    this.registry = registry;
    this.tags = tags;
  }

  /** A value that goes up and down, read from {@code obj} when the registry is scraped. */
  <T> void gauge(String name, String description, String baseUnit, T obj, ToDoubleFunction<T> value,
      Tag... extra) {
    meters.add(Gauge.builder(name, obj, value)
        .description(description)
        .baseUnit(baseUnit)
        .tags(tags)
        .tags(Tags.of(extra))
        .register(registry));
  }

  /** A duration that goes up and down, read in nanoseconds and reported in the registry's base time unit. */
  <T> void timeGauge(String name, String description, T obj, ToDoubleFunction<T> nanos, Tag... extra) {
    meters.add(TimeGauge.builder(name, obj, TimeUnit.NANOSECONDS, nanos)
        .description(description)
        .tags(tags)
        .tags(Tags.of(extra))
        .register(registry));
  }

  /** A monotonic count, read from {@code obj}'s own lifetime counter when the registry is scraped. */
  <T> void counter(String name, String description, String baseUnit, T obj, ToDoubleFunction<T> count,
      Tag... extra) {
    meters.add(FunctionCounter.builder(name, obj, count)
        .description(description)
        .baseUnit(baseUnit)
        .tags(tags)
        .tags(Tags.of(extra))
        .register(registry));
  }

  /**
   * Asks the binding to also remove, when it closes, the meters named {@code name} that carry this policy's
   * tags but were registered elsewhere: the opt-in call timers, which a listener registers.
   */
  void alsoRemoveOnClose(String name) {
    alsoRemoved.add(name);
  }

  List<Meter> meters() {
    return List.copyOf(meters);
  }

  List<String> alsoRemoved() {
    return List.copyOf(alsoRemoved);
  }

  Tags tags() {
    return tags;
  }
}
