package dev.bulwark.spring.aop;

import java.lang.reflect.Method;
import org.aopalliance.aop.Advice;
import org.springframework.aop.ClassFilter;
import org.springframework.aop.Pointcut;
import org.springframework.aop.support.AbstractPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;

/**
 * The advisor that applies {@link BulwarkMethodInterceptor} to methods carrying Bulwark annotations,
 * directly or through their type. A plain Spring AOP advisor: it needs no AspectJ weaver, so it works the
 * same with Boot 3's {@code spring-boot-starter-aop} and Boot 4's {@code spring-boot-starter-aspectj}, or
 * neither.
 *
 * <pre>{@code
 * BulwarkAdvisor advisor = new BulwarkAdvisor(interceptor);
 * advisor.setOrder(Ordered.LOWEST_PRECEDENCE - 100);   // outside @Transactional: a retry retries the transaction
 * }</pre>
 */
public final class BulwarkAdvisor extends AbstractPointcutAdvisor {
  private static final long serialVersionUID = 1L;

  private final transient BulwarkMethodInterceptor interceptor;
  private final transient Pointcut pointcut;

  /**
   * Creates the advisor.
   *
   * @param interceptor the aspect
   */
  public BulwarkAdvisor(BulwarkMethodInterceptor interceptor) {
    this.interceptor = interceptor;
    StaticMethodMatcherPointcut matcher = new StaticMethodMatcherPointcut() {
      @Override
      public boolean matches(Method method, Class<?> targetClass) {
        return interceptor.matches(method, targetClass);
      }
    };
    matcher.setClassFilter(new ClassFilter() {
      @Override
      public boolean matches(Class<?> clazz) {
        return interceptor.isCandidate(clazz);
      }
    });
    this.pointcut = matcher;
  }

  @Override
  public Pointcut getPointcut() {
    return pointcut;
  }

  @Override
  public Advice getAdvice() {
    return interceptor;
  }
}
