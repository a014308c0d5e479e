package dev.bulwark.circuitbreaker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.Permit;
import java.lang.reflect.Method;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The closed-state call allocates nothing, on the permit path and on the decorated synchronous path. Measured
 * with the JVM's per-thread allocation counter (reached reflectively: the core's module does not read
 * {@code java.management}; tests run on the class path). Exact and independent of JIT escape analysis,
 * because the paths contain no allocation at all, not merely ones the JIT can remove.
 */
class ClosedPathAllocationTest {
  private static final Object RESULT = new Object();
  private static final int CALLS = 200_000;

  private static long allocatedBytes() throws Exception {
    Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
    Method method = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
    return (long) method.invoke(bean);
  }

  @Test
  void thePermitPathAndTheDecoratedPathAllocateNothing() throws Exception {
    CircuitBreaker breaker = CircuitBreaker.ofDefaults("allocation");
    Supplier<Object> decorated = breaker.decorate(() -> RESULT);
    for (int i = 0; i < CALLS; i++) { // warm up, so class loading and JIT work are not measured
      permitCall(breaker);
      decorated.get();
    }
    allocatedBytes();
    long before = allocatedBytes();
    for (int i = 0; i < CALLS; i++) {
      permitCall(breaker);
    }
    long permitPath = allocatedBytes() - before;
    before = allocatedBytes();
    for (int i = 0; i < CALLS; i++) {
      decorated.get();
    }
    long decoratedPath = allocatedBytes() - before;
    // only the reflective measurement itself allocates (about 1 KB, whatever the number of calls); a single
    // object per call would be at least 16 bytes * 200,000 = 3.2 MB
    assertThat(permitPath).as("bytes allocated by %d permit calls", CALLS).isLessThan(16 * 1024);
    assertThat(decoratedPath).as("bytes allocated by %d decorated calls", CALLS).isLessThan(16 * 1024);
    assertThat(breaker.metrics().totalSuccessfulCalls()).isEqualTo(4L * CALLS);
  }

  private static void permitCall(CircuitBreaker breaker) {
    Permit permit = breaker.acquirePermit();
    permit.onResult(1_000, RESULT);
  }
}
