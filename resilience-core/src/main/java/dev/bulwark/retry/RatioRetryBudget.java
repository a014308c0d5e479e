package dev.bulwark.retry;

import dev.bulwark.Clock;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Retries as a fraction of requests over a sliding window, plus a minimum rate.
 *
 * <pre>
 * Implementation notes
 *
 * Rule: a retry is allowed at time t iff, over the window ending at t,
 *     ratio * requests + reserve - retries >= 1,   reserve = minRetriesPerSecond * window (in seconds),
 * and allowing it adds one to retries. So over any window, retries <= ratio * requests + reserve.
 *
 * Deposits (the hot path, once per call) are one LongAdder increment: no clock read, no CAS on a shared
 * word. A budget owned by one Retry does not even get that: it reads the retry's own first-attempt counters
 * (`ownerRequests`), which the retry keeps anyway, so the retry's success path has one atomic increment. Withdrawals are a CAS on the cumulative retry count `retries`, computed from the very count they
 * replace, so concurrent withdrawals never overdraw the balance they saw: the rule holds exactly with
 * respect to the requests recorded before the withdrawal read them.
 *
 * The window: a ring of SLICES marks, one per slice of window/SLICES; a mark holds the cumulative requests
 * and retries at the start of its slice. Requests and retries in the window are the cumulative counts now
 * minus those of the oldest live mark (live = its slice is one of the last SLICES). Marks are taken by the
 * retry path only (tryAcquireRetry), which keeps the clock off the hot path. When it takes the mark of a new
 * slice and finds the previous mark several slices back, it fills the slices between by interpolation:
 * requests linearly (as if they arrived at an even rate in the gap), retries all before the gap (a retry in
 * the gap would have taken a mark). A mark taken when the budget is created starts the first window. So the
 * window always reaches back a full window (or to the creation), and moves on one slice at a time.
 *
 * Harmless races: a mark reads `requests` and `retries` one after the other, so a deposit or withdrawal
 * racing with it may land on either side of the mark (an error of at most the concurrent calls, which does
 * not accumulate). Threads that install or interpolate marks at once race on a CAS per slot; only a mark of
 * an older slice is ever replaced, and the loser's mark differs from the winner's by at most that same error.
 * LongAdder.sum() is not an atomic snapshot, but deposits only grow, so a stale sum only under-counts.
 * </pre>
 */
final class RatioRetryBudget implements RetryBudget, RetryBudget.Metrics {
  static final int SLICES = 10;
  private static final VarHandle RETRIES;

