package dev.bulwark.spring.aop;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.springframework.core.ResolvableType;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * The fallback methods of one protected method, resolved and checked once, when the application context
 * starts.
 *
 * <p>A fallback is a method of the bean's class (or a superclass), of any visibility, static or not, named
 * by the annotation's {@code fallbackMethod}. It takes the protected method's parameters (each fallback
 * parameter accepts the corresponding argument), optionally followed by one parameter of type
 * {@link Throwable} or a subtype. Several overloads may differ in that last parameter: for a failure, the
 * overload whose exception type is the closest superclass of the failure's class wins; an overload without
 * an exception parameter is used only when no typed one matches; when none matches, the failure passes
 * through unchanged.
 *
 * <p>Return types: a synchronous method's fallback returns a type assignable to the method's return type
 * ({@code void} for {@code void}). A method returning {@code CompletionStage<T>} or
 * {@code CompletableFuture<T>} may have a fallback returning a {@code CompletionStage} (chained) or a plain
 * value assignable to {@code T} (completed).
 */
final class FallbackMethods {
  private final String name;
  private final List<Candidate> candidates; // most specific exception type first, catch-all last
  private final Map<Class<?>, Optional<Candidate>> byFailureClass = new ConcurrentHashMap<>();
  private final boolean async;

  private FallbackMethods(String name, List<Candidate> candidates, boolean async) {
    this.name = name;
    this.candidates = candidates;
    this.async = async;
  }

  /**
   * Resolves the fallbacks named {@code fallbackName} for {@code method}.
   *
   * @throws IllegalStateException naming the method and the signature expected, when none fits
   */
  static FallbackMethods resolve(Method method, Class<?> targetClass, String fallbackName, String requestedBy) {
    boolean async = MethodShape.isAsync(method);
    Class<?>[] parameterTypes = method.getParameterTypes();
    List<Method> named = new ArrayList<>();
    ReflectionUtils.doWithMethods(targetClass, named::add,
        m -> m.getName().equals(fallbackName) && !m.isBridge() && !m.isSynthetic());
    List<Method> unique = unique(named);
    List<Candidate> candidates = new ArrayList<>();
    List<String> rejected = new ArrayList<>();
    for (Method candidate : unique) {
      String problem = problem(method, targetClass, candidate, parameterTypes, async);
      if (problem == null) {
        Class<?>[] fallbackParameters = candidate.getParameterTypes();
        @SuppressWarnings("unchecked")
        Class<? extends Throwable> exceptionType = fallbackParameters.length == parameterTypes.length
            ? null : (Class<? extends Throwable>) fallbackParameters[fallbackParameters.length - 1];
        ReflectionUtils.makeAccessible(candidate);
        candidates.add(new Candidate(candidate, exceptionType,
            async && CompletionStage.class.isAssignableFrom(candidate.getReturnType())));
      } else {
        rejected.add(signature(candidate) + ": " + problem);
      }
    }
    if (candidates.isEmpty()) {
      StringBuilder message = new StringBuilder()
          .append("Fallback method '").append(fallbackName).append("' named by ").append(requestedBy)
          .append(" on ").append(describe(method, targetClass));
      if (unique.isEmpty()) {
        message.append(" does not exist.");
      } else {
        message.append(" does not fit: ").append(String.join("; ", rejected)).append('.');
      }
      message.append(" Expected in ").append(targetClass.getName()).append(": ")
          .append(expected(method, targetClass, fallbackName, async));
      throw new IllegalStateException(message.toString());
    }
    long catchAlls = candidates.stream().filter(c -> c.exceptionType == null).count();
    if (catchAlls > 1) {
      throw new IllegalStateException("Fallback method '" + fallbackName + "' for "
          + describe(method, targetClass) + " is ambiguous: " + catchAlls + " overloads take no exception");
    }
    candidates.sort(Comparator.comparingInt(Candidate::depth).reversed());
    return new FallbackMethods(fallbackName, List.copyOf(candidates), async);
  }

  /** Keeps the most derived declaration of each signature (doWithMethods visits subclasses first). */
  private static List<Method> unique(List<Method> methods) {
    List<Method> unique = new ArrayList<>();
    outer:
    for (Method m : methods) {
      for (Method u : unique) {
        if (Arrays.equals(u.getParameterTypes(), m.getParameterTypes())) {
          continue outer;
        }
      }
      unique.add(m);
    }
    return unique;
  }

  private static String problem(
      Method method, Class<?> targetClass, Method candidate, Class<?>[] parameterTypes, boolean async) {
    Class<?>[] fallbackParameters = candidate.getParameterTypes();
    int n = parameterTypes.length;
    if (fallbackParameters.length != n && fallbackParameters.length != n + 1) {
      return "takes " + fallbackParameters.length + " parameters, expected " + n + " or " + (n + 1);
    }
    for (int i = 0; i < n; i++) {
      if (!ClassUtils.isAssignable(fallbackParameters[i], parameterTypes[i])) {
        return "parameter " + (i + 1) + " is " + fallbackParameters[i].getSimpleName() + ", which does not accept "
            + parameterTypes[i].getSimpleName();
      }
    }
    if (fallbackParameters.length == n + 1 && !Throwable.class.isAssignableFrom(fallbackParameters[n])) {
      return "the last parameter is " + fallbackParameters[n].getSimpleName()
          + ", expected Throwable or a subtype";
    }
    Class<?> returnType = method.getReturnType();
    Class<?> fallbackReturn = candidate.getReturnType();
    if (async) {
      if (CompletionStage.class.isAssignableFrom(fallbackReturn)) {
        return null;
      }
      Class<?> valueType = MethodShape.asyncValueType(method, targetClass);
      if (fallbackReturn == void.class || !ClassUtils.isAssignable(valueType, fallbackReturn)) {
        return "returns " + fallbackReturn.getSimpleName() + ", expected a CompletionStage or "
            + valueType.getSimpleName();
      }
      return null;
    }
    if (returnType == void.class) {
      return fallbackReturn == void.class ? null : "returns " + fallbackReturn.getSimpleName() + ", expected void";
    }
    if (fallbackReturn == void.class || !ClassUtils.isAssignable(returnType, fallbackReturn)) {
      return "returns " + fallbackReturn.getSimpleName() + ", expected " + returnType.getSimpleName()
          + " or a subtype";
    }
    return null;
  }

