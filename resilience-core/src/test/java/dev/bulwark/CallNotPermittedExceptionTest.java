package dev.bulwark;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CallNotPermittedExceptionTest {

  @Test
  void isStacklessAndNamesThePolicyAndTheHint() {
    CallNotPermittedException e =
        new CallNotPermittedException(PolicyKind.RATE_LIMITER, "search", Duration.ofMillis(250).toNanos());
    assertThat(e.getStackTrace()).isEmpty();
    assertThat(e.policyName()).isEqualTo("search");
    assertThat(e.policyKind()).isEqualTo(PolicyKind.RATE_LIMITER);
    assertThat(e.retryAfter()).contains(Duration.ofMillis(250));
    assertThat(e.getMessage())
        .isEqualTo("rate limiter 'search' rejected the call; a call may be admitted in 250 ms");
    assertThat(e).isInstanceOf(BulwarkException.class);
  }

  @Test
  void anUnknownHintIsEmpty() {
    CallNotPermittedException e = new CallNotPermittedException(PolicyKind.BULKHEAD, "db", -5);
    assertThat(e.retryAfterNanos()).isEqualTo(CallNotPermittedException.UNKNOWN);
    assertThat(e.retryAfter()).isEmpty();
    assertThat(e.getMessage()).isEqualTo("bulkhead 'db' rejected the call");
  }

  @Test
  void suppressedExceptionsCanBeAttachedForRetries() {
    CallNotPermittedException e = new CallNotPermittedException(PolicyKind.BULKHEAD, "db", 0);
    e.addSuppressed(new IllegalStateException("earlier attempt"));
    assertThat(e.getSuppressed()).hasSize(1);
  }
}
