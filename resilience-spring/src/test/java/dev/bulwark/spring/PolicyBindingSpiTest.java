package dev.bulwark.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import dev.bulwark.spring.support.ScriptedHttpServer.Reply;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The aspect, typed fallbacks (sync and async), the endpoint and the health contributor, end to end over
 * HTTP, through a test-only policy bound with the public {@link PolicyBinding} SPI.
 */
class PolicyBindingSpiTest extends EndToEndTest {

  @AfterEach
  void switchOn() {
    app().postJson("/actuator/bulwark/killswitch/switched", "{\"action\":\"on\"}");
    app().postJson("/actuator/bulwark/killswitch/switched-async", "{\"action\":\"on\"}");
  }

  @Test
  void callsPassThroughWhileTheSwitchIsOn() {
    HttpResponse<String> response = app().get("/switched?path=/spi/ok");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("ok:/spi/ok");
    assertThat(DEPENDENCY.hits("/spi/ok")).isEqualTo(1);
  }

  @Test
  void theMostSpecificFallbackTakesADependencyFailure() {
    DEPENDENCY.script("/spi/fails", Reply.status(500));
    HttpResponse<String> response = app().get("/switched?path=/spi/fails");
    assertThat(response.body()).isEqualTo("dependency failed: /spi/fails answered 500");
  }

  @Test
  void aRejectionGoesToTheRejectionFallbackWithoutCallingTheDependency() {
    app().postJson("/actuator/bulwark/killswitch/switched", "{\"action\":\"off\"}");
    HttpResponse<String> response = app().get("/switched?path=/spi/rejected");
    assertThat(response.body()).isEqualTo("rejected by switched");
    assertThat(DEPENDENCY.hits("/spi/rejected")).isZero();
  }

  @Test
  void withoutAFallbackTheRejectionReachesTheCaller() {
    app().postJson("/actuator/bulwark/killswitch/switched", "{\"action\":\"off\"}");
    HttpResponse<String> response = app().get("/switched-plain?path=/spi/plain");
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).isEqualTo("rejected by CIRCUIT_BREAKER switched");
  }

  @Test
  void asyncFallbacksMayReturnAStageOrAPlainValue() {
    DEPENDENCY.script("/spi/async-fails", Reply.status(503));
    assertThat(app().get("/switched-async?path=/spi/async-fails").body())
        .isEqualTo("async dependency failed: /spi/async-fails answered 503");
    app().postJson("/actuator/bulwark/killswitch/switched-async", "{\"action\":\"off\"}");
    assertThat(app().get("/switched-async?path=/spi/async-rejected").body())
        .isEqualTo("async rejected by switched-async");
    assertThat(DEPENDENCY.hits("/spi/async-rejected")).isZero();
  }

  @Test
  void theEndpointListsInstancesAndActsOnThem() {
    app().get("/switched?path=/spi/listed");
    String all = app().get("/actuator/bulwark").body();
    assertThat((String) JsonPath.read(all, "$.killswitch.switched.state")).isEqualTo("ON");

    HttpResponse<String> off = app().postJson("/actuator/bulwark/killswitch/switched", "{\"action\":\"off\"}");
    assertThat(off.statusCode()).isEqualTo(200);
    assertThat((String) JsonPath.read(off.body(), "$.state")).isEqualTo("OFF");
    assertThat((String) JsonPath.read(app().get("/actuator/bulwark/killswitch/switched").body(), "$.state"))
        .isEqualTo("OFF");
  }

  @Test
  void theEndpointAnswers404ForUnknownInstancesAnd400ForUnknownActions() {
    assertThat(app().get("/actuator/bulwark/killswitch/nobody").statusCode()).isEqualTo(404);
    assertThat(app().get("/actuator/bulwark/nothing").statusCode()).isEqualTo(404);
    HttpResponse<String> bad = app().postJson("/actuator/bulwark/killswitch/switched", "{\"action\":\"explode\"}");
    assertThat(bad.statusCode()).isEqualTo(400);
  }

  @Test
  void healthShowsEachInstanceAndStaysUpWhileOneIsDegraded() {
    app().get("/switched?path=/spi/health");
    app().postJson("/actuator/bulwark/killswitch/switched", "{\"action\":\"off\"}");
    HttpResponse<String> health = app().get("/actuator/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat((String) JsonPath.read(health.body(), "$.status")).isEqualTo("UP");
    assertThat((String) JsonPath.read(health.body(), "$.components.bulwark.status")).isEqualTo("UP");
    assertThat((String) JsonPath.read(health.body(),
        "$.components.bulwark.details.killswitch.switched.state")).isEqualTo("OFF");
    assertThat((Boolean) JsonPath.read(health.body(),
        "$.components.bulwark.details.killswitch.switched.degraded")).isTrue();
  }
}
