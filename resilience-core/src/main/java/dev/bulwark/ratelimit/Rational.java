package dev.bulwark.ratelimit;

import java.math.BigInteger;

/** Integer helpers for the rate limiter's exact time scale. */
final class Rational {
  private Rational() {}

  /** The bound on tick values: windows and "now" stay below it, so sums stay below 2^60. */
  static final long TICK_BOUND = 1L << 58;

  /** Returns the greatest common divisor of two positive longs. */
  static long gcd(long a, long b) {
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  /** Returns {@code ceil(a / b)} for {@code a >= 0}, {@code b >= 1}. */
  static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }

  /** Returns {@code a * b}, or {@link Long#MAX_VALUE} if it does not fit (both non-negative). */
  static long saturatedProduct(long a, long b) {
    long hi = Math.multiplyHigh(a, b);
    long lo = a * b;
    return hi != 0 || lo < 0 ? Long.MAX_VALUE : lo;
  }

  /**
   * Returns {@code ceil((a - b * c) * d / e)} clamped to {@code [0, max]}, exactly, for {@code c, d, e >= 1}:
   * in 64-bit arithmetic when the products fit, with BigInteger otherwise. Only used on rare paths (rate
   * changes).
   */
  static long convert(long a, long b, long c, long d, long e, long max) {
    long bc = saturatedProduct(Math.max(0, b), c);
    if (b >= 0 && bc != Long.MAX_VALUE && a >= 0) {
      long owed = a - bc; // cannot overflow: both non-negative
      if (owed <= 0) {
        return 0;
      }
      long product = saturatedProduct(owed, d);
      if (product != Long.MAX_VALUE) {
        return Math.min(max, ceilDiv(product, e)); // the common case: exact in 64 bits
      }
    }
    BigInteger numerator = BigInteger.valueOf(a).subtract(BigInteger.valueOf(b).multiply(BigInteger.valueOf(c)))
        .multiply(BigInteger.valueOf(d));
    if (numerator.signum() <= 0) {
      return 0;
    }
    BigInteger[] qr = numerator.divideAndRemainder(BigInteger.valueOf(e));
    BigInteger q = qr[1].signum() > 0 ? qr[0].add(BigInteger.ONE) : qr[0];
    return q.compareTo(BigInteger.valueOf(max)) > 0 ? max : q.longValue();
  }
}