  static String describe(Method method, Class<?> targetClass) {
    return targetClass.getName() + "." + method.getName() + "(" + Arrays.stream(method.getParameterTypes())
        .map(Class::getSimpleName).collect(Collectors.joining(", ")) + ")";
  }

  private static String signature(Method m) {
    return m.getReturnType().getSimpleName() + " " + m.getName() + "(" + Arrays.stream(m.getParameterTypes())
        .map(Class::getSimpleName).collect(Collectors.joining(", ")) + ")";
  }

  private static String expected(Method method, Class<?> targetClass, String fallbackName, boolean async) {
    String parameters = Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName)
        .collect(Collectors.joining(", "));
    String returns;
    if (async) {
      String value = ResolvableType.forMethodReturnType(method, targetClass).as(CompletionStage.class)
          .getGeneric(0).toString();
      returns = method.getReturnType().getSimpleName() + "<" + value + "> (or " + value + ")";
    } else {
      returns = ResolvableType.forMethodReturnType(method, targetClass).toString();
    }
    String separator = parameters.isEmpty() ? "" : ", ";
    return returns + " " + fallbackName + "(" + parameters + ") or " + returns + " " + fallbackName + "("
        + parameters + separator + "Throwable) (or a subtype of Throwable in last place)";
  }

  /** Returns the name of the fallback methods. */
  String name() {
    return name;
  }

  /**
   * Returns the result of the fallback for a synchronous failure, or rethrows {@code failure} when no
   * fallback takes it.
   */
  Object recover(Object target, Object[] arguments, Exception failure) throws Throwable {
    Candidate candidate = select(failure);
    if (candidate == null) {
      throw failure;
    }
    return candidate.invoke(target, arguments, failure);
  }

  /** Returns a stage that completes with the fallback's result when {@code stage} fails. */
  CompletionStage<Object> recoverAsync(CompletionStage<Object> stage, Object target, Object[] arguments) {
    return stage.handle((value, failure) -> {
      if (failure == null) {
        return stage;
      }
      Throwable cause = unwrap(failure);
      Candidate candidate = cause instanceof Exception ? select(cause) : null;
      if (candidate == null) {
        return CompletableFuture.failedStage(cause);
      }
      try {
        Object result = candidate.invoke(target, arguments, cause);
        if (candidate.returnsStage) {
          @SuppressWarnings("unchecked")
          CompletionStage<Object> fallbackStage = (CompletionStage<Object>) result;
          return fallbackStage != null ? fallbackStage : CompletableFuture.completedStage(null);
        }
        return CompletableFuture.completedStage(result);
      } catch (Throwable t) {
        return CompletableFuture.<Object>failedStage(t);
      }
    }).thenCompose(s -> s);
  }

  boolean isAsync() {
    return async;
  }

  private Candidate select(Throwable failure) {
    return byFailureClass.computeIfAbsent(failure.getClass(), this::find).orElse(null);
  }

  private Optional<Candidate> find(Class<?> failureClass) {
    for (Candidate candidate : candidates) { // most specific first
      if (candidate.exceptionType == null || candidate.exceptionType.isAssignableFrom(failureClass)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  static Throwable unwrap(Throwable t) {
    Throwable current = t;
    while ((current instanceof CompletionException || current instanceof ExecutionException)
        && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }

  private static final class Candidate {
    final Method method;
    final Class<? extends Throwable> exceptionType;
    final boolean returnsStage;
    final boolean isStatic;

    Candidate(Method method, Class<? extends Throwable> exceptionType, boolean returnsStage) {
      this.method = method;
      this.exceptionType = exceptionType;
      this.returnsStage = returnsStage;
      this.isStatic = Modifier.isStatic(method.getModifiers());
    }

    /** Depth of the exception type in the class hierarchy; the catch-all sorts last. */
    int depth() {
      if (exceptionType == null) {
        return -1;
      }
      int depth = 0;
      for (Class<?> c = exceptionType; c != null; c = c.getSuperclass()) {
        depth++;
      }
      return depth;
    }

    Object invoke(Object target, Object[] arguments, Throwable failure) throws Throwable {
      Object[] fallbackArguments = arguments;
      if (exceptionType != null) {
        fallbackArguments = Arrays.copyOf(arguments, arguments.length + 1);
        fallbackArguments[arguments.length] = failure;
      }
      try {
        return method.invoke(isStatic ? null : target, fallbackArguments);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }
  }
}
