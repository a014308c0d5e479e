package dev.bulwark.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * With {@code resilience-micrometer} on the class path, every registry is bound to Actuator's meter
 * registry: the metrics endpoint shows Bulwark's meters for the instances, tagged by name.
 */
class MetricsEndToEndTest extends EndToEndTest {

  @Test
  void bulwarkMetersAreInActuatorsMeterRegistry() {
    HttpResponse<String> calls = app().get("/actuator/metrics/bulwark.circuitbreaker.calls");
    assertThat(calls.statusCode()).isEqualTo(200);
    List<String> names = json(calls.body(), "$.availableTags[?(@.tag == 'name')].values[*]");
    assertThat(names).contains("tunable", "inventory");

    HttpResponse<String> limit = app().get(
        "/actuator/metrics/bulwark.bulkhead.max.concurrent.calls?tag=name:reports");
    assertThat(limit.statusCode()).isEqualTo(200);
    List<Double> values = json(limit.body(), "$.measurements[*].value");
    assertThat(values).containsExactly(1.0);
  }
}
