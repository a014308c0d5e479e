package dev.bulwark.retry;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * gRPC-style retry throttling: failures take a token, successes return a fraction, retries only above half.
 *
 * <pre>
 * Implementation notes
 *
 * State: one word, `milliTokens`, the tokens in thousandths, in [0, maxMilli], starting full. Every change
 * is a CAS loop over a pure function of the value read (clamped at 0 and at maxMilli), so it never leaves
 * that range. A retry is allowed iff milliTokens > maxMilli / 2 when asked; asking changes nothing (the
 * failure that led to the retry has already taken its token), as in gRPC.
 *
 * Hot path: in the healthy state the bucket is full and recordSuccess is a single volatile read, no write.
 * Requests only feed the metrics; a budget owned by one Retry reads them from the retry's own counters.
 *
 * Harmless race: several threads may see the level just above half and all retry; each of those retries
 * that fails then takes its token, so the overshoot is bounded by the number of concurrent callers and
 * never accumulates (gRPC has the same property).
 * </pre>
 */
final class TokenBucketRetryBudget implements RetryBudget, RetryBudget.Metrics {
  private static final long MILLI = 1000;
  private static final VarHandle TOKENS;

  static {
    try {
      TOKENS = MethodHandles.lookup().findVarHandle(TokenBucketRetryBudget.class, "milliTokens", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final RetryBudgetConfig config;
  private final long maxMilli;
  private final long thresholdMilli;
  private final long ratioMilli;
  private final LongAdder requests = new LongAdder();
  private final LongSupplier ownerRequests;
  private final LongAdder permitted = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  /** Tokens in thousandths; accessed through TOKENS. */
  @SuppressWarnings("unused")
  private volatile long milliTokens;

  TokenBucketRetryBudget(RetryBudgetConfig config) {
    this(config, null);
  }

  /** A budget that also reports the requests of its owning retry, read from {@code ownerRequests}. */
  TokenBucketRetryBudget(RetryBudgetConfig config, LongSupplier ownerRequests) {
    this.config = config;
    this.ownerRequests = ownerRequests;
    this.maxMilli = Math.round(config.maxTokens() * MILLI);
    this.thresholdMilli = maxMilli / 2;
    this.ratioMilli = Math.max(1, Math.round(config.tokenRatio() * MILLI));
    this.milliTokens = maxMilli;
  }

  @Override
  public void recordRequest() {
    requests.increment();
  }

  @Override
  public void recordSuccess() {
    long current = (long) TOKENS.getVolatile(this);
    while (current < maxMilli) {
      long next = Math.min(maxMilli, current + ratioMilli);
      long witness = (long) TOKENS.compareAndExchange(this, current, next);
      if (witness == current) {
        return;
      }
      current = witness;
    }
  }

  @Override
  public void recordFailure() {
    long current = (long) TOKENS.getVolatile(this);
    while (current > 0) {
      long next = Math.max(0, current - MILLI);
      long witness = (long) TOKENS.compareAndExchange(this, current, next);
      if (witness == current) {
        return;
      }
      current = witness;
    }
  }

  @Override
  public boolean tryAcquireRetry() {
    if ((long) TOKENS.getVolatile(this) > thresholdMilli) {
      permitted.increment();
      return true;
    }
    rejected.increment();
    return false;
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
    return (long) TOKENS.getVolatile(this) / (double) MILLI;
  }

  @Override
  public long availableRetries() {
    // each failed retry takes one token; retries stop once the level is at or below the threshold
    long above = (long) TOKENS.getVolatile(this) - thresholdMilli;
    return above <= 0 ? 0 : (above + MILLI - 1) / MILLI;
  }

  @Override
  public long requests() {
    return ownerRequests == null ? requests.sum() : requests.sum() + ownerRequests.getAsLong();
  }

  @Override
  public long retriesPermitted() {
    return permitted.sum();
  }

  @Override
  public long retriesRejected() {
    return rejected.sum();
  }

  @Override
  public String toString() {
    return "RetryBudget{" + config + ", tokens=" + balance() + '}';
  }
}
