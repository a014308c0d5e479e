package dev.bulwark.limit;

import java.util.random.RandomGenerator;

/**
 * How a {@link ConcurrencyLimiter} chooses its limit: the algorithm, kept apart from the enforcement.
 *
 * <p>The limiter measures every call itself (round-trip time from its clock, dropped or not), aggregates the
 * measurements per window into a {@link WindowSample}, and once per window hands the sample to the
 * algorithm's {@link Controller}, which returns the next limit. The limiter guarantees that one thread at a
 * time calls {@link Controller#update}, with a happens-before edge between consecutive calls, so a controller
 * keeps its state in plain fields. The call path never waits for an update.
 *
 * <p>An algorithm is an immutable configuration value (equals, hashCode, toString); the mutable state lives in
 * the controller that {@link #newController(RandomGenerator)} creates for each limiter, so one algorithm can
 * configure many limiters. The built-in algorithms, each with its control law in its javadoc:
 * <ul>
 *   <li>{@link #fixed(int)}: a constant limit, a semaphore with the limiter's measurements;</li>
 *   <li>{@link #aimd()}: additive increase, multiplicative decrease on drops, for clients that see timeouts
 *       or overload signals but whose latency says little;</li>
 *   <li>{@link #gradient()}: the ratio of the no-load round-trip time to the current one scales the limit, in
 *       the family of Netflix's Gradient2 and Envoy's gradient controller; the default;</li>
 *   <li>{@link #vegas()}: estimates the queue from the round-trip times, as TCP Vegas does.</li>
 * </ul>
 *
 * <pre>{@code
 * LimitAlgorithm algorithm = LimitAlgorithm.gradient()
 *     .initialLimit(50)
 *     .maxLimit(500)
 *     .tolerance(0.5)                 // latency may grow 50% over the no-load time before the limit shrinks
 *     .build();
 * ConcurrencyLimiter limiter = ConcurrencyLimiter.of("search",
 *     ConcurrencyLimiterConfig.builder().algorithm(algorithm).build());
 * }</pre>
 */
public interface LimitAlgorithm {

  /** The largest limit any algorithm may have. */
  int MAX_LIMIT = 1_000_000;

  /**
   * Returns the limit a new limiter starts with.
   *
   * @return in [{@link #minLimit()}, {@link #maxLimit()}]
   */
  int initialLimit();

  /**
   * Returns the floor: the algorithm never sets a lower limit in normal operation.
   *
   * @return at least 1
   */
  int minLimit();

  /**
   * Returns the ceiling: the algorithm never sets a higher limit. The limiter sizes its slot table from it.
   *
   * @return at most {@link #MAX_LIMIT}
   */
  int maxLimit();

  /**
   * Creates the mutable state of the algorithm for one limiter.
   *
   * @param random the limiter's source of randomness (probe jitter)
   * @return a new controller
   */
  Controller newController(RandomGenerator random);

  /**
   * Returns an algorithm that keeps the limit at {@code limit}.
   *
   * @param limit the limit, in [1, {@value #MAX_LIMIT}]
   * @return the algorithm
   */
  static FixedLimit fixed(int limit) {
    return FixedLimit.of(limit);
  }

  /**
   * Starts an additive-increase, multiplicative-decrease algorithm.
   *
   * @return a builder with the defaults
   */
  static AimdLimit.Builder aimd() {
    return AimdLimit.builder();
  }

  /**
   * Starts a gradient algorithm, the default of a {@link ConcurrencyLimiterConfig}.
   *
   * @return a builder with the defaults
   */
  static GradientLimit.Builder gradient() {
    return GradientLimit.builder();
  }

  /**
   * Starts a Vegas-style queue-estimating algorithm.
   *
   * @return a builder with the defaults
   */
  static VegasLimit.Builder vegas() {
    return VegasLimit.builder();
  }

  /**
   * The state of an algorithm in one limiter. Called by one thread at a time, once per window, never on the
   * call path's critical section.
   *
   * <pre>{@code
   * LimitAlgorithm.Controller controller = LimitAlgorithm.aimd().build().newController(new SplittableRandom());
   * int next = controller.update(sample, 20);
   * }</pre>
   */
  interface Controller {

    /**
     * Computes the next limit from what the last window observed.
     *
     * @param sample the window's measurements
     * @param currentLimit the limit in force during the window
     * @return the next limit; the limiter clamps it to [1, {@link LimitAlgorithm#maxLimit()}]
     */
    int update(WindowSample sample, int currentLimit);

    /**
     * Returns the controller's estimate of the round-trip time without load, for the metrics view.
     *
     * @return nanoseconds, or -1 if the algorithm keeps none
     */
    default long noLoadRttNanos() {
      return -1;
    }

    /**
     * Returns the instant, on the limiter's clock, before which admitted calls are left out of the
     * round-trip samples of later windows; read by the limiter after each update. A probe that lowers the
     * limit to measure the no-load round-trip time uses it to ignore calls admitted at the old concurrency.
     *
     * @return nanoseconds, or {@link Long#MIN_VALUE} to keep every call (the default)
     */
    default long sampleCallsStartedFromNanos() {
      return Long.MIN_VALUE;
    }
  }
}
