package dev.bulwark.limit;

import java.util.random.RandomGenerator;

/*
 * Implementation notes.
 *
 * The no-load round-trip time (the baseline) that the gradient and Vegas algorithms compare the current
 * round-trip time with, and the probe that measures it. Owned by one controller, so only ever touched by the
 * one thread that closes a window: plain fields.
 *
 * Why not an exponential average of past round-trip times, as Netflix's Gradient2 keeps? Under a steady
 * moderate overload the average follows the inflated latency upwards, the gradient drifts to 1, and the
 * queue allowance lets the limit creep up without bound (concurrency-limits #134). A baseline must only ever
 * be raised by a measurement taken without load. So:
 *
 *  - Lowering is immediate: a window whose percentile is below the baseline replaces it.
 *  - Raising needs a probe: the limit is pinned to min(limit, probeLimit) and calls admitted before the probe
 *    started are left out of the samples (Envoy fixed the same contamination in its #11579); the first window
 *    with successes at probe concurrency gives the new baseline and the limit goes back to where it was.
 *  - The probe level is its own option, apart from the floor (Envoy #46532: one value cannot be both a
 *    gentle probe level and a low floor), and never raises the limit.
 *  - A probe starts on the first window, then every probeInterval stretched by a random 0..probeJitter of it
 *    (so a fleet does not probe in step), and early when the baseline may be stale: the limit sat on its
 *    floor for FLOOR_WINDOWS windows (as Envoy does); the limit was halved without the round-trip time
 *    falling by a tenth, which means the latency is not coming from our own queue (a slower dependency, not
 *    more load) and shrinking further would only shed work for nothing; the limit stopped falling at 60% or
 *    less of its peak since the last probe (the same question, asked once the algorithm has settled: a
 *    Vegas-style estimate can settle on a "queue" that is really a slower service time); or a window's
 *    percentile fell more than a fifth below the baseline (a faster dependency: the window that showed it may
 *    still have been queueing, so its percentile is only an upper bound of the new no-load time). That last
 *    trigger waits FASTER_PROBE_COOLDOWN windows after a probe: a baseline measured from a handful of calls
 *    is noisy, the next window often lands below it, and that noise must not set off probe after probe (the
 *    lower value replaces the baseline anyway). The others need several windows of cuts to fire, so they
 *    cannot loop on a probe's noise.
 *  - Probes are short: the limiter closes a probe's window as soon as it holds enough calls.
 *  - During a probe, a window with drops but no successes ends it with a backoff.
 */
final class NoLoadRtt {
  static final int FLOOR_WINDOWS = 5;
  /** Windows after a probe before lower latency may start another: a probe's own noise must not loop. */
  static final int FASTER_PROBE_COOLDOWN = 10;

  private final long intervalNanos;
  private final double jitter;
  private final int probeLimit;
  private final double quantile;
  private final RandomGenerator random;

  private long baseline = -1;
  private boolean probing;
  private int limitBeforeProbe;
  private boolean scheduled;
  private long nextProbeNanos;
  private long sampleFrom = Long.MIN_VALUE;
  private int windowsAtFloor;
  private boolean stale;
  private boolean faster;
  private int referenceLimit = -1;
  private long referenceRtt;
  private int peakLimit;
  private int windowsSinceProbe;

  NoLoadRtt(long intervalNanos, double jitter, int probeLimit, double quantile, RandomGenerator random) {
    this.intervalNanos = intervalNanos;
    this.jitter = jitter;
    this.probeLimit = probeLimit;
    this.quantile = quantile;
    this.random = random;
  }

  long baseline() {
    return baseline;
  }

  long sampleFrom() {
    return sampleFrom;
  }

  boolean probing() {
    return probing;
  }

  long nextProbeNanos() {
    return scheduled ? nextProbeNanos : Long.MIN_VALUE;
  }

  /**
   * Runs the probe's part of an update.
   *
   * @return the next limit when the probe decides this window, or -1 to let the algorithm decide
   */
  int probe(WindowSample s, int limit, int minLimit, int maxLimit, double backoffRatio) {
    long now = s.endNanos();
    if (probing) {
      if (s.timedSuccesses() > 0) {
        baseline = s.rttNanos(quantile);
        endProbe(now);
        double restored = s.drops() > 0 ? Math.floor(limitBeforeProbe * backoffRatio) : limitBeforeProbe;
        return LimitBounds.clamp(restored, minLimit, maxLimit);
      }
      if (s.drops() > 0) {
        endProbe(now);
        return LimitBounds.clamp(Math.floor(limitBeforeProbe * backoffRatio), minLimit, maxLimit);
      }
      return limit;
    }
    windowsSinceProbe++;
    boolean early = windowsAtFloor >= FLOOR_WINDOWS || stale || (faster && windowsSinceProbe > FASTER_PROBE_COOLDOWN);
    faster = false;
    if (!scheduled || now - nextProbeNanos >= 0 || early) {
      if (baseline < 0 && s.timedSuccesses() > 0) {
        baseline = s.rttNanos(quantile); // provisional, until the probe measures it
      }
      probing = true;
      limitBeforeProbe = limit;
      sampleFrom = now;
      windowsSinceProbe = 0;
      windowsAtFloor = 0;
      stale = false;
      referenceLimit = -1;
      peakLimit = 0;
      return Math.min(limit, probeLimit);
    }
    return -1;
  }

  private void endProbe(long now) {
    probing = false;
    sampleFrom = Long.MIN_VALUE;
    scheduled = true;
    nextProbeNanos = now + intervalNanos + (long) (intervalNanos * jitter * random.nextDouble());
  }

  /**
   * Offers a window's percentile round-trip time: a lower one replaces the baseline at once, and one more
   * than a fifth lower also asks for a probe, since the no-load time has evidently changed and the window
   * that revealed it may still have been queueing.
   */
  void observe(long rtt) {
    if (rtt > 0 && (baseline < 0 || rtt < baseline)) {
      if (5 * rtt < 4 * baseline) {
        faster = true;
      }
      baseline = rtt;
    }
  }

  /** Tracks the floor and the stale-baseline conditions after a normal update from {@code limit} to {@code next}. */
  void afterUpdate(int limit, int next, long rtt, int minLimit) {
    windowsAtFloor = next <= minLimit ? windowsAtFloor + 1 : 0;
    peakLimit = Math.max(peakLimit, limit);
    if (next >= limit && 5L * next <= 3L * peakLimit) {
      // settled after a deep cut: check that the cut answered a queue and not a slower dependency
      stale = true;
      peakLimit = next;
    }
    if (next >= limit || rtt <= 0) {
      referenceLimit = -1;
      return;
    }
    if (referenceLimit < 0) {
      referenceLimit = limit;
      referenceRtt = rtt;
    } else if (2L * limit <= referenceLimit) {
      // the limit in force during this window is half the reference one: did the latency fall with it?
      if (10 * rtt >= 9 * referenceRtt) {
        stale = true;
      }
      referenceLimit = limit;
      referenceRtt = rtt;
    }
  }
}
