package dev.bulwark.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateLimiterConfigTest {

  @Test
  void defaultsAreDocumented() {
    RateLimiterConfig config = RateLimiterConfig.defaults();
    assertThat(config.limitForPeriod()).isEqualTo(50);
    assertThat(config.period()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.burstCapacity()).isEqualTo(50);
    assertThat(config.maxWait()).isZero();
    assertThat(config.permitsPerSecond()).isEqualTo(50.0);
  }

  @Test
  void burstDefaultsToTheLimitForPeriod() {
    assertThat(RateLimiterConfig.builder().limitForPeriod(7).build().burstCapacity()).isEqualTo(7);
  }

  @Test
  void badValuesNameTheOptionTheRuleAndTheValue() {
    assertThatIllegalArgumentException().isThrownBy(() -> RateLimiterConfig.builder().limitForPeriod(0))
        .withMessage("limitForPeriod must be >= 1, was 0");
    assertThatIllegalArgumentException().isThrownBy(() -> RateLimiterConfig.builder().period(Duration.ZERO))
        .withMessage("period must be > 0, was PT0S");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> RateLimiterConfig.builder().period(Duration.ofSeconds(-1)))
        .withMessage("period must be > 0, was PT-1S");
    assertThatNullPointerException().isThrownBy(() -> RateLimiterConfig.builder().period(null))
        .withMessage("period");
    assertThatIllegalArgumentException().isThrownBy(() -> RateLimiterConfig.builder().burstCapacity(-2))
        .withMessage("burstCapacity must be >= 1, was -2");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> RateLimiterConfig.builder().maxWait(Duration.ofMillis(-5)))
        .withMessage("maxWait must be in [PT0S, PT24H], was PT-0.005S");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> RateLimiterConfig.builder().maxWait(Duration.ofDays(2)))
        .withMessage("maxWait must be in [PT0S, PT24H], was PT48H");
  }

  @Test
  void anOptionSetTwiceIsRefused() {
    assertThatIllegalStateException()
        .isThrownBy(() -> RateLimiterConfig.builder().limitForPeriod(5).limitForPeriod(6))
        .withMessage("limitForPeriod was already set to 5");
    assertThatIllegalStateException()
        .isThrownBy(() -> RateLimiterConfig.builder().period(Duration.ofSeconds(2)).period(Duration.ofSeconds(3)))
        .withMessage("period was already set to PT2S");
    assertThatIllegalStateException()
        .isThrownBy(() -> RateLimiterConfig.builder().burstCapacity(1).burstCapacity(2))
        .withMessage("burstCapacity was already set to 1");
    assertThatIllegalStateException()
        .isThrownBy(() -> RateLimiterConfig.builder().maxWait(Duration.ZERO).maxWait(Duration.ZERO))
        .withMessage("maxWait was already set to PT0S");
  }

  @Test
  void aRateAboveOnePermitPerNanosecondIsRefusedAtBuild() {
    assertThatIllegalStateException()
        .isThrownBy(() -> RateLimiterConfig.builder().limitForPeriod(2000).period(Duration.ofNanos(1000)).build())
        .withMessage("limitForPeriod / period must be at most 1 permit per nanosecond, was 2000 per PT0.000001S");
  }

  @Test
  void configsAreValues() {
    RateLimiterConfig a = RateLimiterConfig.builder().limitForPeriod(3).burstCapacity(1).build();
    RateLimiterConfig b = RateLimiterConfig.builder().limitForPeriod(3).burstCapacity(1).build();
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(RateLimiterConfig.defaults());
    assertThat(a).hasToString("RateLimiterConfig[limitForPeriod=3, period=PT1S, burstCapacity=1, maxWait=PT0S, contextPropagators=0]");
  }

  @Test
  void theLimiterRefusesBadArgumentsToo() {
    RateLimiter limiter = RateLimiter.ofDefaults("x");
    assertThatIllegalArgumentException().isThrownBy(() -> limiter.tryAcquire(0))
        .withMessage("permits must be >= 1, was 0");
    assertThatIllegalArgumentException().isThrownBy(() -> limiter.acquire(1, Duration.ofDays(3)))
        .withMessage("maxWait must be in [PT0S, PT24H], was PT72H");
    assertThatIllegalArgumentException().isThrownBy(() -> RateLimiter.builder(""))
        .withMessage("name must not be blank, was \"\"");
    assertThatIllegalStateException()
        .isThrownBy(() -> RateLimiter.builder("x").config(RateLimiterConfig.defaults()).config(RateLimiterConfig.defaults()))
        .withMessageStartingWith("config was already set to ");
  }
}
