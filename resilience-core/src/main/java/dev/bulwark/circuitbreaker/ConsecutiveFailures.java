package dev.bulwark.circuitbreaker;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A run of consecutive failures, for low-traffic dependencies.
 *
 * <p>Implementation notes. One int: a failure increments it ({@code getAndAdd}), a success sets it back to 0
 * (only if it is not 0 already, so a healthy dependency causes no writes). The breaker trips when an
 * increment reaches the threshold. Racing a success against a failure leaves either 0 or 1, both valid
 * linearizations. Slow calls do not count in this mode.
 */
final class ConsecutiveFailures extends Window {
  private static final VarHandle RUN;

  static {
    try {
      RUN = MethodHandles.lookup().findVarHandle(ConsecutiveFailures.class, "run", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final int threshold;
  @SuppressWarnings("unused") // through RUN
  private volatile int run;

  ConsecutiveFailures(CircuitBreakerConfig config) {
    super(config);
    this.threshold = config.consecutiveFailureThreshold();
  }

  @Override
  boolean record(boolean failure, boolean slow) {
    if (failure) {
      return (int) RUN.getAndAdd(this, 1) + 1 >= threshold;
    }
    if ((int) RUN.getVolatile(this) != 0) {
      RUN.setVolatile(this, 0);
    }
    return false;
  }

  @Override
  Counts counts() {
    int failures = (int) RUN.getVolatile(this);
    return new Counts(failures, failures, 0, Integer.MAX_VALUE); // no rates in this mode
  }
}
