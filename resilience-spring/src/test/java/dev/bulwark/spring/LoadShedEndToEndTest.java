package dev.bulwark.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.bulwark.spring.support.ScriptedHttpServer.Reply;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code @LoadShed} end to end: with a limit of 2 and best effort allowed half of it, one critical call in
 * flight leaves room for another critical call but sheds a best-effort one to its fallback.
 */
class LoadShedEndToEndTest extends EndToEndTest {

  @ParameterizedTest
  @ValueSource(strings = {"", "-async"})
  void bestEffortCallsAreShedFirst(String suffix) throws Exception {
    CountDownLatch hold = new CountDownLatch(1);
    String held = "/checkout" + suffix + "/held";
    DEPENDENCY.script(held, Reply.after(hold, "paid"));
    CompletableFuture<HttpResponse<String>> critical = app().getAsync("/e2e/checkout" + suffix + "/held");
    try {
      await().until(() -> DEPENDENCY.inFlight(held) == 1);
      assertThat(app().get("/e2e/recommendations" + suffix + "/c1").body())
          .isEqualTo("shed by checkout" + suffix);
      assertThat(DEPENDENCY.hits("/recommendations" + suffix + "/c1")).isZero();
      assertThat(app().get("/e2e/checkout" + suffix + "/c2").body()).isEqualTo("ok:/checkout" + suffix + "/c2");
    } finally {
      hold.countDown();
    }
    assertThat(critical.get().body()).isEqualTo("paid");
    assertThat(app().get("/e2e/recommendations" + suffix + "/c3").body())
        .isEqualTo("ok:/recommendations" + suffix + "/c3");
  }
}
