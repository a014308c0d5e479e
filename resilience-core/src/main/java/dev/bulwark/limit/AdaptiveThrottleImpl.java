package dev.bulwark.limit;

import dev.bulwark.Clock;
import dev.bulwark.Outcome;
import dev.bulwark.OutcomeClassifier;
import dev.bulwark.Permit;
import dev.bulwark.PolicyKind;
import dev.bulwark.internal.Listeners;
import dev.bulwark.internal.PermitCalls;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/*
 * Implementation notes.
 *
 * A ring of buckets, each one 64-bit word updated by CAS:
 *
 *   bucket: bits 0..21  accepts  (saturating at 2^22 - 1)
 *           bits 22..43 requests (saturating at 2^22 - 1)
 *           bits 44..63 epoch    (the bucket's time slot, modulo 2^20)
 *
 * The epoch of time t is (t - origin) / bucketNanos; bucket i holds the counts of the latest epoch e with
 * e % buckets == i. Recording into a bucket whose stored epoch is older resets it in the same CAS; a thread
 * whose clock reading is slightly behind (its epoch older than the stored one) adds to the newer counts
 * rather than wiping them. Reading sums the buckets whose epoch lies within the last `buckets` epochs. The
 * requests and accepts of one completion change in one CAS, so accepts never exceed requests in a bucket.
 * Reads are not a snapshot across buckets: a concurrent update may be seen in one bucket and not another,
 * which only moves the probability by one call's worth.
 *
 * A call is counted when it is rejected locally (a request) or completes (a request, and an accept if the
 * classifier calls it a success); a call in flight is not counted yet. The permit is one stateless object per
 * throttle, so no call allocates.
 */
final class AdaptiveThrottleImpl implements AdaptiveThrottle, AdaptiveThrottle.Metrics {
  private static final VarHandle BUCKETS = MethodHandles.arrayElementVarHandle(long[].class);
  private static final int COUNT_BITS = 22;
  private static final long COUNT_MAX = (1L << COUNT_BITS) - 1;
  private static final int REQUESTS_SHIFT = COUNT_BITS;
  private static final int EPOCH_SHIFT = 2 * COUNT_BITS;
  private static final long EPOCH_MASK = (1L << (64 - EPOCH_SHIFT)) - 1;

  private final String name;
  private final AdaptiveThrottleConfig config;
  private final Clock clock;
  private final RandomGenerator random;
  private final Listeners<ThrottleEvent> listeners;
  private final OutcomeClassifier classifier;
  private final double k;
  private final double maxProbability;
  private final long bucketNanos;
  private final long origin;
  private final long[] buckets;
  private final LongAdder rejected = new LongAdder();
  private final ThrottlePermit permit = new ThrottlePermit();

  AdaptiveThrottleImpl(String name, AdaptiveThrottleConfig config, Clock clock, RandomGenerator random,
      Listeners<ThrottleEvent> listeners) {
    this.name = name;
    this.config = config;
    this.clock = clock;
    this.random = random;
    this.listeners = listeners;
    this.classifier = config.classifier();
    this.k = config.k();
    this.maxProbability = config.maxRejectionProbability();
    this.buckets = new long[config.buckets()];
    this.bucketNanos = config.window().toNanos() / config.buckets();
    this.origin = clock.nanoTime();
  }

  private long epoch(long now) {
    return Math.floorDiv(now - origin, bucketNanos);
  }

  private void record(long acceptsDelta) {
    long epoch = epoch(clock.nanoTime());
    long stamp = epoch & EPOCH_MASK;
    int index = (int) Math.floorMod(epoch, (long) buckets.length);
    long w;
    long next;
    do {
      w = (long) BUCKETS.getVolatile(buckets, index);
      long stored = w >>> EPOCH_SHIFT;
      long requests;
      long accepts;
      if (stored == stamp || ((stored - stamp) & EPOCH_MASK) < (EPOCH_MASK >>> 1)) {
        requests = Math.min(COUNT_MAX, ((w >>> REQUESTS_SHIFT) & COUNT_MAX) + 1);
        accepts = Math.min(requests, (w & COUNT_MAX) + acceptsDelta);
        stamp = stored; // same epoch, or a newer one written by a thread whose clock read later
      } else {
        requests = 1;
        accepts = acceptsDelta;
      }
      next = (stamp << EPOCH_SHIFT) | (requests << REQUESTS_SHIFT) | accepts;
    } while (!BUCKETS.compareAndSet(buckets, index, w, next));
  }

