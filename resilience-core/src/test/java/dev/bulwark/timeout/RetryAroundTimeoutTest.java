package dev.bulwark.timeout;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.Pipeline;
import dev.bulwark.retry.Backoff;
import dev.bulwark.retry.Retry;
import dev.bulwark.retry.RetryBudgetConfig;
import dev.bulwark.retry.RetryConfig;
import dev.bulwark.testing.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Retry(Timeout(call)) in virtual time: the timeout bounds an attempt, the retry's duration the whole. */
class RetryAroundTimeoutTest {

  @Test
  void theLastAttemptIsCutShortByTheRetrysMaxDuration() {
    ManualClock clock = new ManualClock();
    Retry retry = Retry.builder("r").clock(clock).scheduler(clock).config(RetryConfig.builder()
        .maxAttempts(5).backoff(Backoff.fixed(Duration.ofMillis(100))).maxDuration(Duration.ofSeconds(1))
        .budget(RetryBudgetConfig.unlimited()).build()).build();
    List<TimeoutEvent.TimedOut> timeouts = new CopyOnWriteArrayList<>();
    Timeout timeout = Timeout.builder("t").config(TimeoutConfig.builder().timeout(Duration.ofMillis(800)).build())
        .scheduler(clock).listener(TimeoutEvent.TimedOut.class, timeouts::add).build();
    List<CompletableFuture<String>> attempts = new CopyOnWriteArrayList<>();
    CompletableFuture<String> call = Pipeline.of(timeout, retry).<String>callAsync(() -> {
      CompletableFuture<String> attempt = new CompletableFuture<>(); // never answers
      attempts.add(attempt);
      return attempt;
    }).toCompletableFuture();
    clock.advance(Duration.ofSeconds(5));
    // t=0 attempt 1, times out at 800; wait 100; t=900 attempt 2, cut by the deadline at 1000; no time for more
    assertThat(attempts).hasSize(2).allSatisfy(a -> assertThat(a).isCancelled());
    assertThat(timeouts).extracting(TimeoutEvent.TimedOut::expiredAfter)
        .containsExactly(Duration.ofMillis(800), Duration.ofMillis(100));
    assertThat(timeouts.get(1).deadlineReached()).isTrue();
    assertThat(call).isCompletedExceptionally();
    assertThat(call.handle((v, e) -> e).join()).isInstanceOf(TimeoutExceededException.class);
  }
}
