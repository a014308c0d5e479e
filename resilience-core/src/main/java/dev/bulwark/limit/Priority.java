package dev.bulwark.limit;

import dev.bulwark.internal.Check;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * How important a call is to a {@link LoadShedder}: a number from 0 (best effort) to 100 (critical), with
 * five named tiers. As in-flight work approaches the limit, lower priorities are refused first; a critical call
 * may use the whole limit.
 *
 * <p>A call's priority is given explicitly ({@link LoadShedder#call(Priority, Callable)}) or installed for the
 * code a callable runs with {@link #call(Callable)}, which is how a priority reaches a load shedder inside a
 * {@link dev.bulwark.Pipeline}: the shedder reads {@link #current()} and falls back to its configured default.
 * Asynchronous calls read it when they start.
 *
 * <pre>{@code
 * Priority priority = request.path().startsWith("/checkout") ? Priority.CRITICAL
 *     : request.path().startsWith("/cart") ? Priority.HIGH
 *     : request.path().startsWith("/recommendations") ? Priority.NORMAL
 *     : Priority.BEST_EFFORT;                                   // analytics
 * Response response = priority.call(() -> pipeline.call(() -> handler.handle(request)));
 * }</pre>
 */
public final class Priority implements Comparable<Priority> {
  /** The lowest priority value. */
  public static final int MIN_VALUE = 0;
  /** The highest priority value. */
  public static final int MAX_VALUE = 100;

  private static final Priority[] VALUES = new Priority[MAX_VALUE + 1];
  private static final ThreadLocal<Priority> CURRENT = new ThreadLocal<>();

  /** Work whose loss is an outage: checkout, health checks, control traffic. Value 100; may use the whole limit. */
  public static final Priority CRITICAL = named(100, "CRITICAL");
  /** Important interactive work: the cart, logins. Value 75. */
  public static final Priority HIGH = named(75, "HIGH");
  /** Ordinary work, and the default: recommendations, search. Value 50. */
  public static final Priority NORMAL = named(50, "NORMAL");
  /** Work that can wait or degrade: prefetches, non-urgent writes. Value 25. */
  public static final Priority LOW = named(25, "LOW");
  /** Work nobody waits for: analytics, batch jobs, crawlers. Value 0; shed first. */
  public static final Priority BEST_EFFORT = named(0, "BEST_EFFORT");

  static {
    for (int v = MIN_VALUE; v <= MAX_VALUE; v++) {
      if (VALUES[v] == null) {
        VALUES[v] = new Priority(v, null);
      }
    }
  }

  private final int value;
  private final String name;

  private Priority(int value, String name) {
    this.value = value;
    this.name = name;
  }

  private static Priority named(int value, String name) {
    Priority p = new Priority(value, name);
    VALUES[value] = p;
    return p;
  }

  /**
   * Returns the priority with this value; the named tiers are returned for their values. Never allocates.
   *
   * @param value in [0, 100]
   * @return the priority
   */
  public static Priority of(int value) {
    return VALUES[Check.inRange("priority", value, MIN_VALUE, MAX_VALUE)];
  }

  /**
   * Returns the priority installed on this thread by {@link #call(Callable)}, or {@code null}.
   *
   * @return the current priority, or {@code null}
   */
  public static Priority current() {
    return CURRENT.get();
  }

  /**
   * Returns the value.
   *
   * @return in [0, 100]
   */
  public int value() {
    return value;
  }

  /**
   * Returns the tier name for the five named values, otherwise {@code "P"} and the value (such as
   * {@code "P60"}).
   *
   * @return the name
   */
  public String name() {
    return name != null ? name : "P" + value;
  }

  /** The queue band: 0 for values 0..24, 1 for 25..49, 2 for 50..74, 3 for 75..99 and 4 for 100. */
  int band() {
    return value / 25;
  }

  /**
   * Runs {@code callable} with this priority installed on the current thread, restoring the previous one
   * afterwards.
   *
   * @param callable the work
   * @param <T> the result type
   * @return what the work returned
   * @throws Exception what the work threw
   */
  public <T> T call(Callable<? extends T> callable) throws Exception {
    Objects.requireNonNull(callable, "callable");
    Priority previous = CURRENT.get();
    CURRENT.set(this);
    try {
      return callable.call();
    } finally {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    }
  }

  /**
   * Orders by value, lowest first.
   *
   * @param other another priority
   * @return negative, zero or positive as this value is lower, equal or higher
   */
  @Override
  public int compareTo(Priority other) {
    return Integer.compare(value, other.value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Priority other && value == other.value;
  }

  @Override
  public int hashCode() {
    return value;
  }

  @Override
  public String toString() {
    return name != null ? name + "(" + value + ")" : "P" + value;
  }
}
