package dev.bulwark.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.spring.app.TestApplication;
import dev.bulwark.spring.support.ScriptedHttpServer.Reply;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code @CircuitBreaker} end to end: failures of the real dependency open the breaker, then calls go to the
 * fallback without reaching the dependency; after the open duration (on the test's clock) a probe closes it.
 * Sync and async. The endpoint and health show the state.
 */
class CircuitBreakerEndToEndTest extends EndToEndTest {

  @ParameterizedTest
  @ValueSource(strings = {"stock", "stock-async"})
  void failuresOpenTheBreakerThenTheFallbackAnswersUntilAProbeSucceeds(String route) {
    String instance = route.equals("stock") ? "inventory" : "inventory-async";
    String path = "/" + instance + "/sku-1";
    DEPENDENCY.script(path, Reply.status(500), Reply.status(500), Reply.status(500), Reply.status(500));

    for (int i = 0; i < 4; i++) {
      HttpResponse<String> failed = app().get("/e2e/" + route + "/sku-1");
      assertThat(failed.statusCode()).as("a dependency failure, not a rejection, has no fallback").isEqualTo(502);
    }
    HttpResponse<String> open = app().get("/e2e/" + route + "/sku-1");
    assertThat(open.statusCode()).isEqualTo(200);
    assertThat(open.body()).isEqualTo("cached sku-1 (" + instance + " open)");
    assertThat(DEPENDENCY.hits(path)).as("an open breaker does not call the dependency").isEqualTo(4);

    String described = app().get("/actuator/bulwark/circuitbreaker/" + instance).body();
    assertThat((String) json(described, "$.state")).isEqualTo("OPEN");
    assertThat((Double) json(described, "$.failureRate")).isEqualTo(100.0);
    String health = app().get("/actuator/health").body();
    assertThat((String) json(health, "$.status")).isEqualTo("UP");
    assertThat((Boolean) json(health, "$.components.bulwark.details.circuitbreaker." + instance + ".degraded"))
        .isTrue();

    TestApplication.CLOCK.advance(Duration.ofHours(1).plusSeconds(1));
    HttpResponse<String> probe = app().get("/e2e/" + route + "/sku-1");
    assertThat(probe.body()).isEqualTo("ok:" + path);
    assertThat((String) json(app().get("/actuator/bulwark/circuitbreaker/" + instance).body(), "$.state"))
        .isEqualTo("CLOSED");
  }
}
