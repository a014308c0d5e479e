package dev.bulwark.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * Validation of configuration options. Every message names the option, the rule and the value, as in
 * {@code "failureRateThreshold must be in (0, 100], was 120.0"}.
 */
public final class Check {
  private Check() {}

  /**
   * Requires a non-blank name.
   *
   * @param option the option's name
   * @param value the value
   * @return the value
   */
  public static String name(String option, String value) {
    Objects.requireNonNull(value, option);
    if (value.isBlank()) {
      throw new IllegalArgumentException(option + " must not be blank, was \"" + value + "\"");
    }
    return value;
  }

  /**
   * Requires {@code value >= 1}.
   *
   * @param option the option's name
   * @param value the value
   * @return the value
   */
  public static int positive(String option, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(option + " must be >= 1, was " + value);
    }
    return value;
  }

  /**
   * Requires {@code value >= 0}.
   *
   * @param option the option's name
   * @param value the value
   * @return the value
   */
  public static int notNegative(String option, int value) {
    if (value < 0) {
      throw new IllegalArgumentException(option + " must be >= 0, was " + value);
    }
    return value;
  }

  /**
   * Requires {@code min <= value <= max}.
   *
   * @param option the option's name
   * @param value the value
   * @param min the smallest allowed value
   * @param max the largest allowed value
   * @return the value
   */
  public static int inRange(String option, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          option + " must be in [" + min + ", " + max + "], was " + value);
    }
    return value;
  }

  /**
   * Requires {@code min <= value <= max}.
   *
   * @param option the option's name
   * @param value the value
   * @param min the smallest allowed value
   * @param max the largest allowed value
   * @return the value
   */
  public static double inRange(String option, double value, double min, double max) {
    if (!(value >= min && value <= max)) {
      throw new IllegalArgumentException(
          option + " must be in [" + min + ", " + max + "], was " + value);
    }
    return value;
  }

  /**
   * Requires a percentage in (0, 100].
   *
   * @param option the option's name
   * @param value the value
   * @return the value
   */
  public static double percentage(String option, double value) {
    if (!(value > 0 && value <= 100)) {
      throw new IllegalArgumentException(option + " must be in (0, 100], was " + value);
    }
    return value;
  }

  /**
   * Requires a positive duration and converts it to nanoseconds, saturating at {@link Long#MAX_VALUE}.
   *
   * @param option the option's name
   * @param value the value
   * @return the duration in nanoseconds
   */
  public static long positiveNanos(String option, Duration value) {
    Objects.requireNonNull(value, option);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(option + " must be > 0, was " + value);
    }
    return saturatedNanos(value);
  }

  /**
   * Requires a duration that is zero or positive and converts it to nanoseconds, saturating.
   *
   * @param option the option's name
   * @param value the value
   * @return the duration in nanoseconds
   */
  public static long notNegativeNanos(String option, Duration value) {
    Objects.requireNonNull(value, option);
    if (value.isNegative()) {
      throw new IllegalArgumentException(option + " must be >= 0, was " + value);
    }
    return saturatedNanos(value);
  }

  /**
   * Converts a duration to nanoseconds, saturating at {@link Long#MAX_VALUE} instead of overflowing.
   *
   * @param value the duration
   * @return nanoseconds
   */
  public static long saturatedNanos(Duration value) {
    try {
      return value.toNanos();
    } catch (ArithmeticException e) {
      return value.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  /**
   * Requires {@code value >= min}.
   *
   * @param option the option's name
   * @param value the value
   * @param min the smallest allowed value
   * @return the value
   */
  public static double atLeast(String option, double value, double min) {
    if (!(value >= min)) {
      throw new IllegalArgumentException(option + " must be >= " + min + ", was " + value);
    }
    return value;
  }
}
