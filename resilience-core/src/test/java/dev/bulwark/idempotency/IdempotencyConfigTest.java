package dev.bulwark.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ObjectInputFilter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class IdempotencyConfigTest {

  @Test
  void defaultsAreDocumentedAndSafe() {
    IdempotencyConfig config = IdempotencyConfig.defaults();

    assertThat(config.lease()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.ttl()).isEqualTo(Duration.ofHours(24));
    assertThat(config.waitForCompletion()).isZero();
    assertThat(config.pollInterval()).isEqualTo(Duration.ofMillis(50));
    assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.failureClassifier()).isEqualTo(FailureClassifier.defaults());
    assertThat(config.failOpen()).isFalse();
    assertThat(config.maxKeyLength()).isEqualTo(255);
    assertThat(config.maxResultBytes()).isEqualTo(64 * 1024);
    assertThat(config.codec()).isSameAs(ResultCodec.defaults());
  }

  @Test
  void theHeartbeatFollowsTheLeaseUnlessSet() {
    assertThat(IdempotencyConfig.builder().lease(Duration.ofSeconds(9)).build().heartbeatInterval())
        .isEqualTo(Duration.ofSeconds(3));
    assertThat(IdempotencyConfig.builder().heartbeatInterval(Duration.ZERO).build().heartbeatInterval()).isZero();
    assertThat(IdempotencyConfig.builder().heartbeatInterval(Duration.ofSeconds(1)).build().heartbeatInterval())
        .isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void everyOptionIsValidatedWhenSetWithAMessageNamingIt() {
    IdempotencyConfig.Builder b = IdempotencyConfig.builder();

    assertThatThrownBy(() -> b.lease(null)).isInstanceOf(NullPointerException.class).hasMessage("lease");
    assertThatThrownBy(() -> b.lease(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("lease must be > 0, was PT-1S");
    assertThatThrownBy(() -> b.lease(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("lease must be > 0, was PT0S");
    assertThatThrownBy(() -> b.lease(Duration.ofNanos(999_999)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("lease must be >= 1 ms");
    assertThatThrownBy(() -> b.ttl(Duration.ofHours(-24)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("ttl must be > 0, was PT-24H");
    assertThatThrownBy(() -> b.ttl(null)).isInstanceOf(NullPointerException.class).hasMessage("ttl");
    assertThatThrownBy(() -> b.waitForCompletion(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("waitForCompletion must be >= 0, was PT-0.001S");
    assertThatThrownBy(() -> b.pollInterval(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("pollInterval must be > 0, was PT0S");
    assertThatThrownBy(() -> b.heartbeatInterval(Duration.ofSeconds(-2)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("heartbeatInterval must be >= 0, was PT-2S");
    assertThatThrownBy(() -> b.failureClassifier(null))
        .isInstanceOf(NullPointerException.class).hasMessage("failureClassifier");
    assertThatThrownBy(() -> b.maxKeyLength(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("maxKeyLength must be in [1, 65536], was 0");
    assertThatThrownBy(() -> b.maxKeyLength(65_537))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("maxKeyLength must be in [1, 65536], was 65537");
    assertThatThrownBy(() -> b.maxResultBytes(63))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxResultBytes must be in [64, 2147483647], was 63");
    assertThatThrownBy(() -> b.codec(null)).isInstanceOf(NullPointerException.class).hasMessage("codec");
  }

  @Test
  void aCodecMustNameItselfAndVersionItsFormat() {
    IdempotencyConfig.Builder b = IdempotencyConfig.builder();
    assertThatThrownBy(() -> b.codec(codec("", 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("codec.id()");
    assertThatThrownBy(() -> b.codec(codec("with space", 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("codec.id()");
    assertThatThrownBy(() -> b.codec(codec("x".repeat(256), 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("codec.id()");
    assertThatThrownBy(() -> b.codec(codec("ok", 0)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("codec.version() must be >= 1, was 0");
    assertThatThrownBy(() -> b.codec(codec(null, 1)))
        .isInstanceOf(NullPointerException.class).hasMessage("codec.id()");
    assertThat(b.codec(codec("x".repeat(255), 7)).build().codec().version()).isEqualTo(7);
  }

  @Test
  void crossFieldRulesAreCheckedWhenBuilt() {
    assertThatThrownBy(() -> IdempotencyConfig.builder().lease(Duration.ofMinutes(10)).ttl(Duration.ofMinutes(5)).build())
        .isInstanceOf(IllegalStateException.class).hasMessage("ttl (PT5M) must be >= lease (PT10M)");
    assertThatThrownBy(() -> IdempotencyConfig.builder().lease(Duration.ofSeconds(10))
        .heartbeatInterval(Duration.ofSeconds(10)).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("heartbeatInterval (PT10S) must be shorter than lease (PT10S), or zero to turn the heartbeat off");
    assertThat(IdempotencyConfig.builder().lease(Duration.ofMinutes(5)).ttl(Duration.ofMinutes(5)).build().ttl())
        .isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void configsAreValuesAndCopyable() {
    IdempotencyConfig config = IdempotencyConfig.builder()
        .lease(Duration.ofSeconds(5))
        .ttl(Duration.ofHours(1))
        .waitForCompletion(Duration.ofSeconds(2))
        .pollInterval(Duration.ofMillis(20))
        .heartbeatInterval(Duration.ofSeconds(1))
        .failOpen(true)
        .maxKeyLength(64)
        .maxResultBytes(4096)
        .build();

    IdempotencyConfig copy = IdempotencyConfig.from(config).build();
    assertThat(copy).isEqualTo(config).hasSameHashCodeAs(config).isNotSameAs(config);
    assertThat(IdempotencyConfig.from(config).failOpen(false).build()).isNotEqualTo(config);
    assertThat(config).isNotEqualTo(IdempotencyConfig.defaults()).isNotEqualTo("config");
    assertThat(config.toString()).contains("lease=PT5S", "ttl=PT1H", "waitForCompletion=PT2S", "failOpen=true",
        "maxKeyLength=64", "maxResultBytes=4096", "codec=ResultCodec[bulwark v1]");
    assertThatThrownBy(() -> IdempotencyConfig.from(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void theJavaSerializationCodecIsAValueOfItsFilter() {
    ObjectInputFilter filter = ObjectInputFilter.Config.createFilter("java.lang.*;!*");
    assertThat(ResultCodec.javaSerialization(filter)).isEqualTo(ResultCodec.javaSerialization(filter))
        .hasSameHashCodeAs(ResultCodec.javaSerialization(filter));
    assertThatThrownBy(() -> ResultCodec.javaSerialization(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void theBuilderOfAPolicyRefusesNulls() {
    Idempotency.Builder b = Idempotency.builder("x");
    assertThatThrownBy(() -> Idempotency.builder(null)).isInstanceOf(NullPointerException.class).hasMessage("name");
    assertThatThrownBy(() -> Idempotency.builder(" ")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("name must not be blank, was \" \"");
    assertThatThrownBy(() -> b.config(null)).isInstanceOf(NullPointerException.class).hasMessage("config");
    assertThatThrownBy(() -> b.store(null)).isInstanceOf(NullPointerException.class).hasMessage("store");
    assertThatThrownBy(() -> b.clock(null)).isInstanceOf(NullPointerException.class).hasMessage("clock");
    assertThatThrownBy(() -> b.sleeper(null)).isInstanceOf(NullPointerException.class).hasMessage("sleeper");
    assertThatThrownBy(() -> b.scheduler(null)).isInstanceOf(NullPointerException.class).hasMessage("scheduler");
    assertThatThrownBy(() -> b.heartbeatExecutor(null))
        .isInstanceOf(NullPointerException.class).hasMessage("heartbeatExecutor");
    assertThatThrownBy(() -> b.listener(null, e -> { })).isInstanceOf(NullPointerException.class);
  }

  private static ResultCodec codec(String id, int version) {
    return new ResultCodec() {
      @Override
      public String id() {
        return id;
      }

      @Override
      public int version() {
        return version;
      }

      @Override
      public byte[] encode(Object value) {
        return new byte[0];
      }

      @Override
      public Object decode(byte[] payload, int formatVersion) {
        return null;
      }
    };
  }
}
