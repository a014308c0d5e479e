package dev.bulwark.micrometer;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Renders meters as sorted lines, {@code name{k=v,...} kind value}, so a test can assert every meter of a
 * registry at once: exact names, exact tags, exact values, and nothing else.
 */
final class MeterDump {
  private MeterDump() {}

  /** Every meter whose name starts with {@code prefix}, one line each, sorted. */
  static List<String> lines(MeterRegistry registry, String prefix) {
    return registry.getMeters().stream()
        .filter(m -> m.getId().getName().startsWith(prefix))
        .map(MeterDump::line)
        .sorted()
        .collect(Collectors.toList());
  }

  /** Every bulwark meter, one line each, sorted. */
  static List<String> lines(MeterRegistry registry) {
    return lines(registry, "bulwark.");
  }

  static String line(Meter meter) {
    Meter.Id id = meter.getId();
    String tags = id.getTags().stream()
        .map(t -> t.getKey() + "=" + t.getValue())
        .collect(Collectors.joining(",", "{", "}"));
    return id.getName() + tags + " " + kind(meter) + " " + value(meter);
  }

  private static String kind(Meter meter) {
    if (meter instanceof TimeGauge) {
      return "timegauge";
    }
    if (meter instanceof Gauge) {
      return "gauge";
    }
    if (meter instanceof FunctionCounter) {
      return "counter";
    }
    if (meter instanceof Timer) {
      return "timer";
    }
    return meter.getId().getType().name().toLowerCase(Locale.ROOT);
  }

  private static String value(Meter meter) {
    if (meter instanceof TimeGauge) {
      return format(((TimeGauge) meter).value(TimeUnit.MILLISECONDS)) + "ms";
    }
    if (meter instanceof Gauge) {
      return format(((Gauge) meter).value());
    }
    if (meter instanceof FunctionCounter) {
      return format(((FunctionCounter) meter).count());
    }
    if (meter instanceof Timer) {
      Timer timer = (Timer) meter;
      return timer.count() + "x/" + format(timer.totalTime(TimeUnit.MILLISECONDS)) + "ms";
    }
    return "?";
  }

  /** Integers without a fraction, others with up to 4 decimals. */
  static String format(double value) {
    if (Double.isNaN(value)) {
      return "NaN";
    }
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    return String.format(Locale.ROOT, "%.4f", value).replaceAll("0+$", "");
  }

  /** The lines of a Prometheus scrape that describe bulwark meters (samples, HELP and TYPE), in order. */
  static List<String> scrape(PrometheusMeterRegistry registry) {
    return registry.scrape().lines()
        .filter(l -> l.contains("bulwark_"))
        .collect(Collectors.toList());
  }

  static Tag tag(String key, String value) {
    return Tag.of(key, value);
  }
}
