package dev.bulwark.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

/** The scrape helper itself, on the stand-in policy: names, suffixes and tags as Prometheus shows them. */
class PrometheusHarnessTest {

  @Test
  void scrapeShowsCountersWithTotalAndGaugesAsTheyAre() {
    PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    FakePolicy p = new FakePolicy("inventory");
    p.calls.add(2);
    p.level.set(3);
    try (PolicyMeters bound = BulwarkMetrics.builder(prometheus).binder(FakePolicy.binder())
        .commonTags("service", "shop").build().bind(p)) {
      assertThat(bound.meters()).hasSize(2);
      assertThat(MeterDump.scrape(prometheus)).containsExactly(
          "# HELP bulwark_fake_calls_total calls",
          "# TYPE bulwark_fake_calls_total counter",
          "bulwark_fake_calls_total{name=\"inventory\",service=\"shop\"} 2.0",
          "# HELP bulwark_fake_level level",
          "# TYPE bulwark_fake_level gauge",
          "bulwark_fake_level{name=\"inventory\",service=\"shop\"} 3.0");
    }
    assertThat(MeterDump.scrape(prometheus)).isEmpty();
  }
}
