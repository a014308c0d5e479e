package dev.bulwark.spring.aop;

import dev.bulwark.spring.PolicyBinding;
import dev.bulwark.spring.PolicyBinding.MethodPolicy;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.MethodClassKey;
import dev.bulwark.spring.annotation.PolicyAnnotation;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.util.ClassUtils;

/**
 * The one aspect: for each method carrying Bulwark annotations (on the method or its type), builds once a
 * {@link dev.bulwark.Pipeline} of the policies the annotations name, in the pipeline's documented order, and
 * runs every call through it, with the fallback outermost. There is no second aspect whose order relative
 * to this one could matter.
 *
 * <pre>{@code
 * @Retry(name = "pricing") @CircuitBreaker(name = "pricing", fallbackMethod = "lastQuote")
 * public Quote quote(Cart cart) { ... }   // fallback(retry(circuitBreaker(quote)))
 * }</pre>
 */
public final class BulwarkMethodInterceptor implements MethodInterceptor {
  private static final Logger LOGGER = LoggerFactory.getLogger(BulwarkMethodInterceptor.class);
  private static final MethodPlan NONE = null;

  private final Supplier<List<PolicyBinding<?, ?>>> bindingsSupplier;
  private volatile List<PolicyBinding<?, ?>> bindings;
  private final ConcurrentHashMap<MethodClassKey, Object> plans = new ConcurrentHashMap<>();
  private final ContextCarrier contextCarrier = ContextCarrier.createIfAvailable();
  private static final Object NO_PLAN = new Object();

  /**
   * Creates the interceptor. Bindings are looked up on first call or validation, never while the pointcut
   * is matched, so that proxy creation (which may happen while bean post-processors are still being
   * created) instantiates nothing else.
   *
   * @param bindings supplies the policy bindings
   */
  public BulwarkMethodInterceptor(Supplier<List<PolicyBinding<?, ?>>> bindings) {
    this.bindingsSupplier = Objects.requireNonNull(bindings, "bindings");
  }

  @Override
  public Object invoke(MethodInvocation invocation) throws Throwable {
    Object target = invocation.getThis();
    Class<?> targetClass = target != null ? AopUtils.getTargetClass(target) : invocation.getMethod()
        .getDeclaringClass();
    MethodPlan plan = plan(invocation.getMethod(), targetClass);
    return plan == NONE ? invocation.proceed() : plan.invoke(invocation);
  }

  /**
   * Returns the plan for a method, building it on first use.
   *
   * @throws IllegalStateException if the method's annotations cannot be honoured (the message says why)
   */
  MethodPlan plan(Method method, Class<?> targetClass) {
    MethodClassKey key = new MethodClassKey(method, targetClass);
    Object plan = plans.get(key);
    if (plan == null) {
      plan = plans.computeIfAbsent(key, k -> {
        MethodPlan built = build(method, targetClass);
        return built == null ? NO_PLAN : built;
      });
    }
    return plan == NO_PLAN ? NONE : (MethodPlan) plan;
  }

  /**
   * Checks and plans every annotated method of {@code beanClass}, as the context starts.
   *
   * @param beanClass the user class of a bean
   * @param problems collects a message per method that cannot be protected
   */
  public void validate(Class<?> beanClass, List<String> problems) {
    if (!isCandidate(beanClass)) {
      return;
    }
    for (Method method : org.springframework.util.ReflectionUtils.getUniqueDeclaredMethods(beanClass,
        m -> !m.isBridge() && !m.isSynthetic() && m.getDeclaringClass() != Object.class)) {
      try {
        plan(method, beanClass);
      } catch (IllegalStateException | IllegalArgumentException e) {
        problems.add(e.getMessage());
      }
    }
  }

  /** Forgets every plan, after a configuration change replaced instances; plans are rebuilt on use. */
  public void invalidate() {
    plans.clear();
  }

  boolean isCandidate(Class<?> targetClass) {
    return AnnotationUtils.isCandidateClass(targetClass, PolicyAnnotation.class);
  }

  /** Tells whether a method carries a Bulwark annotation, on itself or its type (for the pointcut). */
  boolean matches(Method method, Class<?> targetClass) {
    Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
    if (AnnotatedElementUtils.hasAnnotation(specific, PolicyAnnotation.class)) {
      return true;
    }
    return appliesTypeAnnotations(specific)
        && AnnotatedElementUtils.hasAnnotation(ClassUtils.getUserClass(targetClass), PolicyAnnotation.class);
  }