  /** Sums the window: requests in the high 32 bits, accepts in the low 32 (each below 2^32 by construction). */
  private long counts(long now) {
    long epoch = epoch(now) & EPOCH_MASK;
    long requests = 0;
    long accepts = 0;
    for (int i = 0; i < buckets.length; i++) {
      long w = (long) BUCKETS.getVolatile(buckets, i);
      if (w == 0) {
        continue;
      }
      long age = (epoch - (w >>> EPOCH_SHIFT)) & EPOCH_MASK;
      if (age < buckets.length) {
        requests += (w >>> REQUESTS_SHIFT) & COUNT_MAX;
        accepts += w & COUNT_MAX;
      }
    }
    return (requests << 32) | accepts;
  }

  private double probability(long counts) {
    long requests = counts >>> 32;
    long accepts = counts & 0xFFFF_FFFFL;
    double p = (requests - k * accepts) / (requests + 1);
    return p <= 0 ? 0 : Math.min(p, maxProbability);
  }

  /** Returns true if the call may go ahead; otherwise counts it and returns false. */
  private boolean admit() {
    long counts = counts(clock.nanoTime());
    double p = probability(counts);
    if (p <= 0) {
      return true;
    }
    double r = random != null ? random.nextDouble() : ThreadLocalRandom.current().nextDouble();
    if (r >= p) {
      return true;
    }
    record(0);
    rejected.increment();
    if (listeners.wants(ThrottleEvent.Rejected.class)) {
      listeners.emit(new ThrottleEvent.Rejected(name, p, counts >>> 32, counts & 0xFFFF_FFFFL));
    }
    return false;
  }

  private ThrottledException rejection() {
    long counts = counts(clock.nanoTime());
    return new ThrottledException(name, probability(counts), counts >>> 32, counts & 0xFFFF_FFFFL);
  }

  private void complete(Outcome outcome) {
    if (outcome != Outcome.IGNORED) {
      record(outcome == Outcome.SUCCESS ? 1 : 0);
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public PolicyKind kind() {
    return PolicyKind.LOAD_SHEDDER;
  }

  @Override
  public Permit tryAcquirePermit() {
    return admit() ? permit : null;
  }

  @Override
  public Permit acquirePermit() {
    if (!admit()) {
      throw rejection();
    }
    return permit;
  }

  @Override
  public <T> T call(Callable<? extends T> callable) throws Exception {
    Objects.requireNonNull(callable, "callable");
    if (!admit()) {
      throw rejection();
    }
    T result;
    try {
      result = callable.call();
    } catch (Throwable failure) {
      complete(classifier.classifyFailure(failure));
      throw failure;
    }
    complete(classifier.classifyResult(result));
    return result;
  }

  @Override
  public <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<? extends T>> supplier) {
    Objects.requireNonNull(supplier, "supplier");
    if (!admit()) {
      return CompletableFuture.failedFuture(rejection());
    }
    return PermitCalls.start(permit, clock, supplier);
  }

  @Override
  public AdaptiveThrottleConfig config() {
    return config;
  }

  @Override
  public Metrics metrics() {
    return this;
  }

  @Override
  public long requests() {
    return counts(clock.nanoTime()) >>> 32;
  }

  @Override
  public long accepts() {
    return counts(clock.nanoTime()) & 0xFFFF_FFFFL;
  }

  @Override
  public double rejectionProbability() {
    return probability(counts(clock.nanoTime()));
  }

  @Override
  public long rejectedCalls() {
    return rejected.sum();
  }

  @Override
  public String toString() {
    return "AdaptiveThrottle[" + name + ", p=" + rejectionProbability() + "]";
  }

  /** The one permit of this throttle: reports an outcome, holds nothing. */
  private final class ThrottlePermit implements Permit {
    @Override
    public void onSuccess(long durationNanos) {
      complete(Outcome.SUCCESS);
    }

    @Override
    public void onResult(long durationNanos, Object result) {
      complete(classifier.classifyResult(result));
    }

    @Override
    public void onFailure(long durationNanos, Throwable failure) {
      complete(classifier.classifyFailure(failure));
    }

    @Override
    public void release() {
      // not sent, or cancelled: counts for nothing
    }

    @Override
    public String toString() {
      return "AdaptiveThrottle.Permit[" + name + "]";
    }
  }
}
