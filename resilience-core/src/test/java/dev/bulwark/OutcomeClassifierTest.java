package dev.bulwark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class OutcomeClassifierTest {

  @Test
  void byDefaultEveryExceptionIsAFailureAndEveryResultASuccess() {
    OutcomeClassifier classifier = OutcomeClassifier.defaults();
    assertThat(classifier.classifyFailure(new IllegalStateException())).isEqualTo(Outcome.FAILURE);
    assertThat(classifier.classifyFailure(new Error())).isEqualTo(Outcome.FAILURE);
    assertThat(classifier.classifyResult(null)).isEqualTo(Outcome.SUCCESS);
    assertThat(classifier.classifyResult("ok")).isEqualTo(Outcome.SUCCESS);
    assertThat(classifier.isSlow(Long.MAX_VALUE - 1)).isFalse();
  }

  @Test
  void onceARecordRuleIsSetOtherExceptionsAreSuccesses() {
    OutcomeClassifier classifier = OutcomeClassifier.builder().recordExceptions(IOException.class).build();
    assertThat(classifier.classifyFailure(new IOException())).isEqualTo(Outcome.FAILURE);
    assertThat(classifier.classifyFailure(new FileNotFoundException())).isEqualTo(Outcome.FAILURE);
    assertThat(classifier.classifyFailure(new IllegalArgumentException())).isEqualTo(Outcome.SUCCESS);
  }

  @Test
  void ignoreBeatsRecordForTypesAndPredicates() {
    OutcomeClassifier classifier = OutcomeClassifier.builder()
        .recordExceptions(IOException.class)
        .ignoreExceptions(FileNotFoundException.class)
        .recordIf(t -> t.getMessage() != null && t.getMessage().contains("boom"))
        .ignoreIf(t -> t.getMessage() != null && t.getMessage().contains("quiet"))
        .build();
    assertThat(classifier.classifyFailure(new FileNotFoundException())).isEqualTo(Outcome.IGNORED);
    assertThat(classifier.classifyFailure(new IOException("boom quiet"))).isEqualTo(Outcome.IGNORED);
    assertThat(classifier.classifyFailure(new IllegalStateException("boom"))).isEqualTo(Outcome.FAILURE);
    assertThat(classifier.classifyFailure(new IllegalStateException("fine"))).isEqualTo(Outcome.SUCCESS);
  }

  @Test
  void predicatesOfTheSameKindCombineByOr() {
    OutcomeClassifier classifier = OutcomeClassifier.builder()
        .recordIf(t -> t instanceof TimeoutException)
        .recordIf(t -> t instanceof IOException)
        .recordResult(r -> "bad".equals(r))
        .recordResult(r -> r == null)
        .build();
    assertThat(classifier.classifyFailure(new TimeoutException())).isEqualTo(Outcome.FAILURE);
    assertThat(classifier.classifyFailure(new IOException())).isEqualTo(Outcome.FAILURE);
    assertThat(classifier.classifyFailure(new RuntimeException())).isEqualTo(Outcome.SUCCESS);
    assertThat(classifier.classifyResult("bad")).isEqualTo(Outcome.FAILURE);
    assertThat(classifier.classifyResult(null)).isEqualTo(Outcome.FAILURE);
    assertThat(classifier.classifyResult("good")).isEqualTo(Outcome.SUCCESS);
  }

  @Test
  void wrappersAreUnwrappedAtAnyDepthBeforeClassifying() {
    OutcomeClassifier classifier = OutcomeClassifier.builder()
        .recordExceptions(IOException.class)
        .ignoreExceptions(FileNotFoundException.class)
        .build();
    IOException io = new IOException();
    Throwable wrapped = new CompletionException(new ExecutionException(new CompletionException(io)));
    assertThat(OutcomeClassifier.unwrap(wrapped)).isSameAs(io);
    assertThat(classifier.classifyFailure(wrapped)).isEqualTo(Outcome.FAILURE);
    assertThat(classifier.classifyFailure(new CompletionException(new FileNotFoundException())))
        .isEqualTo(Outcome.IGNORED);
    CompletionException empty = new CompletionException("no cause", null);
    assertThat(OutcomeClassifier.unwrap(empty)).isSameAs(empty);
  }

  @Test
  void slownessStartsExactlyAtTheThreshold() {
    OutcomeClassifier classifier = OutcomeClassifier.builder().slowCallDuration(Duration.ofMillis(200)).build();
    assertThat(classifier.isSlow(Duration.ofMillis(200).toNanos())).isTrue();
    assertThat(classifier.isSlow(Duration.ofMillis(200).toNanos() - 1)).isFalse();
    assertThat(classifier.slowCallDurationNanos()).isEqualTo(200_000_000L);
  }

  @Test
  void badInputIsRefusedWithTheOptionName() {
    assertThatThrownBy(() -> OutcomeClassifier.builder().slowCallDuration(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("slowCallDuration must be > 0, was PT0S");
    assertThatThrownBy(() -> OutcomeClassifier.builder().slowCallDuration(Duration.ofSeconds(-1)))
        .hasMessageContaining("slowCallDuration must be > 0");
    assertThatThrownBy(() -> OutcomeClassifier.builder().recordIf(null))
        .isInstanceOf(NullPointerException.class).hasMessage("recordIf");
    assertThatThrownBy(() -> OutcomeClassifier.builder().recordExceptions(IOException.class, null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("recordExceptions");
    assertThatThrownBy(() -> OutcomeClassifier.unwrap(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void classifiersAreValues() {
    OutcomeClassifier a = OutcomeClassifier.builder().recordExceptions(IOException.class).build();
    OutcomeClassifier b = OutcomeClassifier.builder().recordExceptions(IOException.class).build();
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isNotEqualTo(OutcomeClassifier.defaults());
    assertThat(a.toString()).contains("IOException").contains("slowCallDuration=never");
  }
}
