package dev.bulwark;

import dev.bulwark.internal.ParkingSleeper;

/**
 * Blocks the calling thread for a while: the only way a synchronous Bulwark policy waits.
 *
 * <p>Policies that wait (a retry between attempts, a bulkhead or rate limiter queueing a caller) take a
 * {@code Sleeper}, so tests can replace real waiting with virtual time. The default, {@link #parking()},
 * parks the thread with {@link java.util.concurrent.locks.LockSupport}, so a virtual thread never pins its
 * carrier while it waits.
 *
 * <pre>{@code
 * Sleeper sleeper = Sleeper.parking();
 * sleeper.sleep(TimeUnit.MILLISECONDS.toNanos(50)); // throws InterruptedException if interrupted
 * }</pre>
 */
@FunctionalInterface
public interface Sleeper {

  /**
   * Waits for at least {@code nanos} nanoseconds, unless interrupted.
   *
   * @param nanos how long to wait; zero or negative returns at once
   * @throws InterruptedException if the thread is interrupted before or while waiting (the interrupt flag
   *     is then cleared, as by {@link Thread#sleep(long)})
   */
  void sleep(long nanos) throws InterruptedException;

  /**
   * Returns the sleeper that parks the current thread, safe for virtual threads.
   *
   * @return the default sleeper
   */
  static Sleeper parking() {
    return ParkingSleeper.INSTANCE;
  }
}
