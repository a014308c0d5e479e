package dev.bulwark.limit;

import dev.bulwark.testing.ManualClock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.LongUnaryOperator;

/**
 * A discrete-event simulation in virtual time of clients calling a server of fixed capacity.
 *
 * <p>The server runs at most {@code capacity} requests at once; others wait in its unbounded FIFO queue, so
 * latency grows with the queue, as in a thread-pool server. Service times are drawn uniformly from 75% to 125%
 * of a (possibly time-varying) mean. Clients arrive as a Poisson process at a (possibly time-varying) rate and
 * give up after a timeout. A {@link Gate} in front of the server admits or rejects each request and learns
 * each outcome; the simulation records what happened per one-second bucket.
 *
 * <p>Time is a {@link ManualClock} advanced from event to event, so a limiter under test reads the same clock.
 */
final class Simulation {
  static final long MS = 1_000_000L;
  static final long SECOND = 1_000_000_000L;

  /** What sits in front of the server. */
  interface Gate {
    /** Admits a request of {@code priority} (0..100) or returns {@code null}. */
    Admitted admit(int priority);
  }

  /** An admitted request's handle, told how it ended. */
  interface Admitted {
    /** The server finished the request {@code latencyNanos} after it arrived; {@code inTime} if within the client timeout. */
    void finished(long latencyNanos, boolean inTime);

    /** The client gave up at its timeout, before the server finished. */
    default void timedOut() {}
  }

  /** No protection: everything is admitted. */
  static final Gate UNPROTECTED = priority -> (latency, inTime) -> {};

  /** A server-side limiter: the permit completes when the server finishes. */
  static Gate serverSide(ConcurrencyLimiter limiter) {
    return priority -> {
      LimiterPermit permit = limiter.tryAcquirePermit();
      return permit == null ? null : (latency, inTime) -> permit.onSuccess();
    };
  }

  /** A server-side priority shedder. */
  static Gate serverSide(LoadShedder shedder) {
    return priority -> {
      LimiterPermit permit = shedder.tryAcquirePermit(Priority.of(priority));
      return permit == null ? null : (latency, inTime) -> permit.onSuccess();
    };
  }

  /** A client-side limiter: a timeout is reported as dropped when it happens; a late response does nothing. */
  static Gate clientSide(ConcurrencyLimiter limiter) {
    return priority -> {
      LimiterPermit permit = limiter.tryAcquirePermit();
      if (permit == null) {
        return null;
      }
      return new Admitted() {
        @Override
        public void finished(long latency, boolean inTime) {
          if (inTime) {
            permit.onSuccess();
          }
        }

        @Override
        public void timedOut() {
          permit.onDropped();
        }
      };
    };
  }

  /** A traffic source. */
  static final class Source {
    final int priority;
    final LongUnaryOperator ratePerSecondAt; // virtual time (ns since start) -> requests per second

    Source(int priority, LongUnaryOperator ratePerSecondAt) {
      this.priority = priority;
      this.ratePerSecondAt = ratePerSecondAt;
    }
  }

  /** Per-second, per-priority counts. */
  static final class Bucket {
    final long[] offered = new long[101];
    final long[] rejected = new long[101];
    final long[] goodput = new long[101];
    final long[] late = new long[101];
    final List<Long> latencies = new ArrayList<>();
    int limitSum;
    int limitSamples;
    int minLimit = Integer.MAX_VALUE;
    int maxLimit;

    long offered() {
      return Arrays.stream(offered).sum();
    }

    long goodput() {
      return Arrays.stream(goodput).sum();
    }

    long rejected() {
      return Arrays.stream(rejected).sum();
    }

    double meanLimit() {
      return limitSamples == 0 ? 0 : (double) limitSum / limitSamples;
    }
  }

  private final ManualClock clock;
  private final long start;
  private final int capacity;
  private final LongUnaryOperator serviceNanosAt;
  private final long clientTimeoutNanos;
  private final SplittableRandom random;
  private final PriorityQueue<Event> events = new PriorityQueue<>();
  private final ArrayDeque<Request> serverQueue = new ArrayDeque<>();
  private final List<Bucket> buckets = new ArrayList<>();
  private int busy;
  private long sequence;
  private java.util.function.IntSupplier limitProbe;

