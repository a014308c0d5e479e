package dev.bulwark.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.jayway.jsonpath.JsonPath;
import dev.bulwark.spring.app.ReportsClient;
import dev.bulwark.spring.support.ScriptedHttpServer.Reply;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ThreadLocalAccessor;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code @Bulkhead} end to end: with one call held in flight, a second is rejected to the fallback; the
 * thread-pool kind runs the body on its own thread with the caller's context carried over.
 */
class BulkheadEndToEndTest extends EndToEndTest {

  @BeforeAll
  static void registerRequestId() {
    ContextRegistry.getInstance().registerThreadLocalAccessor(new ThreadLocalAccessor<String>() {
      @Override
      public Object key() {
        return "test.request-id";
      }

      @Override
      public String getValue() {
        return ReportsClient.REQUEST_ID.get();
      }

      @Override
      public void setValue(String value) {
        ReportsClient.REQUEST_ID.set(value);
      }

      @Override
      public void setValue() {
        ReportsClient.REQUEST_ID.remove();
      }
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {"report", "report-async"})
  void aFullSemaphoreBulkheadRejectsToTheFallback(String route) throws Exception {
    String instance = route.equals("report") ? "reports" : "reports-async";
    CountDownLatch hold = new CountDownLatch(1);
    DEPENDENCY.script("/" + instance + "/1", Reply.after(hold, "first"));
    CompletableFuture<HttpResponse<String>> first = app().getAsync("/e2e/" + route + "/1");
    try {
      await().until(() -> DEPENDENCY.inFlight("/" + instance + "/1") == 1);
      assertThat(app().get("/e2e/" + route + "/2").body()).isEqualTo("busy: " + instance);
      assertThat(DEPENDENCY.hits("/" + instance + "/2")).isZero();
      String described = app().get("/actuator/bulwark/bulkhead/" + instance).body();
      assertThat((String) JsonPath.read(described, "$.state")).isEqualTo("FULL");
    } finally {
      hold.countDown();
    }
    assertThat(first.get().body()).isEqualTo("first");
    assertThat(app().get("/e2e/" + route + "/3").body()).isEqualTo("ok:/" + instance + "/3");
  }

  @Test
  void aThreadPoolBulkheadRunsTheBodyOnItsThreadWithTheCallersContext() throws Exception {
    String body = app().get("/e2e/export/a", "X-Request-Id", "req-42").body();
    assertThat(body).startsWith("ok:/exports/a on ").endsWith(" for request req-42");
    assertThat(body).doesNotContain("http-nio");

    CountDownLatch hold = new CountDownLatch(1);
    DEPENDENCY.script("/exports/b", Reply.after(hold, "b"));
    CompletableFuture<HttpResponse<String>> first = app().getAsync("/e2e/export/b");
    try {
      await().until(() -> DEPENDENCY.inFlight("/exports/b") == 1);
      assertThat(app().get("/e2e/export/c").body()).isEqualTo("busy: exports");
    } finally {
      hold.countDown();
    }
    assertThat(first.get().body()).startsWith("b on ");
  }
}
