package dev.bulwark.limit;

import dev.bulwark.internal.Check;

/** Validation of the bounds every algorithm builder shares: initial, min and max limit. */
final class LimitBounds {
  static final int DEFAULT_INITIAL = 20;
  static final int DEFAULT_MIN = 1;
  static final int DEFAULT_MAX = 1000;

  private LimitBounds() {}

  static int limit(String option, int value) {
    return Check.inRange(option, value, 1, LimitAlgorithm.MAX_LIMIT);
  }

  static void check(int initialLimit, int minLimit, int maxLimit) {
    if (minLimit > maxLimit) {
      throw new IllegalStateException(
          "minLimit must be <= maxLimit (" + maxLimit + "), was " + minLimit);
    }
    if (initialLimit < minLimit || initialLimit > maxLimit) {
      throw new IllegalStateException("initialLimit must be in [minLimit, maxLimit] = [" + minLimit + ", "
          + maxLimit + "], was " + initialLimit);
    }
  }

  static int clamp(double value, int min, int max) {
    if (!(value >= min)) { // also NaN
      return min;
    }
    return value >= max ? max : (int) value;
  }

  static double ratio(String option, double value) {
    if (!(value > 0 && value < 1)) {
      throw new IllegalArgumentException(option + " must be in (0, 1), was " + value);
    }
    return value;
  }
}
