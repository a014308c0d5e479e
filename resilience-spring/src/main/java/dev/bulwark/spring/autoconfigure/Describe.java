package dev.bulwark.spring.autoconfigure;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Turns a policy's read-only metrics view into JSON-friendly values for the endpoint and health. */
final class Describe {
  private Describe() {}

  /**
   * Reads every no-argument accessor of the view's public interfaces that returns a number, a boolean, a
   * string or an enum, so the endpoint shows each metric the core offers, now and as views grow.
   */
  static Map<String, Object> metrics(Object view) {
    Map<String, Object> values = new TreeMap<>();
    for (Class<?> type : publicInterfaces(view.getClass())) {
      for (Method method : type.getMethods()) {
        if (method.getParameterCount() != 0 || Modifier.isStatic(method.getModifiers())
            || !simple(method.getReturnType()) || values.containsKey(method.getName())) {
          continue;
        }
        try {
          Object value = method.invoke(view);
          values.put(method.getName(), value instanceof Enum<?> e ? e.name() : value);
        } catch (ReflectiveOperationException | RuntimeException e) {
          // a view that cannot answer now is left out rather than failing the whole endpoint
        }
      }
    }
    return values;
  }

  private static boolean simple(Class<?> type) {
    return type.isPrimitive() && type != void.class || Number.class.isAssignableFrom(type) || type == String.class
        || type == Boolean.class || type.isEnum();
  }

  private static Set<Class<?>> publicInterfaces(Class<?> type) {
    Set<Class<?>> found = new LinkedHashSet<>();
    Deque<Class<?>> todo = new ArrayDeque<>();
    for (Class<?> c = type; c != null; c = c.getSuperclass()) {
      todo.addAll(java.util.List.of(c.getInterfaces()));
    }
    while (!todo.isEmpty()) {
      Class<?> next = todo.poll();
      if (Modifier.isPublic(next.getModifiers()) && found.add(next)) {
        todo.addAll(java.util.List.of(next.getInterfaces()));
      }
    }
    return found;
  }
}