  static {
    try {
      RETRIES = MethodHandles.lookup().findVarHandle(RatioRetryBudget.class, "retries", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final RetryBudgetConfig config;
  private final Clock clock;
  private final double ratio;
  private final double reserve;
  private final long sliceNanos;
  private final LongAdder requests = new LongAdder();
  private final LongSupplier ownerRequests;
  private final LongAdder rejected = new LongAdder();
  private final AtomicReferenceArray<Mark> marks = new AtomicReferenceArray<>(SLICES);
  /** Cumulative retries allowed; only changed by CAS in tryAcquireRetry. Accessed through RETRIES. */
  @SuppressWarnings("unused")
  private volatile long retries;

  RatioRetryBudget(RetryBudgetConfig config, Clock clock) {
    this(config, clock, null);
  }

  /** A budget that also counts the requests of its owning retry, read from {@code ownerRequests}. */
  RatioRetryBudget(RetryBudgetConfig config, Clock clock, LongSupplier ownerRequests) {
    this.config = config;
    this.ownerRequests = ownerRequests;
    this.clock = clock;
    this.ratio = config.ratio();
    long windowNanos = dev.bulwark.internal.Check.saturatedNanos(config.window());
    this.reserve = config.minRetriesPerSecond() * (windowNanos / 1e9);
    this.sliceNanos = Math.max(1, windowNanos / SLICES);
    long slice = Math.floorDiv(clock.nanoTime(), sliceNanos);
    marks.set(index(slice), new Mark(slice, 0, 0));
  }

  private static int index(long slice) {
    return (int) Math.floorMod(slice, (long) SLICES);
  }

  /** The cumulative counts at the start of a slice (observed or interpolated). */
  private static final class Mark {
    final long slice;
    final long requests;
    final long retries;

    Mark(long slice, long requests, long retries) {
      this.slice = slice;
      this.requests = requests;
      this.retries = retries;
    }
  }

  private long requestCount() {
    return ownerRequests == null ? requests.sum() : requests.sum() + ownerRequests.getAsLong();
  }

  @Override
  public void recordRequest() {
    requests.increment();
  }

  @Override
  public void recordSuccess() {
    // the ratio mode counts requests, not outcomes
  }

  @Override
  public void recordFailure() {
    // the ratio mode counts requests, not outcomes
  }

  @Override
  public boolean tryAcquireRetry() {
    long slice = Math.floorDiv(clock.nanoTime(), sliceNanos);
    Mark oldest = oldestLiveMark(slice, true);
    while (true) {
      long spent = (long) RETRIES.getVolatile(this);
      if (credit(oldest, requestCount(), spent) < 1.0) {
        rejected.increment();
        return false;
      }
      if (RETRIES.compareAndSet(this, spent, spent + 1)) {
        return true;
      }
    }
  }

  private double credit(Mark oldest, long requestsNow, long retriesNow) {
    return ratio * (requestsNow - oldest.requests) + reserve - (retriesNow - oldest.retries);
  }

  /**
   * Returns the oldest mark of the window ending in {@code slice}. If asked, first takes the mark of
   * {@code slice} when it is missing, interpolating the slices since the previous mark.
   */
  private Mark oldestLiveMark(long slice, boolean install) {
    if (install) {
      int index = index(slice);
      Mark current = marks.get(index);
      if (current == null || current.slice < slice) {
        Mark previous = newestBefore(slice); // found first: the new mark may take its slot
        Mark fresh = new Mark(slice, requestCount(), (long) RETRIES.getVolatile(this));
        if (marks.compareAndSet(index, current, fresh)) {
          interpolate(previous, fresh);
        }
      }
    }
    Mark oldest = null;
    for (int i = 0; i < SLICES; i++) {
      Mark mark = marks.get(i);
      if (mark != null && mark.slice > slice - SLICES && mark.slice <= slice
          && (oldest == null || mark.slice < oldest.slice)) {
        oldest = mark;
      }
    }
    return oldest != null ? oldest : new Mark(slice, requestCount(), (long) RETRIES.getVolatile(this));
  }

  private Mark newestBefore(long slice) {
    Mark newest = null;
    for (int i = 0; i < SLICES; i++) {
      Mark mark = marks.get(i);
      if (mark != null && mark.slice < slice && (newest == null || mark.slice > newest.slice)) {
        newest = mark;
      }
    }
    return newest;
  }

  /** Fills the live slices between {@code previous} and {@code fresh}, which no retry path observed. */
  private void interpolate(Mark previous, Mark fresh) {
    if (previous == null || previous.slice >= fresh.slice - 1) {
      return;
    }
    double span = fresh.slice - previous.slice;
    long arrived = fresh.requests - previous.requests;
    for (long s = Math.max(previous.slice + 1, fresh.slice - SLICES + 1); s < fresh.slice; s++) {
      long requestsAt = previous.requests + (long) (arrived * ((s - previous.slice) / span));
      Mark filled = new Mark(s, requestsAt, fresh.retries);
      int index = index(s);
      Mark there = marks.get(index);
      if (there == null || there.slice < s) {
        marks.compareAndSet(index, there, filled);
      }
    }
  }

  @Override
  public RetryBudgetConfig config() {
    return config;
  }

  @Override
  public Metrics metrics() {
    return this;
  }

  @Override
  public double balance() {
    long slice = Math.floorDiv(clock.nanoTime(), sliceNanos);
    Mark oldest = oldestLiveMark(slice, false);
    return credit(oldest, requestCount(), (long) RETRIES.getVolatile(this));
  }

  @Override
  public long availableRetries() {
    return (long) Math.max(0, Math.floor(balance()));
  }

  @Override
  public long requests() {
    return requestCount();
  }

  @Override
  public long retriesPermitted() {
    return (long) RETRIES.getVolatile(this);
  }

  @Override
  public long retriesRejected() {
    return rejected.sum();
  }

  @Override
  public String toString() {
    return "RetryBudget{" + config + ", balance=" + balance() + '}';
  }
}
