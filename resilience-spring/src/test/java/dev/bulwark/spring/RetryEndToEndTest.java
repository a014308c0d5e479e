package dev.bulwark.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.spring.support.ScriptedHttpServer.Reply;
import org.junit.jupiter.api.Test;

/** {@code @Retry} end to end: failed attempts are repeated; when all fail, the fallback answers. */
class RetryEndToEndTest extends EndToEndTest {

  @Test
  void aSyncCallSucceedsOnItsThirdAttempt() {
    DEPENDENCY.script("/pricing/apple", Reply.status(503), Reply.status(500), Reply.ok("1.20"));
    assertThat(app().get("/e2e/price/apple").body()).isEqualTo("1.20");
    assertThat(DEPENDENCY.hits("/pricing/apple")).isEqualTo(3);
  }

  @Test
  void anAsyncCallSucceedsOnItsSecondAttempt() {
    DEPENDENCY.script("/pricing-async/pear", Reply.status(503), Reply.ok("0.80"));
    assertThat(app().get("/e2e/price-async/pear").body()).isEqualTo("0.80");
    assertThat(DEPENDENCY.hits("/pricing-async/pear")).isEqualTo(2);
  }

  @Test
  void whenEveryAttemptFailsTheFallbackAnswers() {
    DEPENDENCY.script("/pricing-async/plum", Reply.status(500), Reply.status(500), Reply.status(500));
    assertThat(app().get("/e2e/price-async/plum").body()).isEqualTo("list price of plum");
    assertThat(DEPENDENCY.hits("/pricing-async/plum")).isEqualTo(3);
  }

  @Test
  void withoutAFallbackTheLastFailureReachesTheCaller() {
    DEPENDENCY.script("/pricing/fig", Reply.status(500), Reply.status(500), Reply.status(500));
    assertThat(app().get("/e2e/price/fig").statusCode()).isEqualTo(502);
    assertThat(DEPENDENCY.hits("/pricing/fig")).isEqualTo(3);
  }

  @Test
  void retryWrapsTheBreakerSoAnOpenBreakerStopsTheRetries() {
    // combo: @Retry(max 5 attempts) and @CircuitBreaker(2 consecutive failures), written in the other order
    DEPENDENCY.script("/combo/x", Reply.status(500), Reply.status(500), Reply.status(500), Reply.status(500),
        Reply.status(500));
    assertThat(app().get("/e2e/combo/x").body()).isEqualTo("combo rejected by CIRCUIT_BREAKER");
    assertThat(DEPENDENCY.hits("/combo/x"))
        .as("two failures open the breaker; the third attempt is rejected and its hint (1 h) is too long to wait")
        .isEqualTo(2);
  }
}
