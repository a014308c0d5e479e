package dev.bulwark.ratelimit;

import java.math.BigInteger;

/**
 * The reference GCRA, written for obviousness rather than speed: the TAT is an arbitrary-precision count of
 * 1/l-nanosecond units since the model's origin (period/limitForPeriod = p/l in lowest terms), so T = p units
 * exactly and nothing overflows.
 * Decisions: refuse n > B; next = max(TAT, now) + n*T; wait = next - now - B*T; admit iff wait <= maxWait
 * (waits are reported in whole nanoseconds, rounded up).
 */
final class GcraModel {
  private BigInteger tat;       // in units of 1/limit ns, since origin
  private long origin;
  private long limit;           // units per ns
  private long period;          // T = period units
  private long burst;
  private BigInteger lastAdmission = BigInteger.ZERO;

  GcraModel(RateLimiterConfig config, long now) {
    this.origin = now;
    this.tat = BigInteger.ZERO;
    apply(config);
  }

  private void apply(RateLimiterConfig config) {
    // the fraction period/limit in lowest terms: the unit a rate change rounds owed permits up to
    long g = BigInteger.valueOf(config.periodNanos()).gcd(BigInteger.valueOf(config.limitForPeriod())).longValueExact();
    this.limit = config.limitForPeriod() / g;
    this.period = config.periodNanos() / g;
    this.burst = config.burstCapacity();
  }

  private BigInteger units(long now) {
    return BigInteger.valueOf(now - origin).multiply(BigInteger.valueOf(limit));
  }

  /** Returns the wait if taken (reserving), or ~wait if refused. */
  long acquire(int n, long maxWait, long now) {
    if (n > burst) {
      return ~Long.MAX_VALUE;
    }
    BigInteger nowUnits = units(now);
    BigInteger next = tat.max(nowUnits).add(BigInteger.valueOf(n).multiply(BigInteger.valueOf(period)));
    BigInteger waitUnits = next.subtract(nowUnits).subtract(BigInteger.valueOf(burst).multiply(BigInteger.valueOf(period)));
    long wait = 0;
    if (waitUnits.signum() > 0) {
      BigInteger[] qr = waitUnits.divideAndRemainder(BigInteger.valueOf(limit));
      BigInteger w = qr[1].signum() > 0 ? qr[0].add(BigInteger.ONE) : qr[0];
      wait = w.bitLength() < 63 ? w.longValue() : Long.MAX_VALUE;
    }
    if (wait > maxWait) {
      return ~wait;
    }
    tat = next;
    // the exact instant the permits conform: now, or later by the exact (unrounded) wait
    lastAdmission = nowUnits.max(next.subtract(BigInteger.valueOf(burst).multiply(BigInteger.valueOf(period))));
    return wait;
  }

  /** The exact conformance instant of the last admission, in units of 1/l ns since the origin. */
  BigInteger lastAdmissionUnits() {
    return lastAdmission;
  }

  /** The emission interval in units (units per permit). */
  long periodUnits() {
    return period;
  }

  /** What {@link RateLimiter#tryAcquire(int)} returns. */
  long tryAcquire(int n, long now) {
    long r = acquire(n, 0, now);
    if (r >= 0) {
      return 0;
    }
    return n > burst ? Long.MAX_VALUE : Math.max(1, ~r);
  }

  /** A rate change at {@code now}: the permits owed carry over exactly, rounded up to a unit. */
  void change(RateLimiterConfig config, long now) {
    BigInteger owedUnits = tat.subtract(units(now)).max(BigInteger.ZERO); // in old units
    long oldPeriod = period;
    apply(config);
    // owed permits = owedUnits / oldPeriod; in new units: * period, rounded up
    BigInteger[] qr = owedUnits.multiply(BigInteger.valueOf(period)).divideAndRemainder(BigInteger.valueOf(oldPeriod));
    tat = qr[1].signum() > 0 ? qr[0].add(BigInteger.ONE) : qr[0];
    origin = now;
  }
}
