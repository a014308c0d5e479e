package dev.bulwark.spring.aop;

import dev.bulwark.Pipeline;
import dev.bulwark.Policy;
import dev.bulwark.spring.PolicyBinding.MethodPolicy;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.ProxyMethodInvocation;

/**
 * What the aspect does for one method: the pipeline built once from the method's annotations, and its
 * fallbacks. Immutable; replaced when a runtime configuration change replaces instances.
 */
final class MethodPlan {
  private final String description;
  private final MethodPolicy[] policies;
  private final Pipeline pipeline; // null when a policy is made per invocation
  private final FallbackMethods fallback; // may be null
  private final boolean async;
  private final boolean returnsCompletableFuture;
  private final ContextCarrier contextCarrier; // may be null

  MethodPlan(String description, List<MethodPolicy> policies, FallbackMethods fallback, boolean async,
      boolean returnsCompletableFuture, ContextCarrier contextCarrier) {
    this.description = description;
    this.policies = policies.toArray(new MethodPolicy[0]);
    boolean perInvocation = policies.stream().anyMatch(MethodPolicy::perInvocation);
    this.pipeline = perInvocation ? null : Pipeline.of(policies.stream()
        .map(p -> p.policy(null, null)).toArray(Policy[]::new));
    this.fallback = fallback;
    this.async = async;
    this.returnsCompletableFuture = returnsCompletableFuture;
    this.contextCarrier = contextCarrier;
  }

  /** Returns the policies of a pipeline built for these arguments. */
  Pipeline pipeline(Object target, Object[] arguments) {
    if (pipeline != null) {
      return pipeline;
    }
    Policy[] built = new Policy[policies.length];
    for (int i = 0; i < built.length; i++) {
      built[i] = policies[i].policy(target, arguments);
    }
    return Pipeline.of(built);
  }

  Object invoke(MethodInvocation invocation) throws Throwable {
    Object target = invocation.getThis();
    Object[] arguments = invocation.getArguments();
    Pipeline policy;
    try {
      policy = pipeline(target, arguments); // a per-call policy may refuse the arguments (a null idempotency key)
    } catch (RuntimeException e) {
      if (async) {
        CompletionStage<Object> failed = CompletableFuture.failedStage(e);
        return returnsCompletableFuture ? failed.toCompletableFuture() : failed;
      }
      throw e;
    }
    if (!async) {
      Callable<Object> body = () -> proceed(invocation);
      if (contextCarrier != null) {
        body = contextCarrier.carry(body);
      }
      try {
        return policy.call(body);
      } catch (Exception e) {
        if (fallback == null) {
          throw e;
        }
        return fallback.recover(target, arguments, e);
      }
    }
    Supplier<CompletionStage<Object>> body = () -> {
      try {
        @SuppressWarnings("unchecked")
        CompletionStage<Object> stage = (CompletionStage<Object>) proceed(invocation);
        return stage != null ? stage : CompletableFuture.failedStage(new IllegalStateException(
            description + " returned null instead of a CompletionStage"));
      } catch (Exception e) {
        return CompletableFuture.failedStage(e);
      }
    };
    if (contextCarrier != null) {
      body = contextCarrier.carry(body);
    }
    CompletionStage<Object> stage = policy.callAsync(body);
    if (fallback != null) {
      stage = fallback.recoverAsync(stage, target, arguments);
    }
    return returnsCompletableFuture ? stage.toCompletableFuture() : stage;
  }

  /**
   * Runs the method body. Each attempt (a retry runs several) proceeds on a copy of the invocation, so the
   * interceptors inside Bulwark's run on every attempt.
   */
  private static Object proceed(MethodInvocation invocation) throws Exception {
    try {
      if (invocation instanceof ProxyMethodInvocation proxyInvocation) {
        return proxyInvocation.invocableClone().proceed();
      }
      return invocation.proceed();
    } catch (Exception | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new UndeclaredThrowableException(t);
    }
  }

  @Override
  public String toString() {
    return description + " -> " + (pipeline != null ? pipeline.name() : "per-invocation pipeline")
        + (fallback != null ? " with fallback " + fallback.name() : "");
  }
}
