package dev.bulwark;

import dev.bulwark.internal.Check;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * A point in time by which a whole operation must be over, which every policy in its way respects.
 *
 * <p>A deadline bounds the whole operation where a timeout bounds one attempt: a retry does not start an
 * attempt, nor begin a wait, that cannot finish before it; a bulkhead or rate limiter does not queue a caller
 * past it. {@link #call(Callable)} installs the deadline for the synchronous code it runs (and for the
 * asynchronous calls that code starts, which capture it when they start); policies read it with
 * {@link #current()}. Nested deadlines never extend an outer one: the earlier wins.
 *
 * <pre>{@code
 * Deadline deadline = Deadline.after(Duration.ofSeconds(2), Clock.system());
 * Order order = deadline.call(() -> pipeline.call(() -> orders.place(cart)));
 * }</pre>
 */
public final class Deadline {
  private static final ThreadLocal<Deadline> CURRENT = new ThreadLocal<>();

  private final Clock clock;
  private final long deadlineNanos;

  private Deadline(Clock clock, long deadlineNanos) {
    this.clock = clock;
    this.deadlineNanos = deadlineNanos;
  }

  /**
   * Returns a deadline {@code timeout} from now on {@code clock}.
   *
   * @param timeout how long the operation may take, positive
   * @param clock the clock the policies of the operation use
   * @return the deadline
   */
  public static Deadline after(Duration timeout, Clock clock) {
    Objects.requireNonNull(clock, "clock");
    long nanos = Check.positiveNanos("timeout", timeout);
    long now = clock.nanoTime();
    long at = now + nanos;
    return new Deadline(clock, at < now ? Long.MAX_VALUE : at); // saturate instead of overflowing
  }

  /**
   * Returns the deadline installed on this thread by {@link #call(Callable)}, or {@code null} if none.
   *
   * @return the current deadline, or {@code null}
   */
  public static Deadline current() {
    return CURRENT.get();
  }

  /**
   * Returns the nanoseconds left before the current deadline, or {@link Long#MAX_VALUE} if there is none.
   *
   * @return the remaining time, negative once passed
   */
  public static long currentRemainingNanos() {
    Deadline deadline = CURRENT.get();
    return deadline == null ? Long.MAX_VALUE : deadline.remainingNanos();
  }

  /**
   * Returns the nanoseconds left, negative once the deadline has passed.
   *
   * @return the remaining time
   */
  public long remainingNanos() {
    return deadlineNanos == Long.MAX_VALUE ? Long.MAX_VALUE : deadlineNanos - clock.nanoTime();
  }

  /**
   * Tells whether the deadline has passed.
   *
   * @return {@code true} once no time is left
   */
  public boolean isExpired() {
    return remainingNanos() <= 0;
  }

  /**
   * Returns the clock this deadline is measured on.
   *
   * @return the clock
   */
  public Clock clock() {
    return clock;
  }

  /**
   * Runs {@code callable} with this deadline installed on the current thread (or the outer deadline, if that
   * is earlier), restoring the previous one afterwards.
   *
   * @param callable the operation
   * @param <T> the result type
   * @return what the operation returned
   * @throws Exception what the operation threw
   */
  public <T> T call(Callable<? extends T> callable) throws Exception {
    Objects.requireNonNull(callable, "callable");
    Deadline previous = CURRENT.get();
    Deadline effective =
        previous != null && previous.remainingNanos() <= remainingNanos() ? previous : this;
    CURRENT.set(effective);
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

  @Override
  public String toString() {
    long remaining = remainingNanos();
    return remaining == Long.MAX_VALUE ? "Deadline[never]" : "Deadline[remaining=" + Duration.ofNanos(remaining) + "]";
  }
}
