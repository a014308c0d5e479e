package dev.bulwark.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.OutcomeClassifier;
import dev.bulwark.Permit;
import dev.bulwark.PolicyKind;
import dev.bulwark.Registry;
import dev.bulwark.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class AdaptiveThrottleTest {
  static final long MS = 1_000_000L;
  static final long SECOND = 1_000_000_000L;

  enum Path { SYNC, ASYNC }

  private final ManualClock clock = new ManualClock();

  private AdaptiveThrottle throttle(AdaptiveThrottleConfig.Builder config, long seed) {
    return AdaptiveThrottle.builder("backend").config(config.build()).clock(clock)
        .random(new SplittableRandom(seed)).build();
  }

  static class Rejected extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Rejected() {
      super("429", null, false, false);
    }
  }

  private static Object call(Path path, AdaptiveThrottle throttle, boolean accept) throws Exception {
    if (path == Path.SYNC) {
      return throttle.call(() -> {
        if (!accept) {
          throw new Rejected();
        }
        return "ok";
      });
    }
    try {
      return throttle.callAsync(() -> accept ? CompletableFuture.completedFuture("ok")
          : CompletableFuture.failedFuture(new Rejected())).toCompletableFuture().join();
    } catch (CompletionException e) {
      throw (Exception) e.getCause();
    }
  }

  @ParameterizedTest
  @ValueSource(doubles = {1.5, 2, 3})
  void atTenTimesTheOfferedLoadTheBackendReceivesAboutKTimesWhatItAccepts(double k) {
    AdaptiveThrottle throttle = throttle(AdaptiveThrottleConfig.builder().k(k).window(Duration.ofSeconds(10)), 5);
    SplittableRandom random = new SplittableRandom(9);
    // the backend accepts 100 calls per second (a token bucket of 10) and refuses the rest at once
    double tokens = 10;
    long last = clock.nanoTime();
    long received = 0;
    long accepted = 0;
    long offered = 0;
    long end = clock.nanoTime() + 120 * SECOND;
    long measureFrom = clock.nanoTime() + 30 * SECOND;
    while (clock.nanoTime() < end) {
      clock.advance((long) (-Math.log(1 - random.nextDouble()) / 1000 * SECOND)); // 1000 per second offered
      long now = clock.nanoTime();
      tokens = Math.min(10, tokens + (now - last) * 100.0 / SECOND);
      last = now;
      boolean measuring = now >= measureFrom;
      offered += measuring ? 1 : 0;
      Permit permit = throttle.tryAcquirePermit();
      if (permit == null) {
        continue;
      }
      received += measuring ? 1 : 0;
      if (tokens >= 1) {
        tokens--;
        accepted += measuring ? 1 : 0;
        permit.onSuccess(0);
      } else {
        permit.onFailure(0, new Rejected());
      }
    }
    double ratio = (double) received / accepted;
    assertThat(accepted).isBetween(85L * 90, 100L * 90); // the backend stays busy
    assertThat(ratio).as("received %d, accepted %d", received, accepted).isBetween(k * 0.9, k * 1.1);
    assertThat(received).isLessThan(offered / 2);
    assertThat(throttle.metrics().rejectedCalls()).isPositive();
  }

  @Test
  void theRejectionProbabilityFollowsTheFormula() {
    AdaptiveThrottle throttle = throttle(AdaptiveThrottleConfig.builder().k(2), 1);
    Permit permit = throttle.acquirePermit();
    for (int i = 0; i < 10; i++) {
      permit.onSuccess(0);
    }
    for (int i = 0; i < 30; i++) {
      permit.onFailure(0, new Rejected());
    }
    AdaptiveThrottle.Metrics m = throttle.metrics();
    assertThat(m.requests()).isEqualTo(40);
    assertThat(m.accepts()).isEqualTo(10);
    assertThat(m.rejectionProbability()).isCloseTo((40 - 2.0 * 10) / 41, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void aHealthyBackendIsNeverThrottledAndACappedThrottleKeepsProbing() {
    AdaptiveThrottle healthy = throttle(AdaptiveThrottleConfig.builder(), 1);
    for (int i = 0; i < 1000; i++) {
      Permit p = healthy.tryAcquirePermit();
      assertThat(p).isNotNull();
      p.onResult(0, "fine");
    }
    assertThat(healthy.metrics().rejectionProbability()).isZero();

    AdaptiveThrottle capped = throttle(AdaptiveThrottleConfig.builder().maxRejectionProbability(0.5), 1);
    for (int i = 0; i < 1000; i++) {
      Permit p = capped.tryAcquirePermit();
      if (p != null) {
        p.onFailure(0, new Rejected());
      }
    }
    assertThat(capped.metrics().rejectionProbability()).isEqualTo(0.5);
    assertThat(capped.metrics().rejectedCalls()).isBetween(400L, 600L);
  }

  @Test
  void theWindowSlidesSoTheThrottleForgetsARecoveredOutage() {
    AdaptiveThrottle throttle = throttle(AdaptiveThrottleConfig.builder().window(Duration.ofSeconds(10))
        .buckets(10), 1);
    Permit permit = throttle.acquirePermit();
    for (int i = 0; i < 100; i++) {
      permit.onFailure(0, new Rejected());
    }
    assertThat(throttle.metrics().rejectionProbability()).isGreaterThan(0.9);
    clock.advance(5 * SECOND);
    for (int i = 0; i < 100; i++) {
      permit.onSuccess(0);
    }
    assertThat(throttle.metrics().requests()).isEqualTo(200);
    clock.advance(5 * SECOND + 1); // the failures' bucket has slid out
    assertThat(throttle.metrics().requests()).isEqualTo(100);
    assertThat(throttle.metrics().rejectionProbability()).isZero();
    clock.advance(10 * SECOND);
    assertThat(throttle.metrics().requests()).isZero();
  }

  @ParameterizedTest
  @EnumSource(Path.class)
  void outcomesAreClassifiedAndRejectionsExplainThemselves(Path path) throws Exception {
    AdaptiveThrottle throttle = throttle(AdaptiveThrottleConfig.builder()
        .classifier(OutcomeClassifier.builder().recordExceptions(Rejected.class)
            .ignoreExceptions(IllegalArgumentException.class).build()), 1);
    assertThat(call(path, throttle, true)).isEqualTo("ok");
    assertThatThrownBy(() -> call(path, throttle, false)).isInstanceOf(Rejected.class);
    assertThatThrownBy(() -> {
      if (path == Path.SYNC) {
        throttle.call(() -> {
          throw new IllegalArgumentException("ignored");
        });
      } else {
        throttle.callAsync(() -> CompletableFuture.failedFuture(new IllegalArgumentException("ignored")))
            .toCompletableFuture().join();
      }
    }).hasMessageContaining("ignored");
    assertThat(throttle.metrics().requests()).isEqualTo(2);
    assertThat(throttle.metrics().accepts()).isEqualTo(1);

    for (int i = 0; i < 200; i++) {
      try {
        call(path, throttle, false);
      } catch (Rejected | ThrottledException expected) {
        // either the backend or the throttle refused
      }
    }
    assertThatThrownBy(() -> {
      for (int i = 0; i < 1000; i++) {
        call(path, throttle, false);
      }
    }).isInstanceOfSatisfying(ThrottledException.class, e -> {
      assertThat(e.policyName()).isEqualTo("backend");
      assertThat(e.policyKind()).isEqualTo(PolicyKind.LOAD_SHEDDER);
      assertThat(e.retryAfter()).isEmpty();
      assertThat(e.rejectionProbability()).isGreaterThan(0.9);
      assertThat(e.accepts()).isEqualTo(1);
      assertThat(e.requests()).isGreaterThan(200);
      assertThat(e.getMessage()).startsWith("load shedder 'backend' throttled the call locally (rejection "
          + "probability 0.9");
    });
  }

  @Test
  void thePermitIsSharedStatelessAndReleasingRecordsNothing() {
    List<ThrottleEvent.Rejected> events = new ArrayList<>();
    AdaptiveThrottle throttle = AdaptiveThrottle.builder("b").clock(clock).random(new SplittableRandom(1))
        .listener(ThrottleEvent.Rejected.class, events::add).build();
    Permit a = throttle.tryAcquirePermit();
    Permit b = throttle.tryAcquirePermit();
    assertThat(a).isSameAs(b);
    a.release();
    assertThat(throttle.metrics().requests()).isZero();
    for (int i = 0; i < 50; i++) {
      a.onFailure(0, new Rejected());
    }
    while (throttle.tryAcquirePermit() != null) {
      // until one is rejected
    }
    assertThat(events).singleElement().satisfies(e -> {
      assertThat(e.name()).isEqualTo("b");
      assertThat(e.rejectionProbability()).isGreaterThan(0.9);
    });
    assertThat(throttle.kind()).isEqualTo(PolicyKind.LOAD_SHEDDER);
    assertThat(throttle.toString()).contains("b");
    assertThat(a.toString()).contains("b");
    Registry<AdaptiveThrottle, AdaptiveThrottleConfig> registry =
        Registry.builder(AdaptiveThrottleConfig.defaults(), AdaptiveThrottle::of).build();
    assertThat(registry.get("x").config()).isEqualTo(AdaptiveThrottleConfig.defaults());
    assertThat(AdaptiveThrottle.ofDefaults("y").name()).isEqualTo("y");
  }

  @Test
  void aClockReadingBehindTheNewestBucketAddsToItRatherThanWipingIt() {
    long[] now = {0};
    AdaptiveThrottle throttle = AdaptiveThrottle.builder("b")
        .config(AdaptiveThrottleConfig.builder().window(Duration.ofSeconds(10)).buckets(10).build())
        .clock(() -> now[0]).random(new SplittableRandom(1)).build();
    Permit p = throttle.acquirePermit();
    now[0] = 15 * SECOND;
    p.onSuccess(0); // epoch 15, bucket 5
    now[0] = 5 * SECOND;
    p.onSuccess(0); // a stale reading, epoch 5, bucket 5: counted with the newer one
    now[0] = 15 * SECOND;
    assertThat(throttle.metrics().requests()).isEqualTo(2);
  }
}
