package dev.bulwark.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.CallNotPermittedException;
import dev.bulwark.PolicyKind;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class FailureClassifierTest {

  @Test
  void byDefaultEveryFailureIsOfUnknownOutcome() {
    FailureClassifier classifier = FailureClassifier.defaults();
    assertThat(classifier.classify(new IOException())).isEqualTo(FailureKind.UNKNOWN);
    assertThat(classifier.classify(new IllegalArgumentException())).isEqualTo(FailureKind.UNKNOWN);
    assertThat(classifier.classify(new CallNotPermittedException(PolicyKind.BULKHEAD, "b", -1)))
        .isEqualTo(FailureKind.UNKNOWN);
    assertThat(classifier.otherwise()).isEqualTo(FailureKind.UNKNOWN);
  }

  @Test
  void rulesMatchSubclassesAfterUnwrapping() {
    FailureClassifier classifier = FailureClassifier.builder()
        .classify(FailureKind.RETRYABLE, ConnectException.class)
        .classify(FailureKind.TERMINAL, IllegalArgumentException.class)
        .build();

    assertThat(classifier.classify(new ConnectException())).isEqualTo(FailureKind.RETRYABLE);
    assertThat(classifier.classify(new CompletionException(new ConnectException()))).isEqualTo(FailureKind.RETRYABLE);
    assertThat(classifier.classify(new ExecutionException(new NumberFormatException()))).isEqualTo(FailureKind.TERMINAL);
    assertThat(classifier.classify(new IOException())).isEqualTo(FailureKind.UNKNOWN);
  }

  @Test
  void theMostCautiousMatchingKindWinsWhateverTheOrder() {
    FailureClassifier retryableFirst = FailureClassifier.builder()
        .classify(FailureKind.RETRYABLE, IOException.class)
        .classify(FailureKind.UNKNOWN, FileNotFoundException.class)
        .classify(FailureKind.TERMINAL, Exception.class)
        .build();
    FailureClassifier unknownFirst = FailureClassifier.builder()
        .classify(FailureKind.UNKNOWN, FileNotFoundException.class)
        .classify(FailureKind.TERMINAL, Exception.class)
        .classify(FailureKind.RETRYABLE, IOException.class)
        .build();

    for (FailureClassifier classifier : new FailureClassifier[] {retryableFirst, unknownFirst}) {
      assertThat(classifier.classify(new FileNotFoundException())).isEqualTo(FailureKind.UNKNOWN);
      assertThat(classifier.classify(new IOException())).isEqualTo(FailureKind.TERMINAL);
      assertThat(classifier.classify(new IllegalStateException())).isEqualTo(FailureKind.TERMINAL);
    }
  }

  @Test
  void predicatesAndTheFallbackAreConfigurable() {
    FailureClassifier classifier = FailureClassifier.builder()
        .classifyIf(FailureKind.TERMINAL, e -> e.getMessage() != null && e.getMessage().startsWith("4"))
        .otherwise(FailureKind.RETRYABLE)
        .build();

    assertThat(classifier.classify(new IllegalStateException("404 not found"))).isEqualTo(FailureKind.TERMINAL);
    assertThat(classifier.classify(new IllegalStateException("503"))).isEqualTo(FailureKind.RETRYABLE);
    assertThat(classifier.otherwise()).isEqualTo(FailureKind.RETRYABLE);
  }

  @Test
  void badRulesAreRejected() {
    FailureClassifier.Builder b = FailureClassifier.builder();
    assertThatThrownBy(() -> b.classify(null, IOException.class)).isInstanceOf(NullPointerException.class)
        .hasMessage("kind");
    assertThatThrownBy(() -> b.classify(FailureKind.TERMINAL, (Class<? extends Throwable>) null))
        .isInstanceOf(NullPointerException.class).hasMessage("types must not contain null");
    assertThatThrownBy(() -> b.classifyIf(FailureKind.TERMINAL, null)).isInstanceOf(NullPointerException.class)
        .hasMessage("predicate");
    assertThatThrownBy(() -> b.otherwise(null)).isInstanceOf(NullPointerException.class).hasMessage("otherwise");
  }

  @Test
  void classifiersAreValues() {
    FailureClassifier a = FailureClassifier.builder().classify(FailureKind.TERMINAL, IOException.class).build();
    FailureClassifier b = FailureClassifier.builder().classify(FailureKind.TERMINAL, IOException.class).build();
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(FailureClassifier.defaults());
    assertThat(a.toString()).isEqualTo("FailureClassifier{rules=[IOException->TERMINAL], otherwise=UNKNOWN}");
  }
}