  private static boolean appliesTypeAnnotations(Method specific) {
    return Modifier.isPublic(specific.getModifiers()) && !Modifier.isStatic(specific.getModifiers())
        && specific.getDeclaringClass() != Object.class;
  }

  private static <A extends Annotation> A find(Method specific, Class<?> targetClass, Class<A> type) {
    A onMethod = AnnotatedElementUtils.findMergedAnnotation(specific, type);
    if (onMethod != null) {
      return onMethod;
    }
    if (!appliesTypeAnnotations(specific)) {
      return null;
    }
    return AnnotatedElementUtils.findMergedAnnotation(ClassUtils.getUserClass(targetClass), type);
  }

  private MethodPlan build(Method method, Class<?> targetClass) {
    Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
    List<MethodPolicy> policies = new ArrayList<>();
    Set<String> fallbackNames = new LinkedHashSet<>();
    List<String> requestedBy = new ArrayList<>();
    boolean changesThread = false;
    for (PolicyBinding<?, ?> binding : bindings()) {
      MethodPolicy policy = bind(binding, specific, targetClass, fallbackNames, requestedBy);
      if (policy != null) {
        policies.add(policy);
        changesThread |= policy.changesThread();
      }
    }
    if (policies.isEmpty()) {
      if (matches(method, targetClass)) {
        throw new IllegalStateException(FallbackMethods.describe(specific, targetClass)
            + " carries a Bulwark annotation whose policy is not available: " + unboundAnnotations(specific,
            targetClass));
      }
      return null;
    }
    MethodShape.checkAsyncReturnType(specific, targetClass);
    String description = FallbackMethods.describe(specific, targetClass);
    FallbackMethods fallback = null;
    if (fallbackNames.size() > 1) {
      throw new IllegalStateException(description + " names different fallback methods " + fallbackNames
          + " in " + requestedBy + ": one method has one fallback, outermost; name it on one annotation or"
          + " the same on all");
    } else if (fallbackNames.size() == 1) {
      fallback = FallbackMethods.resolve(specific, targetClass, fallbackNames.iterator().next(),
          String.join(", ", requestedBy));
    }
    MethodPlan plan = new MethodPlan(description, policies, fallback, MethodShape.isAsync(specific),
        specific.getReturnType() == CompletableFuture.class, changesThread ? contextCarrier : null);
    LOGGER.debug("Bulwark protects {}", plan);
    return plan;
  }

  private List<String> unboundAnnotations(Method specific, Class<?> targetClass) {
    Set<String> names = new LinkedHashSet<>();
    List<Annotation> present = new ArrayList<>(List.of(specific.getAnnotations()));
    if (appliesTypeAnnotations(specific)) {
      present.addAll(List.of(ClassUtils.getUserClass(targetClass).getAnnotations()));
    }
    for (Annotation annotation : present) {
      Class<? extends Annotation> type = annotation.annotationType();
      if (type.isAnnotationPresent(PolicyAnnotation.class)
          && bindings().stream().noneMatch(b -> b.annotationType() == type)) {
        names.add("@" + type.getSimpleName() + " (no binding; is its module or policy on the class path?)");
      }
    }
    return new ArrayList<>(names);
  }

  private static <A extends Annotation> MethodPolicy bind(PolicyBinding<A, ?> binding, Method specific,
      Class<?> targetClass, Set<String> fallbackNames, List<String> requestedBy) {
    A annotation = find(specific, targetClass, binding.annotationType());
    if (annotation == null || !binding.handles(annotation)) {
      return null;
    }
    String fallbackName = binding.fallbackMethod(annotation);
    if (fallbackName != null && !fallbackName.isEmpty()) {
      fallbackNames.add(fallbackName);
      requestedBy.add("@" + binding.annotationType().getSimpleName() + "(name = \""
          + binding.instanceName(annotation) + "\")");
    }
    binding.validate(annotation, specific, targetClass);
    return binding.bind(annotation, specific, targetClass);
  }

  private List<PolicyBinding<?, ?>> bindings() {
    List<PolicyBinding<?, ?>> current = bindings;
    if (current == null) {
      List<PolicyBinding<?, ?>> sorted = new ArrayList<>(bindingsSupplier.get());
      sorted.sort(Comparator.comparing(PolicyBinding::kind));
      current = List.copyOf(sorted);
      bindings = current;
    }
    return current;
  }
}
