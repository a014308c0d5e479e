package dev.bulwark.limit;

import java.util.random.RandomGenerator;

/**
 * A constant limit: the limiter behaves as a semaphore that still measures every call.
 *
 * <p>Control law: {@code limit(n+1) = limit(n) = L}.
 *
 * <p>Choose it when the capacity is known and stable (a connection pool of fixed size) or as the enforcement
 * half of a limit set from outside. Otherwise an adaptive algorithm is right the day capacity changes.
 *
 * <pre>{@code
 * ConcurrencyLimiter pool = ConcurrencyLimiter.of("db",
 *     ConcurrencyLimiterConfig.builder().algorithm(LimitAlgorithm.fixed(32)).build());
 * }</pre>
 */
public final class FixedLimit implements LimitAlgorithm {
  private final int limit;

  private FixedLimit(int limit) {
    this.limit = limit;
  }

  static FixedLimit of(int limit) {
    return new FixedLimit(LimitBounds.limit("limit", limit));
  }

  /**
   * Returns the constant limit.
   *
   * @return the limit
   */
  public int limit() {
    return limit;
  }

  @Override
  public int initialLimit() {
    return limit;
  }

  @Override
  public int minLimit() {
    return limit;
  }

  @Override
  public int maxLimit() {
    return limit;
  }

  @Override
  public Controller newController(RandomGenerator random) {
    return (sample, currentLimit) -> limit;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FixedLimit other && limit == other.limit;
  }

  @Override
  public int hashCode() {
    return Integer.hashCode(limit);
  }

  @Override
  public String toString() {
    return "FixedLimit{limit=" + limit + '}';
  }
}
