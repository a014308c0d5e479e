package dev.bulwark.limit;

/**
 * What an {@link AdaptiveThrottle} reports to its listeners; created only when someone listens.
 *
 * <pre>{@code
 * AdaptiveThrottle throttle = AdaptiveThrottle.builder("pricing")
 *     .listener(ThrottleEvent.Rejected.class, e -> throttledCounter.increment())
 *     .build();
 * }</pre>
 */
public sealed interface ThrottleEvent permits ThrottleEvent.Rejected {

  /**
   * Returns the throttle's name.
   *
   * @return the name
   */
  String name();

  /**
   * A call was rejected locally.
   *
   * @param name the throttle's name
   * @param rejectionProbability the probability it was rejected with
   * @param requests the requests counted in the window
   * @param accepts the accepts counted in the window
   */
  record Rejected(String name, double rejectionProbability, long requests, long accepts)
      implements ThrottleEvent {}
}
