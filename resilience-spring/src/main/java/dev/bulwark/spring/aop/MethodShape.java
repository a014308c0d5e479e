package dev.bulwark.spring.aop;

import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.springframework.core.ResolvableType;

/** How a protected method returns: synchronously, or through a {@code CompletionStage}. */
final class MethodShape {
  private MethodShape() {}

  static boolean isAsync(Method method) {
    return CompletionStage.class.isAssignableFrom(method.getReturnType());
  }

  /** Checks that an asynchronous method returns a type the aspect can produce. */
  static void checkAsyncReturnType(Method method, Class<?> targetClass) {
    Class<?> type = method.getReturnType();
    if (isAsync(method) && type != CompletionStage.class && type != CompletableFuture.class) {
      throw new IllegalStateException(FallbackMethods.describe(method, targetClass) + " returns "
          + type.getName() + ": Bulwark protects methods returning CompletionStage or CompletableFuture,"
          + " or synchronous methods");
    }
  }

  /** Returns {@code T} of a method returning {@code CompletionStage<T>}, {@code Object} if unknown. */
  static Class<?> asyncValueType(Method method, Class<?> targetClass) {
    return ResolvableType.forMethodReturnType(method, targetClass).as(CompletionStage.class).getGeneric(0)
        .resolve(Object.class);
  }
}
