package dev.bulwark.spring.autoconfigure;

import dev.bulwark.spring.PolicyBinding;
import dev.bulwark.spring.aop.BulwarkAdvisor;
import dev.bulwark.spring.aop.BulwarkMethodInterceptor;
import java.util.List;
import org.springframework.aop.config.AopConfigUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Bulwark's Spring Boot auto-configuration: the {@code bulwark.*} properties, a registry and a binding per
 * primitive, and the one aspect that applies the annotations.
 *
 * <pre>{@code
 * @SpringBootApplication
 * class App { }      // with resilience-spring on the class path, @CircuitBreaker & co. just work
 * }</pre>
 */
@AutoConfiguration
@EnableConfigurationProperties(BulwarkProperties.class)
@Import({BulwarkAutoConfiguration.AutoProxyRegistrar.class, BulwarkPolicyConfigurations.class})
public class BulwarkAutoConfiguration {

  /** Creates the configuration (for Spring). */
  public BulwarkAutoConfiguration() {}

  /**
   * The aspect. Static and infrastructure: it is created early, by the auto-proxy creator, and must not
   * pull the bindings (and their properties) in with it.
   *
   * @param bindings the policy bindings, looked up on first use
   * @return the interceptor
   */
  @Bean
  @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
  static BulwarkMethodInterceptor bulwarkMethodInterceptor(ObjectProvider<PolicyBinding<?, ?>> bindings) {
    return new BulwarkMethodInterceptor(() -> bindings.orderedStream().toList());
  }

  /**
   * The advisor applying the aspect, ordered by {@code bulwark.aspect.order}.
   *
   * @param interceptor the aspect
   * @param environment reads the order without binding the whole properties this early
   * @return the advisor
   */
  @Bean
  @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
  static BulwarkAdvisor bulwarkAdvisor(BulwarkMethodInterceptor interceptor, Environment environment) {
    BulwarkAdvisor advisor = new BulwarkAdvisor(interceptor);
    advisor.setOrder(Binder.get(environment).bind("bulwark.aspect.order", Integer.class)
        .orElse(new BulwarkProperties.Aspect().getOrder()));
    return advisor;
  }

  /**
   * The runtime: startup checks, the application's own policy beans, property changes.
   *
   * @param beanFactory the bean factory
   * @param environment the environment
   * @param interceptor the aspect
   * @param bindings the bindings
   * @return the runtime
   */
  @Bean
  BulwarkRuntime bulwarkRuntime(BeanFactory beanFactory, ConfigurableEnvironment environment,
      BulwarkMethodInterceptor interceptor, ObjectProvider<PolicyBinding<?, ?>> bindings) {
    List<PolicyBinding<?, ?>> list = bindings.orderedStream().toList();
    return BulwarkRuntime.of(beanFactory, environment, interceptor, list);
  }

  /** Registers an auto-proxy creator if the application has none (Boot's AOP auto-configuration may be off). */
  static class AutoProxyRegistrar implements ImportBeanDefinitionRegistrar {
    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
      AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
    }
  }
}
