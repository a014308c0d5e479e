package dev.bulwark.micrometer;

import dev.bulwark.limit.AdaptiveThrottle;
import dev.bulwark.limit.ConcurrencyLimiter;
import dev.bulwark.limit.LoadShedder;
import dev.bulwark.limit.Priority;
import io.micrometer.core.instrument.Tag;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The meters of the adaptive policies: {@link ConcurrencyLimiter} ({@code bulwark.limiter.*}),
 * {@link LoadShedder} ({@code bulwark.shedder.*}, with rejections and admission limits per priority band) and
 * {@link AdaptiveThrottle} ({@code bulwark.throttle.*}).
 *
 * <p>{@code calls} counts the calls that got a permit, by {@code outcome}; {@code rejected.calls} counts the
 * calls refused, so the two together are the traffic. A shedder has names of its own, not the limiter's with
 * an extra tag, so that every Prometheus metric keeps one set of tag keys.
 */
final class LimitMeters {
  static final String LIMITER = "bulwark.limiter.";
  static final String SHEDDER = "bulwark.shedder.";
  static final String THROTTLE = "bulwark.throttle.";

  /** One priority per band of the shedder (0-24, 25-49, 50-74, 75-99, 100), named after its tier. */
  static final List<Priority> BANDS =
      List.of(Priority.BEST_EFFORT, Priority.LOW, Priority.NORMAL, Priority.HIGH, Priority.CRITICAL);

  private LimitMeters() {}

  static PolicyBinder<ConcurrencyLimiter> limiter() {
    return new PolicyBinder<>(ConcurrencyLimiter.class, LimitMeters::bindLimiter);
  }

  static PolicyBinder<LoadShedder> shedder() {
    return new PolicyBinder<>(LoadShedder.class, LimitMeters::bindShedder);
  }

  static PolicyBinder<AdaptiveThrottle> throttle() {
    return new PolicyBinder<>(AdaptiveThrottle.class, LimitMeters::bindThrottle);
  }

  static void bindLimiter(ConcurrencyLimiter limiter, MeterSet meters) {
    common(LIMITER, limiter, ConcurrencyLimiter::metrics, meters);
    meters.counter(LIMITER + "rejected.calls", "Calls refused because the limit was reached", null,
        limiter, l -> l.metrics().rejectedCalls());
  }

  static void bindShedder(LoadShedder shedder, MeterSet meters) {
    common(SHEDDER, shedder, LoadShedder::metrics, meters);
    meters.gauge(SHEDDER + "queued.calls", "Calls waiting in the queue", null,
        shedder, s -> s.metrics().queued());
    for (Priority band : BANDS) {
      Tag priority = Tag.of("priority", band.name().toLowerCase(Locale.ROOT));
      meters.counter(SHEDDER + "rejected.calls", "Calls refused, by priority band", null,
          shedder, s -> s.metrics().rejectedCalls(band), priority);
      meters.gauge(SHEDDER + "admission.limit",
          "Calls of this priority band that may be in flight before one is refused, at the current limit",
          null, shedder, s -> s.metrics().admissionLimit(band), priority);
    }
  }

  /** The meters a limiter and a shedder share, under their own prefix. */
  private static <P> void common(String prefix, P policy,
      Function<P, ? extends ConcurrencyLimiter.Metrics> view, MeterSet meters) {
    meters.gauge(prefix + "limit", "The current concurrency limit", null,
        policy, p -> view.apply(p).limit());
    meters.gauge(prefix + "inflight", "Calls in flight now", null,
        policy, p -> view.apply(p).inflight());
    meters.timeGauge(prefix + "latency", "Latency estimate: median round-trip time of the last judged window;"
        + " NaN before the first", policy, p -> nanos(view.apply(p).rttNanos()));
    meters.timeGauge(prefix + "latency.noload", "The algorithm's estimate of the round-trip time without load;"
        + " NaN if it keeps none", policy, p -> nanos(view.apply(p).noLoadRttNanos()));
    String calls = "Calls that got a permit, by outcome";
    meters.counter(prefix + "calls", calls, null, policy, p -> view.apply(p).successfulCalls(),
        Tag.of("outcome", "successful"));
    meters.counter(prefix + "calls", calls, null, policy, p -> view.apply(p).droppedCalls(),
        Tag.of("outcome", "dropped"));
    meters.counter(prefix + "calls", calls, null, policy, p -> view.apply(p).ignoredCalls(),
        Tag.of("outcome", "ignored"));
  }

  static void bindThrottle(AdaptiveThrottle throttle, MeterSet meters) {
    meters.gauge(THROTTLE + "rejection.probability", "Probability that a call is rejected locally now, in [0, 1]",
        null, throttle, t -> t.metrics().rejectionProbability());
    meters.gauge(THROTTLE + "window.requests", "Requests counted in the current window", null,
        throttle, t -> t.metrics().requests());
    meters.gauge(THROTTLE + "window.accepts", "Calls the backend accepted in the current window", null,
        throttle, t -> t.metrics().accepts());
    meters.counter(THROTTLE + "rejected.calls", "Calls rejected locally", null,
        throttle, t -> t.metrics().rejectedCalls());
  }

  /** The views say -1 for "not known yet"; a gauge says that with NaN. */
  private static double nanos(long nanos) {
    return nanos < 0 ? Double.NaN : nanos;
  }
}
