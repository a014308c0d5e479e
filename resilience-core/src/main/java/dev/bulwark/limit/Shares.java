package dev.bulwark.limit;

/**
 * How many calls in flight each priority may join, in fixed point: {@code share(p) * 2^20} for each of the 101
 * priority values, so the admission check is a multiply and a shift.
 */
final class Shares {
  private static final int SHIFT = 20;

  private final long[] scaled = new long[Priority.MAX_VALUE + 1];

  Shares(double bestEffortShare) {
    for (int v = 0; v <= Priority.MAX_VALUE; v++) {
      double share = bestEffortShare + (1 - bestEffortShare) * v / Priority.MAX_VALUE;
      scaled[v] = Math.min(1L << SHIFT, Math.round(share * (1L << SHIFT)));
    }
    scaled[Priority.MAX_VALUE] = 1L << SHIFT;
  }

  /** Returns {@code max(1, floor(limit * share(priority)))}, never above {@code limit}. */
  int admission(Priority priority, int limit) {
    return (int) Math.max(1, (limit * scaled[priority.value()]) >>> SHIFT);
  }
}
