package dev.bulwark.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.ContextPropagator;
import dev.bulwark.OutcomeClassifier;
import dev.bulwark.PolicyKind;
import dev.bulwark.Registry;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RetryConfigTest {

  @Test
  void defaultsAreSafeForProduction() {
    RetryConfig config = RetryConfig.defaults();
    assertThat(config.maxAttempts()).isEqualTo(3);
    assertThat(config.maxDuration()).isEmpty();
    assertThat(config.backoff()).isEqualTo(
        Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofSeconds(10)).withJitter(Jitter.FULL));
    assertThat(config.onRejection()).isEqualTo(RetryOnRejection.IF_HINT_FITS);
    assertThat(config.maxRetryAfter()).isEqualTo(Duration.ofSeconds(10));
    assertThat(config.budget()).isEqualTo(RetryBudgetConfig.ratio(0.1, 10, Duration.ofSeconds(10)));
    assertThat(config.abortIf()).isEmpty();
    assertThat(config.abortOnResult()).isEmpty();
    assertThat(config.hintFromFailure()).isEmpty();
    assertThat(config.hintFromResult()).isEmpty();
    assertThat(config.contextPropagators()).isEmpty();
  }

  @Test
  void badInputFailsAtBuildTimeNamingTheOptionTheRuleAndTheValue() {
    assertThatThrownBy(() -> RetryConfig.builder().maxAttempts(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("maxAttempts must be >= 1, was 0");
    assertThatThrownBy(() -> RetryConfig.builder().maxAttempts(-3))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("maxAttempts must be >= 1, was -3");
    assertThatThrownBy(() -> RetryConfig.builder().maxDuration(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("maxDuration must be > 0, was PT0S");
    assertThatThrownBy(() -> RetryConfig.builder().maxDuration(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("maxDuration must be > 0, was PT-1S");
    assertThatThrownBy(() -> RetryConfig.builder().maxRetryAfter(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("maxRetryAfter must be >= 0, was PT-0.001S");
    assertThatThrownBy(() -> RetryConfig.builder().retryOn())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("retryOn must name at least one exception type, was []");
    assertThatThrownBy(() -> RetryConfig.builder().abortOn(IOException.class, null))
        .isInstanceOf(NullPointerException.class).hasMessage("abortOn must not contain null");
    assertThatThrownBy(() -> RetryConfig.builder().backoff(null))
        .isInstanceOf(NullPointerException.class).hasMessage("backoff");
    assertThatThrownBy(() -> RetryConfig.builder().budget(null))
        .isInstanceOf(NullPointerException.class).hasMessage("budget");
    assertThatThrownBy(() -> RetryConfig.builder().onRejection(null))
        .isInstanceOf(NullPointerException.class).hasMessage("onRejection");
    assertThatThrownBy(() -> RetryConfig.builder().contextPropagators((ContextPropagator[]) null))
        .isInstanceOf(NullPointerException.class).hasMessage("contextPropagators");
    assertThatThrownBy(() -> RetryConfig.builder().contextPropagators(() -> () -> () -> { }, null))
        .isInstanceOf(NullPointerException.class).hasMessage("contextPropagators must not contain null");
    assertThatThrownBy(() -> RetryConfig.builder().contextPropagators(() -> () -> () -> { })
        .contextPropagators())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("contextPropagators was already set to 1 propagators");
    assertThatThrownBy(() -> Retry.builder(" "))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("name must not be blank, was \" \"");
  }

  @Test
  void aClassifierCannotBeCombinedWithClassificationRules() {
    assertThatThrownBy(() -> RetryConfig.builder().classifier(OutcomeClassifier.defaults())
        .retryOn(IOException.class).retryOnResult(r -> r == null).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("classifier was set, so retryOn, retryOnResult cannot be used as well; "
            + "put those rules into the classifier");
  }

  @Test
  void aSharedClassifierDecidesWhatIsRetried() {
    OutcomeClassifier classifier = OutcomeClassifier.builder().recordExceptions(IOException.class).build();
    RetryConfig config = RetryConfig.builder().classifier(classifier).build();
    assertThat(config.classifier()).isSameAs(classifier);
  }

  @Test
  void configsAreValues() {
    RetryConfig a = RetryConfig.builder().maxAttempts(5).maxDuration(Duration.ofSeconds(3)).build();
    RetryConfig b = RetryConfig.builder().maxAttempts(5).maxDuration(Duration.ofSeconds(3)).build();
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(RetryConfig.defaults());
    assertThat(RetryConfig.defaults()).isEqualTo(RetryConfig.builder().build());
    assertThat(a.toString()).contains("maxAttempts=5", "maxDuration=PT3S", "budget=RetryBudgetConfig{ratio=0.1",
        "contextPropagators=0");
    ContextPropagator user = ContextPropagator.ofThreadLocal(new ThreadLocal<String>());
    RetryConfig withContext = RetryConfig.builder().contextPropagators(user).build();
    assertThat(withContext).isEqualTo(RetryConfig.builder().contextPropagators(user).build())
        .isNotEqualTo(RetryConfig.defaults());
    assertThat(withContext.contextPropagators()).containsExactly(user);
    assertThat(withContext.toString()).contains("contextPropagators=1");
  }

  @Test
  void retryFitsTheRegistryAndEachInstanceGetsItsOwnBudget() {
    Registry<Retry, RetryConfig> registry = Registry.builder(RetryConfig.defaults(), Retry::of)
        .template("patient", RetryConfig.builder().maxAttempts(6).build())
        .build();
    Retry inventory = registry.get("inventory");
    Retry search = registry.get("search", "patient");
    assertThat(inventory.kind()).isEqualTo(PolicyKind.RETRY);
    assertThat(inventory.name()).isEqualTo("inventory");
    assertThat(search.config().maxAttempts()).isEqualTo(6);
    assertThat(inventory.budget()).isNotSameAs(search.budget());
    assertThat(registry.get("inventory")).isSameAs(inventory);
  }

  @Test
  void aBudgetCanBeSharedByRetriesOfOneDependency() {
    RetryBudget shared = RetryBudget.of(RetryBudgetConfig.tokenBucket(10, 0.1));
    Retry a = Retry.builder("a").budget(shared).build();
    Retry b = Retry.builder("b").budget(shared).build();
    assertThat(a.budget()).isSameAs(shared).isSameAs(b.budget());
    assertThat(a.metrics().budgetBalance()).isEqualTo(10.0);
  }

  @Test
  void ownAndSharedBudgetsBothCountEveryCallAsARequest() throws Exception {
    Retry own = Retry.builder("own").sleeper(nanos -> {}).build();
    RetryBudget shared = RetryBudget.of(RetryBudgetConfig.ratio(0.1));
    Retry a = Retry.builder("a").sleeper(nanos -> {}).budget(shared).build();
    Retry b = Retry.builder("b").sleeper(nanos -> {}).budget(shared).build();
    for (Retry retry : new Retry[] {own, a, b}) {
      retry.call(() -> "ok");
      try {
        retry.call(() -> {
          throw new IOException("down");
        });
      } catch (IOException expected) {
        // retried, then failed
      }
    }
    assertThat(own.budget().metrics().requests()).isEqualTo(2);
    assertThat(shared.metrics().requests()).isEqualTo(4);
  }
}
