package dev.bulwark.spring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * One {@link dev.bulwark.ContextPropagator} bean (see {@code TestApplication}) reaches every policy the
 * auto-configuration builds: the body of a {@code @Timeout} method runs on the timeout's thread, and every
 * attempt of an async {@code @Retry} around a thread-pool {@code @Bulkhead} runs on the pool, all with the
 * request's user, which no Micrometer accessor knows about.
 */
class ContextPropagationEndToEndTest extends EndToEndTest {

  @Test
  void aTimedMethodRunsOnTheTimeoutsThreadWithTheRequestsContext() {
    assertThat(app().get("/e2e/context/timeout", "X-User", "alice").body()).startsWith("alice on bulwark-timeout-");
    for (int i = 0; i < 5; i++) { // the worker threads were left clean
      assertThat(app().get("/e2e/context/timeout").body()).startsWith("null on bulwark-timeout-");
    }
  }

  @Test
  void everyAttemptOfAnAsyncRetryAroundAThreadPoolBulkheadSeesTheRequestsContext() {
    assertThat(app().get("/e2e/context/retry", "X-User", "bob").body())
        .isEqualTo("bob on pool, bob on pool, bob on pool");
    assertThat(app().get("/e2e/context/retry").body()).isEqualTo("null on pool, null on pool, null on pool");
  }
}
