package dev.bulwark.circuitbreaker;

import dev.bulwark.Clock;

/**
 * The outcomes a closed (or metrics-only) breaker has recorded in one episode, and the trip decision.
 *
 * <p>Each closed episode owns a fresh window, so a permit taken in an earlier episode that completes late
 * records into a window nobody reads any more: harmless, and no reset has to race with recording.
 *
 * <p>Rates are compared without division: a window of {@code calls} calls with {@code bad} bad ones exceeds
 * a threshold {@code t} (percent) when {@code calls >= minimumNumberOfCalls && bad * 100 >= t * calls}.
 */
abstract class Window {
  final int minimumCalls;
  final double failureThreshold;
  final double slowThreshold;
  final boolean slowEnabled;

  Window(CircuitBreakerConfig config) {
    this.minimumCalls = config.minimumNumberOfCalls();
    this.failureThreshold = config.failureRateThreshold();
    this.slowThreshold = config.slowCallRateThreshold();
    this.slowEnabled = config.classifier().slowCallDurationNanos() != Long.MAX_VALUE;
  }

  static Window create(CircuitBreakerConfig config, Clock clock) {
    switch (config.slidingWindowType()) {
      case TIME_BASED:
        return new TimeWindow(config, clock);
      case CONSECUTIVE_FAILURES:
        return new ConsecutiveFailures(config);
      default:
        return new CountWindow(config);
    }
  }

  /**
   * Records one finished call.
   *
   * @return whether a threshold is reached afterwards (the caller trips the breaker if it still can)
   */
  abstract boolean record(boolean failure, boolean slow);

  /** Returns a snapshot for the metrics view: may be slightly stale, never torn beyond repair. */
  abstract Counts counts();

  /**
   * Returns {calls, bad} of the (calls, failed) aggregate and {calls, bad} of the (calls, slow) one, raw, for
   * consistency checks: at quiescence they must equal the sums over the slots or buckets.
   */
  int[] rawAggregates() {
    return new int[0];
  }

  /** Returns {calls, failed, slow} summed over the slots or live buckets; see {@link #rawAggregates()}. */
  int[] recount() {
    return new int[0];
  }

  /** The threshold test on a consistent pair; a transiently inconsistent pair never trips. */
  final boolean exceeds(int calls, int bad, int maxCalls, double threshold) {
    if (calls < minimumCalls || bad < 0 || bad > calls || calls > maxCalls) {
      return false;
    }
    return bad * 100.0 >= threshold * calls;
  }

  // ---- a pair of signed 32-bit counts packed in one long, updated with one getAndAdd -----------------------
  // word = calls * 2^32 + bad, both fields signed, so a negative delta borrows from the upper field and
  // decoding recovers both exactly as long as each true value fits in an int.

  static long pair(int calls, int bad) {
    return ((long) calls << 32) + bad;
  }

  static int bad(long word) {
    return (int) word;
  }

  static int calls(long word) {
    return (int) ((word - (int) word) >> 32);
  }

  /** Window figures as the metrics view reports them. */
  static final class Counts {
    static final Counts EMPTY = new Counts(0, 0, 0, Integer.MAX_VALUE);

    final int calls;
    final int failed;
    final int slow;
    /** Rates are reported from this many calls on; {@link Integer#MAX_VALUE}: never. */
    final int minimumCalls;

    Counts(int calls, int failed, int slow, int minimumCalls) {
      this.calls = Math.max(0, calls);
      this.failed = Math.max(0, Math.min(failed, this.calls));
      this.slow = Math.max(0, Math.min(slow, this.calls));
      this.minimumCalls = Math.max(1, minimumCalls);
    }

    double failureRate() {
      return calls >= minimumCalls ? failed * 100.0 / calls : -1;
    }

    double slowRate() {
      return calls >= minimumCalls ? slow * 100.0 / calls : -1;
    }
  }
}
