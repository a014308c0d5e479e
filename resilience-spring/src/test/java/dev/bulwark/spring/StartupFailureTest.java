package dev.bulwark.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.spring.annotation.PolicyAnnotation;
import dev.bulwark.spring.autoconfigure.BulwarkAutoConfiguration;
import dev.bulwark.spring.autoconfigure.BulwarkConfigurationException;
import dev.bulwark.spring.support.KillSwitch;
import dev.bulwark.spring.support.KillSwitchBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The application context refuses to start, with a clear message, when Bulwark cannot keep its promises. */
class StartupFailureTest {
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(BulwarkAutoConfiguration.class))
      .withBean(KillSwitchBinding.class);

  static class MissingFallback {
    @KillSwitch(name = "a", fallbackMethod = "nowhere")
    public String fetch(String id) {
      return id;
    }
  }

  static class IncompatibleFallback {
    @KillSwitch(name = "a", fallbackMethod = "recover")
    public String fetch(String id) {
      return id;
    }

    Integer recover(String id, Exception e) {
      return 0;
    }
  }

  @PolicyAnnotation
  @Retention(RetentionPolicy.RUNTIME)
  @Target({ElementType.METHOD, ElementType.TYPE})
  @interface Unbound {}

  @Unbound
  static class UnboundAnnotation {
    public String fetch(String id) {
      return id;
    }
  }

  static class MyStage<T> extends CompletableFuture<T> {}

  static class UnsupportedAsyncType {
    @KillSwitch(name = "a")
    public MyStage<String> fetch(String id) {
      return new MyStage<>();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class TwoBadBeans {
    @Bean
    MissingFallback missingFallback() {
      return new MissingFallback();
    }

    @Bean
    IncompatibleFallback incompatibleFallback() {
      return new IncompatibleFallback();
    }
  }

  @Test
  void aMissingFallbackFailsStartupNamingTheMethodAndTheSignatureExpected() {
    runner.withBean(MissingFallback.class).run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure())
          .isInstanceOf(BulwarkConfigurationException.class)
          .hasMessageContaining("Fallback method 'nowhere' named by @KillSwitch(name = \"a\") on "
              + MissingFallback.class.getName() + ".fetch(String) does not exist")
          .hasMessageContaining("java.lang.String nowhere(String) or java.lang.String nowhere(String, Throwable)");
    });
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    runner.withUserConfiguration(TwoBadBeans.class).run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure())
          .hasMessageStartingWith("Bulwark cannot protect 2 methods:")
          .hasMessageContaining("'nowhere'")
          .hasMessageContaining("does not fit: Integer recover(String, Exception): returns Integer, expected String");
    });
  }

  @Test
  void anAnnotationWithoutABindingFailsStartup() {
    runner.withBean(UnboundAnnotation.class).run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).hasMessageContaining(UnboundAnnotation.class.getName()
          + ".fetch(String) carries a Bulwark annotation whose policy is not available: [@Unbound");
    });
  }

  @Test
  void anAsyncReturnTypeBulwarkCannotProduceFailsStartup() {
    runner.withBean(UnsupportedAsyncType.class).run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).hasMessageContaining("returns " + MyStage.class.getName()
          + ": Bulwark protects methods returning CompletionStage or CompletableFuture");
    });
  }
}
