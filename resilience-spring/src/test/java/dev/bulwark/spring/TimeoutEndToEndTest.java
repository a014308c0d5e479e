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
 * {@code @Timeout} end to end: a dependency that hangs (on a latch the test holds) is abandoned after the
 * configured 300 ms and the fallback answers; a fast one is untouched.
 */
class TimeoutEndToEndTest extends EndToEndTest {

  @ParameterizedTest
  @ValueSource(strings = {"search", "search-async"})
  void aHangingDependencyTimesOutToTheFallback(String route) throws Exception {
    CountDownLatch hang = new CountDownLatch(1);
    String path = "/" + route + "/slow";
    DEPENDENCY.script(path, Reply.after(hang, "too late"));
    try {
      CompletableFuture<HttpResponse<String>> call = app().getAsync("/e2e/" + route + "/slow");
      await().until(call::isDone);
      assertThat(call.get().body()).isEqualTo("no results for slow in time");
      assertThat(DEPENDENCY.hits(path)).isEqualTo(1);
    } finally {
      hang.countDown();
    }
    assertThat(app().get("/e2e/" + route + "/fast").body()).isEqualTo("ok:/" + route + "/fast");
  }
}
