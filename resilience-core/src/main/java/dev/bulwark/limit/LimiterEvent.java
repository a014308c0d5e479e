package dev.bulwark.limit;

/**
 * What a {@link ConcurrencyLimiter} or a {@link LoadShedder} reports to its listeners. Events are immutable and
 * created only when someone listens to their kind.
 *
 * <pre>{@code
 * ConcurrencyLimiter limiter = ConcurrencyLimiter.builder("search")
 *     .listener(LimiterEvent.LimitChanged.class,
 *         e -> log.info("limit of {} went {} -> {}", e.name(), e.previousLimit(), e.newLimit()))
 *     .build();
 * }</pre>
 */
public sealed interface LimiterEvent permits LimiterEvent.LimitChanged, LimiterEvent.Rejected {

  /**
   * Returns the name of the limiter or shedder.
   *
   * @return the name
   */
  String name();

  /**
   * The algorithm changed the limit at the close of a window; emitted by the thread that closed it, after
   * the window is released, so the events of two windows closed in quick succession by different threads may
   * arrive out of order.
   *
   * @param name the limiter's name
   * @param previousLimit the limit during the window
   * @param newLimit the limit from now on
   * @param sample what the window observed
   */
  record LimitChanged(String name, int previousLimit, int newLimit, WindowSample sample)
      implements LimiterEvent {}

  /**
   * A call was refused.
   *
   * @param name the limiter's or shedder's name
   * @param priority the call's priority, or {@code null} for a plain {@link ConcurrencyLimiter}
   * @param limit the limit at the time
   * @param inflight the calls in flight at the time
   * @param waitedNanos how long the call waited in the shedder's queue first, 0 if it did not
   */
  record Rejected(String name, Priority priority, int limit, int inflight, long waitedNanos)
      implements LimiterEvent {}
}
