package dev.bulwark.spring.aop;

import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.springframework.util.ClassUtils;

/**
 * Carries the caller's thread-local context (MDC, tracing, security, anything registered with Micrometer's
 * context-propagation library) to the thread that runs a method's body, for thread-pool bulkheads. Only
 * loaded when the library is on the class path.
 */
final class ContextCarrier {
  private static final boolean PRESENT = ClassUtils.isPresent(
      "io.micrometer.context.ContextSnapshotFactory", ContextCarrier.class.getClassLoader());

  private final ContextSnapshotFactory factory = ContextSnapshotFactory.builder().build();

  private ContextCarrier() {}

  /** Returns a carrier, or null when Micrometer's context-propagation library is absent. */
  static ContextCarrier createIfAvailable() {
    return PRESENT ? new ContextCarrier() : null;
  }

  @SuppressWarnings("try")
  Callable<Object> carry(Callable<Object> body) {
    ContextSnapshot snapshot = factory.captureAll();
    return () -> {
      try (ContextSnapshot.Scope scope = snapshot.setThreadLocals()) {
        return body.call();
      }
    };
  }

  @SuppressWarnings("try")
  Supplier<CompletionStage<Object>> carry(Supplier<CompletionStage<Object>> body) {
    ContextSnapshot snapshot = factory.captureAll();
    return () -> {
      try (ContextSnapshot.Scope scope = snapshot.setThreadLocals()) {
        return body.get();
      }
    };
  }
}
