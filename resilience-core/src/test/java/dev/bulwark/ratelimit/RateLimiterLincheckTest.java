package dev.bulwark.ratelimit;

import dev.bulwark.Clock;
import java.time.Duration;
import org.jetbrains.kotlinx.lincheck.LinChecker;
import org.jetbrains.kotlinx.lincheck.annotations.Operation;
import org.jetbrains.kotlinx.lincheck.strategy.managed.modelchecking.ModelCheckingOptions;
import org.junit.jupiter.api.Test;

/**
 * Linearizability of decisions and rate changes at one instant, against the limiter itself run sequentially.
 * The bucket starts part-way through a refill (3 per second, burst 2, two permits taken half a second ago),
 * so decisions see a fractional theoretical arrival time. Time does not move during a scenario: a decision
 * uses the clock reading it took first, which is only linearizable while time stands still (a decision
 * racing a clock advance acts as if it came a moment earlier; see the implementation notes).
 *
 * <p>Regression: this test found that a rate change whose parameters had been installed could be applied
 * again after a later change, if its thread was descheduled in between (speed up, slow down, and the limiter
 * ended up fast). A change now counts as done once its parameters are published for a version.
 */
public class RateLimiterLincheckTest {
  private static final RateLimiterConfig SLOW = RateLimiterConfig.builder().limitForPeriod(3).burstCapacity(2)
      .build();
  private static final RateLimiterConfig FAST = RateLimiterConfig.builder().limitForPeriod(7)
      .period(Duration.ofMillis(300)).burstCapacity(3).build();

  private final long[] now = {1_000_000_000_000L};
  private final Clock clock = () -> now[0];
  private final RateLimiter limiter = RateLimiter.builder("lincheck").config(SLOW).clock(clock).build();

  public RateLimiterLincheckTest() {
    limiter.tryAcquire(2);
    now[0] += 500_000_000L;
  }

  @Operation
  public long tryAcquireOne() {
    return limiter.tryAcquire(1);
  }

  @Operation
  public long tryAcquireTwo() {
    return limiter.tryAcquire(2);
  }

  @Operation
  public void speedUp() {
    limiter.changeConfig(FAST);
  }

  @Operation
  public void slowDown() {
    limiter.changeConfig(SLOW);
  }

  @Operation
  public long available() {
    return limiter.metrics().availablePermits();
  }

  @Test
  void isLinearizable() {
    LinChecker.check(RateLimiterLincheckTest.class, new ModelCheckingOptions()
        .iterations(12).invocationsPerIteration(150).threads(3).actorsPerThread(2));
  }
}