  Simulation(ManualClock clock, int capacity, LongUnaryOperator serviceNanosAt, long clientTimeoutNanos,
      long seed) {
    this.clock = clock;
    this.start = clock.nanoTime();
    this.capacity = capacity;
    this.serviceNanosAt = serviceNanosAt;
    this.clientTimeoutNanos = clientTimeoutNanos;
    this.random = new SplittableRandom(seed);
  }

  /** Samples {@code probe} (such as the limiter's limit) ten times per simulated second. */
  Simulation sampleLimit(java.util.function.IntSupplier probe) {
    this.limitProbe = probe;
    return this;
  }

  private long elapsed() {
    return clock.nanoTime() - start;
  }

  Bucket bucket(long elapsedNanos) {
    int index = (int) (elapsedNanos / SECOND);
    while (buckets.size() <= index) {
      buckets.add(new Bucket());
    }
    return buckets.get(index);
  }

  List<Bucket> buckets() {
    return buckets;
  }

  private void at(long elapsedNanos, Runnable action) {
    events.add(new Event(elapsedNanos, sequence++, action));
  }

  /** Runs the sources through {@code gate} for {@code durationNanos} of virtual time. */
  Simulation run(Gate gate, long durationNanos, Source... sources) {
    for (Source source : sources) {
      scheduleArrival(gate, source, elapsed(), durationNanos);
    }
    if (limitProbe != null) {
      for (long t = elapsed(); t < durationNanos; t += SECOND / 10) {
        at(t, () -> {
          int limit = limitProbe.getAsInt();
          Bucket b = bucket(elapsed());
          b.limitSum += limit;
          b.limitSamples++;
          b.minLimit = Math.min(b.minLimit, limit);
          b.maxLimit = Math.max(b.maxLimit, limit);
        });
      }
    }
    while (!events.isEmpty()) {
      Event e = events.poll();
      if (e.time > durationNanos) {
        break;
      }
      long delta = e.time - elapsed();
      if (delta > 0) {
        clock.advance(delta);
      }
      e.action.run();
    }
    events.clear();
    return this;
  }

  private void scheduleArrival(Gate gate, Source source, long now, long end) {
    double rate = source.ratePerSecondAt.applyAsLong(now);
    if (rate <= 0) {
      long next = now + SECOND / 10;
      if (next < end) {
        at(next, () -> scheduleArrival(gate, source, next, end));
      }
      return;
    }
    long gap = (long) (-Math.log(1 - random.nextDouble()) / rate * SECOND);
    long next = now + Math.max(1, gap);
    if (next < end) {
      at(next, () -> {
        arrive(gate, source.priority);
        scheduleArrival(gate, source, next, end);
      });
    }
  }

  private void arrive(Gate gate, int priority) {
    Bucket b = bucket(elapsed());
    b.offered[priority]++;
    Admitted admitted = gate.admit(priority);
    if (admitted == null) {
      b.rejected[priority]++;
      return;
    }
    Request r = new Request(elapsed(), priority, admitted);
    at(r.arrival + clientTimeoutNanos, () -> {
      if (!r.done) {
        r.gaveUp = true;
        r.admitted.timedOut();
      }
    });
    if (busy < capacity) {
      startService(r);
    } else {
      serverQueue.addLast(r);
    }
  }

  private void startService(Request r) {
    busy++;
    long mean = serviceNanosAt.applyAsLong(elapsed());
    long service = (long) (mean * (0.75 + 0.5 * random.nextDouble()));
    at(elapsed() + service, () -> finish(r));
  }

  private void finish(Request r) {
    busy--;
    r.done = true;
    long latency = elapsed() - r.arrival;
    boolean inTime = latency <= clientTimeoutNanos && !r.gaveUp;
    Bucket b = bucket(elapsed());
    if (inTime) {
      b.goodput[r.priority]++;
      b.latencies.add(latency);
    } else {
      b.late[r.priority]++;
    }
    r.admitted.finished(latency, inTime);
    Request next = serverQueue.pollFirst();
    if (next != null) {
      startService(next);
    }
  }

  // ------------------------------------------------------------------ summaries over [fromSecond, toSecond)

