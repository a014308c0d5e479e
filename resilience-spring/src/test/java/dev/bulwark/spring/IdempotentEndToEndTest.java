package dev.bulwark.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.spring.support.ScriptedHttpServer.Reply;
import java.net.http.HttpResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code @Idempotent} end to end: the key and fingerprint come from the arguments (SpEL); a repeat with the
 * same key replays the first result without calling the dependency; the same key with another fingerprint
 * is refused.
 */
class IdempotentEndToEndTest extends EndToEndTest {

  @ParameterizedTest
  @ValueSource(strings = {"pay", "pay-async"})
  void aRepeatedKeyReplaysTheFirstResult(String route) {
    String order = "order-" + route;
    DEPENDENCY.script("/" + route + "/" + order + "/1250", Reply.ok("receipt 1"), Reply.ok("receipt 2"));
    assertThat(app().get("/e2e/" + route + "/" + order + "/1250").body()).isEqualTo("receipt 1");
    assertThat(app().get("/e2e/" + route + "/" + order + "/1250").body()).isEqualTo("receipt 1");
    assertThat(DEPENDENCY.hits("/" + route + "/" + order + "/1250")).isEqualTo(1);

    HttpResponse<String> reuse = app().get("/e2e/" + route + "/" + order + "/999");
    assertThat(reuse.statusCode()).isEqualTo(409);
    assertThat(reuse.body()).isEqualTo("IdempotencyKeyReuseException");
    assertThat(DEPENDENCY.hits("/" + route + "/" + order + "/999")).isZero();
  }
}
