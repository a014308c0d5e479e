package dev.bulwark;

import dev.bulwark.internal.SystemClock;

/**
 * The source of monotonic time for every Bulwark policy.
 *
 * <p>Nothing in Bulwark reads {@link System#nanoTime()} directly: each policy takes a {@code Clock}, so tests
 * and simulations can run in virtual time, deterministically and instantly. Values are only meaningful as
 * differences between two readings of the same clock, exactly like {@link System#nanoTime()}.
 *
 * <pre>{@code
 * Clock clock = Clock.system();
 * long start = clock.nanoTime();
 * doWork();
 * long elapsedNanos = clock.nanoTime() - start;
 * }</pre>
 */
@FunctionalInterface
public interface Clock {

  /**
   * Returns the current value of this clock in nanoseconds; only differences between readings are meaningful.
   *
   * @return a monotonic reading in nanoseconds
   */
  long nanoTime();

  /**
   * Returns the clock backed by {@link System#nanoTime()}, the default of every policy.
   *
   * @return the system's monotonic clock
   */
  static Clock system() {
    return SystemClock.INSTANCE;
  }
}
