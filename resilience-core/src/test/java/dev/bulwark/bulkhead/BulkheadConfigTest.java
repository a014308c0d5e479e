package dev.bulwark.bulkhead;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.bulwark.ContextPropagator;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BulkheadConfigTest {

  @Test
  void defaultsAreDocumented() {
    BulkheadConfig config = BulkheadConfig.defaults();
    assertThat(config.maxConcurrentCalls()).isEqualTo(25);
    assertThat(config.maxWait()).isZero();
    assertThat(config.maxWaitingCalls()).isZero();
  }

  @Test
  void maxWaitingCallsDefaultsToTheLimitWhenCallersMayWait() {
    BulkheadConfig config = BulkheadConfig.builder()
        .maxConcurrentCalls(7).maxWait(Duration.ofMillis(5)).build();
    assertThat(config.maxWaitingCalls()).isEqualTo(7);
  }

  @Test
  void maxConcurrentCallsMustBePositive() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> BulkheadConfig.builder().maxConcurrentCalls(0))
        .withMessage("maxConcurrentCalls must be in [1, 2147483647], was 0");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> BulkheadConfig.builder().maxConcurrentCalls(-3))
        .withMessage("maxConcurrentCalls must be in [1, 2147483647], was -3");
  }

  @Test
  void maxWaitMustNotBeNegativeOrNull() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> BulkheadConfig.builder().maxWait(Duration.ofMillis(-1)))
        .withMessage("maxWait must be >= 0, was PT-0.001S");
    assertThatNullPointerException()
        .isThrownBy(() -> BulkheadConfig.builder().maxWait(null))
        .withMessage("maxWait");
  }

  @Test
  void maxWaitingCallsMustNotBeNegative() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> BulkheadConfig.builder().maxWaitingCalls(-1))
        .withMessage("maxWaitingCalls must be >= 0, was -1");
  }

  @Test
  void anOptionSetTwiceIsRefused() {
    assertThatIllegalStateException()
        .isThrownBy(() -> BulkheadConfig.builder().maxConcurrentCalls(3).maxConcurrentCalls(4))
        .withMessage("maxConcurrentCalls was already set to 3");
    assertThatIllegalStateException()
        .isThrownBy(() -> BulkheadConfig.builder().maxWait(Duration.ofSeconds(1)).maxWait(Duration.ZERO))
        .withMessage("maxWait was already set to PT1S");
    assertThatIllegalStateException()
        .isThrownBy(() -> BulkheadConfig.builder().maxWaitingCalls(1).maxWaitingCalls(2))
        .withMessage("maxWaitingCalls was already set to 1");
  }

  @Test
  void waitingCallsWithoutAWaitAreAContradiction() {
    assertThatIllegalStateException()
        .isThrownBy(() -> BulkheadConfig.builder().maxWaitingCalls(5).build())
        .withMessageContaining("maxWaitingCalls is 5 but maxWait is zero");
  }

  @Test
  void aWaitWithNoRoomToWaitIsAContradiction() {
    assertThatIllegalStateException()
        .isThrownBy(() -> BulkheadConfig.builder().maxWait(Duration.ofMillis(10)).maxWaitingCalls(0).build())
        .withMessageContaining("maxWaitingCalls is 0 but maxWait is PT0.01S");
  }

  @Test
  void configsAreValues() {
    BulkheadConfig a = BulkheadConfig.builder().maxConcurrentCalls(3).maxWait(Duration.ofMillis(2)).build();
    BulkheadConfig b = BulkheadConfig.builder().maxConcurrentCalls(3).maxWait(Duration.ofMillis(2)).build();
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(BulkheadConfig.defaults());
    assertThat(a).hasToString("BulkheadConfig[maxConcurrentCalls=3, maxWait=PT0.002S, maxWaitingCalls=3, contextPropagators=0]");
  }

  @Test
  void theBulkheadBuilderRefusesBadInputToo() {
    assertThatIllegalArgumentException().isThrownBy(() -> Bulkhead.builder(" "))
        .withMessage("name must not be blank, was \" \"");
    assertThatIllegalStateException()
        .isThrownBy(() -> Bulkhead.builder("x").config(BulkheadConfig.defaults()).config(BulkheadConfig.defaults()))
        .withMessageStartingWith("config was already set to ");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Bulkhead.ofDefaults("x").changeMaxConcurrentCalls(0))
        .withMessage("maxConcurrentCalls must be in [1, 2147483647], was 0");
  }

  @Test
  void threadPoolOptionsAreValidated() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ThreadPoolBulkheadConfig.builder().coreThreadPoolSize(0))
        .withMessage("coreThreadPoolSize must be in [1, 536870911], was 0");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ThreadPoolBulkheadConfig.builder().maxThreadPoolSize(-1))
        .withMessage("maxThreadPoolSize must be in [1, 536870911], was -1");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ThreadPoolBulkheadConfig.builder().queueCapacity(-5))
        .withMessage("queueCapacity must be >= 0, was -5");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ThreadPoolBulkheadConfig.builder().keepAlive(Duration.ofSeconds(-1)))
        .withMessage("keepAlive must be >= 0, was PT-1S");
    assertThatNullPointerException()
        .isThrownBy(() -> ThreadPoolBulkheadConfig.builder().contextPropagators((ContextPropagator) null))
        .withMessage("contextPropagators must not contain null");
    assertThatIllegalStateException()
        .isThrownBy(() -> ThreadPoolBulkheadConfig.builder().coreThreadPoolSize(8).maxThreadPoolSize(4).build())
        .withMessage("coreThreadPoolSize must be <= maxThreadPoolSize (4), was 8");
    assertThatIllegalStateException()
        .isThrownBy(() -> ThreadPoolBulkheadConfig.builder().queueCapacity(1).queueCapacity(2))
        .withMessage("queueCapacity was already set to 1");
  }

  @Test
  void threadPoolDefaults() {
    int processors = Runtime.getRuntime().availableProcessors();
    ThreadPoolBulkheadConfig config = ThreadPoolBulkheadConfig.defaults();
    assertThat(config.coreThreadPoolSize()).isEqualTo(processors);
    assertThat(config.maxThreadPoolSize()).isEqualTo(processors);
    assertThat(config.queueCapacity()).isEqualTo(100);
    assertThat(config.keepAlive()).isEqualTo(Duration.ofSeconds(60));
    assertThat(config.virtualThreads()).isFalse();
    assertThat(config.contextPropagators()).isEmpty();
    assertThat(ThreadPoolBulkheadConfig.builder().maxThreadPoolSize(3).build().coreThreadPoolSize()).isEqualTo(3);
    assertThat(ThreadPoolBulkheadConfig.builder().coreThreadPoolSize(processors + 2).build().maxThreadPoolSize())
        .isEqualTo(processors + 2);
    assertThat(config).isEqualTo(ThreadPoolBulkheadConfig.defaults())
        .hasSameHashCodeAs(ThreadPoolBulkheadConfig.defaults());
  }

  @Test
  void virtualThreadsFailAtBuildTimeBeforeJava21OrWithPlatformOnlyOptions() {
    if (!ThreadPoolBulkheadConfig.virtualThreadsSupported()) {
      assertThat(Runtime.version().feature()).isLessThan(21);
      assertThatIllegalStateException()
          .isThrownBy(() -> ThreadPoolBulkheadConfig.builder().virtualThreads(true).build())
          .withMessageStartingWith("virtualThreads requires Java 21 or later, was true on Java "
              + Runtime.version());
    } else {
      assertThatIllegalStateException()
          .isThrownBy(() -> ThreadPoolBulkheadConfig.builder().virtualThreads(true).coreThreadPoolSize(2).build())
          .withMessage("coreThreadPoolSize does not apply to virtual threads, was 2 with virtualThreads=true");
      assertThatIllegalStateException()
          .isThrownBy(() -> ThreadPoolBulkheadConfig.builder().virtualThreads(true)
              .keepAlive(Duration.ofSeconds(1)).build())
          .withMessage("keepAlive does not apply to virtual threads, was PT1S with virtualThreads=true");
    }
  }
}