  double goodputPerSecond(int fromSecond, int toSecond) {
    long sum = 0;
    for (int s = fromSecond; s < toSecond; s++) {
      sum += bucket(s * SECOND).goodput();
    }
    return (double) sum / (toSecond - fromSecond);
  }

  long goodput(int priority, int fromSecond, int toSecond) {
    long sum = 0;
    for (int s = fromSecond; s < toSecond; s++) {
      sum += bucket(s * SECOND).goodput[priority];
    }
    return sum;
  }

  long offered(int priority, int fromSecond, int toSecond) {
    long sum = 0;
    for (int s = fromSecond; s < toSecond; s++) {
      sum += bucket(s * SECOND).offered[priority];
    }
    return sum;
  }

  /** The latency at {@code quantile} of requests that completed in time in [from, to). */
  long latencyNanos(double quantile, int fromSecond, int toSecond) {
    List<Long> all = new ArrayList<>();
    for (int s = fromSecond; s < toSecond; s++) {
      all.addAll(bucket(s * SECOND).latencies);
    }
    if (all.isEmpty()) {
      return -1;
    }
    all.sort(null);
    return all.get(Math.min(all.size() - 1, (int) Math.ceil(quantile * all.size()) - 1));
  }

  double meanLimit(int fromSecond, int toSecond) {
    double sum = 0;
    for (int s = fromSecond; s < toSecond; s++) {
      sum += bucket(s * SECOND).meanLimit();
    }
    return sum / (toSecond - fromSecond);
  }

  int maxLimit(int fromSecond, int toSecond) {
    int max = 0;
    for (int s = fromSecond; s < toSecond; s++) {
      max = Math.max(max, bucket(s * SECOND).maxLimit);
    }
    return max;
  }

  int minLimit(int fromSecond, int toSecond) {
    int min = Integer.MAX_VALUE;
    for (int s = fromSecond; s < toSecond; s++) {
      min = Math.min(min, bucket(s * SECOND).minLimit);
    }
    return min;
  }

  /** Prints the trace when the system property {@code sim.trace} is set, for tuning. */
  Simulation print(String title, int fromSecond, int toSecond) {
    if (Boolean.getBoolean("sim.trace")) {
      int tail = Math.max(fromSecond, toSecond - 30);
      System.out.println("=== " + title + "\n" + trace(fromSecond, toSecond)
          + String.format("last 30 s: goodput %.0f/s, p50 %.1f ms, p99 %.1f ms, mean limit %.1f%n",
              goodputPerSecond(tail, toSecond), latencyNanos(0.5, tail, toSecond) / 1e6,
              latencyNanos(0.99, tail, toSecond) / 1e6, meanLimit(tail, toSecond)));
    }
    return this;
  }

  /** One line per second, for diagnosing a failed assertion. */
  String trace(int fromSecond, int toSecond) {
    StringBuilder s = new StringBuilder();
    for (int t = fromSecond; t < toSecond; t++) {
      Bucket b = bucket(t * SECOND);
      s.append(String.format("t=%3ds offered=%5d rejected=%5d goodput=%5d late=%5d limit=%5.1f [%d..%d] p50=%s%n",
          t, b.offered(), b.rejected(), b.goodput(), Arrays.stream(b.late).sum(), b.meanLimit(),
          b.minLimit == Integer.MAX_VALUE ? 0 : b.minLimit, b.maxLimit,
          latencyNanos(0.5, t, t + 1) < 0 ? "-" : (latencyNanos(0.5, t, t + 1) / MS) + "ms"));
    }
    return s.toString();
  }

  private static final class Request {
    final long arrival;
    final int priority;
    final Admitted admitted;
    boolean done;
    boolean gaveUp;

    Request(long arrival, int priority, Admitted admitted) {
      this.arrival = arrival;
      this.priority = priority;
      this.admitted = admitted;
    }
  }

  private static final class Event implements Comparable<Event> {
    final long time;
    final long sequence;
    final Runnable action;

    Event(long time, long sequence, Runnable action) {
      this.time = time;
      this.sequence = sequence;
      this.action = action;
    }

    @Override
    public int compareTo(Event o) {
      int byTime = Long.compare(time, o.time);
      return byTime != 0 ? byTime : Long.compare(sequence, o.sequence);
    }
  }
}
