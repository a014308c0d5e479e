package dev.bulwark.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.Policy;
import dev.bulwark.bulkhead.Bulkhead;
import dev.bulwark.bulkhead.ThreadPoolBulkhead;
import dev.bulwark.circuitbreaker.CircuitBreaker;
import dev.bulwark.idempotency.Idempotency;
import dev.bulwark.limit.AdaptiveThrottle;
import dev.bulwark.limit.ConcurrencyLimiter;
import dev.bulwark.limit.LoadShedder;
import dev.bulwark.ratelimit.RateLimiter;
import dev.bulwark.retry.Retry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code docs/metrics.md} and {@code docs/grafana-bulwark.json} true: every Prometheus name they use is
 * one that a bound policy exposes, and every name a bound policy exposes is documented.
 */
class DocsMatchMetersTest {
  private static final Pattern PROMETHEUS_NAME = Pattern.compile("bulwark_[a-z_]+");
  private static final Pattern METER_NAME = Pattern.compile("`(bulwark(?:\\.[a-z]+)+)`");

  /** Surefire runs in the module's directory; the docs are the project's. */
  private static Path docs(String file) {
    Path here = Path.of("").toAbsolutePath();
    Path docs = here.resolve("docs");
    return (Files.isDirectory(docs) ? docs : here.resolveSibling("docs")).resolve(file);
  }

  /** The Prometheus metric families of one instance of every bound kind of policy, opt-in timer included. */
  private static Set<String> scrapedFamilies() throws Exception {
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    BulwarkMetrics metrics = BulwarkMetrics.builder(prometheus).build();
    metrics.circuitBreakerCallTimer("x");
    try (ThreadPoolBulkhead pool = ThreadPoolBulkhead.ofDefaults("x")) {
      for (Policy policy : List.of(CircuitBreaker.ofDefaults("x"), Retry.ofDefaults("x"),
          Bulkhead.ofDefaults("x"), pool, RateLimiter.ofDefaults("x"), ConcurrencyLimiter.ofDefaults("x"),
          LoadShedder.ofDefaults("x"), AdaptiveThrottle.ofDefaults("x"), Idempotency.ofDefaults("x"))) {
        assertThat(metrics.supports(policy)).as(policy.toString()).isTrue();
        assertThat(metrics.bind(policy).meters()).as(policy.toString()).isNotEmpty();
      }
      Set<String> names = new TreeSet<>();
      prometheus.scrape().lines().filter(l -> l.startsWith("# TYPE bulwark_"))
          .forEach(l -> names.add(l.split(" ")[2]));
      return names;
    }
  }

  private static Set<String> found(Pattern pattern, String text) {
    Set<String> names = new TreeSet<>();
    Matcher m = pattern.matcher(text);
    while (m.find()) {
      names.add(m.groupCount() > 0 ? m.group(1) : m.group());
    }
    return names;
  }

  /** A name in a query may be a sample of a family: a summary's {@code _sum} and {@code _count}. */
  private static boolean known(String name, Set<String> families) {
    return families.contains(name)
        || families.stream().anyMatch(f -> name.equals(f + "_sum") || name.equals(f + "_count"));
  }

  @Test
  void everyPrometheusNameInTheDocsAndTheDashboardExists() throws Exception {
    Set<String> families = scrapedFamilies();
    for (String file : List.of("metrics.md", "grafana-bulwark.json")) {
      Set<String> used = found(PROMETHEUS_NAME, Files.readString(docs(file)));
      assertThat(used).as(file).isNotEmpty();
      assertThat(used.stream().filter(n -> !known(n, families)).toList()).as("unknown names in %s", file)
          .isEmpty();
    }
  }

  @Test
  void everyMeterIsDocumented() throws Exception {
    String doc = Files.readString(docs("metrics.md"));
    Set<String> documented = found(PROMETHEUS_NAME, doc);
    Set<String> meterNames = found(METER_NAME, doc);
    for (String family : scrapedFamilies()) {
      String meter = family.replaceAll("_(total|seconds|percent|seconds_max)$", "").replace('_', '.');
      boolean listed = documented.contains(family) || meterNames.contains(meter);
      assertThat(listed).as("%s (%s) is not in docs/metrics.md", family, meter).isTrue();
    }
  }

  @Test
  void theDashboardIsAnObjectWithPanelsAndTheNameVariable() throws Exception {
    String json = Files.readString(docs("grafana-bulwark.json")).strip();
    assertThat(json).startsWith("{").endsWith("}")
        .contains("\"panels\"", "\"templating\"", "label_values({__name__=~\\\"bulwark_.+\\\"}, name)");
  }
}
