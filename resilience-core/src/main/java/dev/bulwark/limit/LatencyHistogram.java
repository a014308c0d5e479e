package dev.bulwark.limit;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/*
 * Implementation notes.
 *
 * A cumulative, lock-free histogram of round-trip times with log-scaled buckets: sixteen buckets per power
 * of two (four mantissa bits, the layout of HdrHistogram), so a bucket is at most 6.25% wide relative to its
 * lower bound and a value read back as the bucket's midpoint is within about 3% of the truth (percentiles
 * interpolate within the bucket, which does better when samples spread). Sixteen rather than eight because
 * the Vegas estimate needs it: at a limit of 100 a queue of 2 calls is a 2% change in round-trip time.
 * Values below 16 ns are exact; values of 2^45 ns (about 9.8 hours) and above share the last bucket;
 * 672 buckets in all.
 *
 * Recording is one atomic add on one array element: no lock, no allocation. The counts are never reset.
 * Threads with similar round-trip times would all add to the same few buckets, so the counts are striped
 * (STRIPES copies, as LongAdder stripes a sum) and the caller picks the stripe from the slot its call held:
 * calls in flight at the same moment hold distinct slots, and the limiter hands out slots so that
 * consecutive ones fall in different stripes. The one thread that closes a window sums the stripes of every
 * bucket (an opaque read each) and subtracts the snapshot it took at the previous close; a sample recorded
 * while that read is in progress lands in this window or the next, never in both and never in neither. Only the window closer touches the snapshot arrays, and window
 * closes are serialised by the limiter (see LimiterCore), so they need no synchronisation of their own.
 */
final class LatencyHistogram {
  static final int SUB_BITS = 4;
  static final int SUB_BUCKETS = 1 << SUB_BITS;
  static final int MAX_EXPONENT = 44;
  static final int BUCKETS = (MAX_EXPONENT - SUB_BITS + 2) * SUB_BUCKETS;

  private static final VarHandle COUNTS = MethodHandles.arrayElementVarHandle(long[].class);

  static final int STRIPES = 4;

  private final long[] counts = new long[BUCKETS * STRIPES];

  /** Bucket index of a value in nanoseconds; zero and negative values go to bucket 0. */
  static int index(long nanos) {
    if (nanos < SUB_BUCKETS) {
      return nanos <= 0 ? 0 : (int) nanos;
    }
    int exponent = 63 - Long.numberOfLeadingZeros(nanos);
    if (exponent > MAX_EXPONENT) {
      return BUCKETS - 1;
    }
    int shift = exponent - SUB_BITS;
    return ((shift + 1) << SUB_BITS) + (int) ((nanos >>> shift) & (SUB_BUCKETS - 1));
  }

  /** Smallest value that falls in bucket {@code index}. */
  static long lowerBound(int index) {
    if (index < SUB_BUCKETS) {
      return index;
    }
    int shift = (index >>> SUB_BITS) - 1;
    return (long) (SUB_BUCKETS + (index & (SUB_BUCKETS - 1))) << shift;
  }

  /** Width of bucket {@code index}. */
  static long width(int index) {
    return index < SUB_BUCKETS ? 1 : 1L << ((index >>> SUB_BITS) - 1);
  }

  /** The value reported for bucket {@code index}: its midpoint. */
  static long midpoint(int index) {
    return lowerBound(index) + (width(index) >>> 1);
  }

  void record(long nanos, int stripe) {
    COUNTS.getAndAdd(counts, (stripe & (STRIPES - 1)) * BUCKETS + index(nanos), 1L);
  }

  /**
   * Copies the cumulative counts into {@code into}.
   *
   * @return the total of the copied counts
   */
  long snapshot(long[] into) {
    long total = 0;
    for (int i = 0; i < BUCKETS; i++) {
      long c = 0;
      for (int s = 0; s < STRIPES; s++) {
        c += (long) COUNTS.getOpaque(counts, s * BUCKETS + i);
      }
      into[i] = c;
      total += c;
    }
    return total;
  }
}
