package dev.bulwark.internal;

import dev.bulwark.Policy;
import java.util.concurrent.Callable;

/** Helpers to carry checked exceptions through functional interfaces that do not declare them. */
public final class Exceptions {
  private Exceptions() {}

  /**
   * Runs {@code callable} under {@code policy}, letting a checked exception pass unchanged and undeclared.
   *
   * @param policy the policy
   * @param callable the call
   * @param <T> the result type
   * @return the result
   */
  public static <T> T callUnchecked(Policy policy, Callable<? extends T> callable) {
    try {
      return policy.call(callable);
    } catch (Exception e) {
      throw sneakyThrow(e);
    }
  }

  /**
   * Throws {@code t} without declaring it; write {@code throw sneakyThrow(t)} so the compiler sees the jump.
   *
   * @param t the throwable
   * @return never returns
   */
  public static RuntimeException sneakyThrow(Throwable t) {
    throw Exceptions.<RuntimeException>doThrow(t);
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> E doThrow(Throwable t) throws E {
    throw (E) t;
  }
}
