package dev.bulwark.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;
import dev.bulwark.Registry;
import dev.bulwark.bulkhead.Bulkhead;
import dev.bulwark.bulkhead.BulkheadConfig;
import dev.bulwark.ratelimit.RateLimiter;
import dev.bulwark.ratelimit.RateLimiterConfig;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Properties changed at run time, through Spring Cloud's {@code EnvironmentChangeEvent} and through the
 * endpoint's write operation: instances follow, invalid values change nothing and say why.
 */
class RuntimeChangeEndToEndTest extends EndToEndTest {
  @Autowired
  ApplicationContext context;

  @Autowired
  ConfigurableEnvironment environment;

  @Test
  void anEnvironmentChangeReconfiguresTheBreakerAndKeepsTheStateAnOperatorSet() {
    assertThat(app().postJson("/actuator/bulwark/circuitbreaker/tunable", "{\"action\":\"force-open\"}")
        .statusCode()).isEqualTo(200);
    String before = app().get("/actuator/bulwark/circuitbreaker/tunable").body();
    assertThat((String) json(before, "$.config")).contains("failureRateThreshold=50.0");

    environment.getPropertySources().addFirst(new MapPropertySource("runtime-change-test",
        Map.of("bulwark.circuitbreaker.instances.tunable.failure-rate-threshold", "25")));
    context.publishEvent(new EnvironmentChangeEvent(context,
        Set.of("bulwark.circuitbreaker.instances.tunable.failure-rate-threshold")));

    String after = app().get("/actuator/bulwark/circuitbreaker/tunable").body();
    assertThat((String) json(after, "$.config")).contains("failureRateThreshold=25.0");
    assertThat((String) json(after, "$.state")).isEqualTo("FORCED_OPEN");
  }

  @Autowired
  Registry<RateLimiter, RateLimiterConfig> rateLimiters;

  @Autowired
  Registry<Bulkhead, BulkheadConfig> bulkheads;

  @Test
  void aRateLimiterTakesANewLimitInPlace() {
    RateLimiter before = rateLimiters.find("tunable-rate").orElseThrow();
    HttpResponse<String> changed = app().postJson("/actuator/bulwark/ratelimiter/tunable-rate/limit-for-period",
        "{\"value\":\"5\"}");
    assertThat(changed.statusCode()).isEqualTo(200);
    assertThat(rateLimiters.find("tunable-rate").orElseThrow()).isSameAs(before);
    assertThat(before.config().limitForPeriod()).isEqualTo(5);
  }

  @Test
  void aBulkheadTakesANewConcurrencyLimitInPlaceOnAnEnvironmentChange() {
    Bulkhead before = bulkheads.find("tunable-bulkhead").orElseThrow();
    environment.getPropertySources().addFirst(new MapPropertySource("bulkhead-change-test",
        Map.of("bulwark.bulkhead.instances.tunable-bulkhead.max-concurrent-calls", "3")));
    context.publishEvent(new EnvironmentChangeEvent(context,
        Set.of("bulwark.bulkhead.instances.tunable-bulkhead.max-concurrent-calls")));
    assertThat(bulkheads.find("tunable-bulkhead").orElseThrow()).isSameAs(before);
    assertThat(before.metrics().maxConcurrentCalls()).isEqualTo(3);
    assertThat((Integer) json(app().get("/actuator/bulwark/bulkhead/tunable-bulkhead").body(),
        "$.metrics.maxConcurrentCalls")).isEqualTo(3);
  }

  @Test
  void theEndpointSetsOneProperty() {
    HttpResponse<String> changed = app().postJson("/actuator/bulwark/retry/tunable-retry/max-attempts",
        "{\"value\":\"7\"}");
    assertThat(changed.statusCode()).isEqualTo(200);
    assertThat((String) json(changed.body(), "$.config")).contains("maxAttempts=7");
  }

  @Test
  void anInvalidValueChangesNothingAndNamesThePropertyTheRuleAndTheValue() {
    HttpResponse<String> refused = app().postJson(
        "/actuator/bulwark/circuitbreaker/tunable/slow-call-rate-threshold", "{\"value\":\"120\"}");
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body())
        .contains("bulwark.circuitbreaker.instances.tunable.slow-call-rate-threshold")
        .contains("120")
        .contains("slowCallRateThreshold must be in (0, 100], was 120.0");
    assertThat((String) json(app().get("/actuator/bulwark/circuitbreaker/tunable").body(), "$.config"))
        .contains("slowCallRateThreshold=100.0");
    assertThat(environment.getProperty("bulwark.circuitbreaker.instances.tunable.slow-call-rate-threshold"))
        .isNull();
  }
}
