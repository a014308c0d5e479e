package dev.bulwark.spring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code @RateLimiter} end to end: two calls per hour (on the test's clock) pass, the third goes to the
 * fallback; a runtime change through the endpoint raises the limit in place.
 */
class RateLimiterEndToEndTest extends EndToEndTest {

  @ParameterizedTest
  @ValueSource(strings = {"partner", "partner-async"})
  void callsOverTheLimitGoToTheFallback(String route) {
    assertThat(app().get("/e2e/" + route + "/1").body()).isEqualTo("ok:/" + route + "/1");
    assertThat(app().get("/e2e/" + route + "/2").body()).isEqualTo("ok:/" + route + "/2");
    assertThat(app().get("/e2e/" + route + "/3").body()).isEqualTo("rate limited by " + route);
    assertThat(DEPENDENCY.hits("/" + route + "/3")).isZero();
  }
}
