package dev.bulwark.retry;

import dev.bulwark.CallNotPermittedException;
import dev.bulwark.Clock;
import dev.bulwark.ContextPropagator;
import dev.bulwark.Deadline;
import dev.bulwark.Outcome;
import dev.bulwark.OutcomeClassifier;
import dev.bulwark.Scheduler;
import dev.bulwark.Sleeper;
import dev.bulwark.internal.Check;
import dev.bulwark.internal.Contexts;
import dev.bulwark.internal.Exceptions;
import dev.bulwark.internal.Listeners;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The retry policy.
 *
 * <pre>
 * Implementation notes
 *
 * A retry has no admission state of its own: everything that is shared between calls lives in the budget
 * (see RatioRetryBudget, TokenBucketRetryBudget) and in LongAdder statistics. What a call needs between
 * attempts (attempt number, previous backoff, earlier failures, start time, deadline) lives in an Attempts
 * object that is only created once the first attempt has failed.
 *
 * Synchronous success path: the call, the result check (a null check and the classifier's result rule),
 * budget.recordSuccess() (nothing, or one volatile read of a full token bucket), one LongAdder increment.
 * No clock read, no deadline lookup, no allocation, one atomic instruction. The budget's request count
 * comes for free: a budget created from the config reads it from successWithoutRetry + firstAttemptFailures
 * (the latter counted when a call enters the slow path, before it asks the budget for a retry). A shared
 * budget, given to the builder, is told of each request with recordRequest(): one more increment. With
 * maxDuration set, the call also reads the clock and installs a Deadline (one object).
 *
 * Decision, after a failed attempt (shouldRetry): interrupt, Error, abort rule, rejection handling,
 * classifier, attempts left; then the delay (the failure's hint, else the backoff); then time (maxDuration,
 * then the deadline: the wait must end strictly before either, so an attempt can still run); the budget is
 * asked last, so a retry that time forbids never spends budget.
 *
 * Asynchronous calls: AsyncRetry is the returned future and the callback of each attempt at once. Its
 * Attempts object is handed from the completing thread to the scheduler thread and back through the
 * stage's completion and the scheduler, both of which publish it safely; a call never has two attempts in
 * flight. Zero-delay retries run through a work-in-progress counter (trampoline), so a supplier that
 * completes synchronously cannot grow the stack with the number of attempts.
 *
 * Context propagation: an asynchronous call leaves the caller's thread twice: a later attempt starts on the
 * scheduler thread after its backoff, and the retry decides (and completes the caller's stage) on whatever
 * thread completed an attempt. Thread-locals such as an MDC or a security context are absent on both, and an
 * inner thread-pool bulkhead would capture that emptiness as "the caller's context" for attempts 2 and
 * later. So callAsync captures the configured ContextPropagators once, on the caller's thread, and
 * AsyncRetry installs that snapshot around the scheduled task and around each completion callback.
 * Capturing when the call starts, not when the wait is scheduled, is deliberate: Resilience4j's
 * ContextAwareScheduledThreadPoolExecutor captures at schedule time, which for a retry is the thread that
 * completed the failed attempt (an HTTP client's I/O thread, a timeout's timer), so its users still lose
 * the MDC there (resilience4j issues 1265, 1900). The propagators come from RetryConfig, like the
 * bulkhead's from its config, so the retry knows nothing of the bulkhead. Without propagators the snapshot
 * is the shared Contexts.NONE (no allocation); the synchronous path never looks at them.
 *
 * Suppressed failures: the failure given to the caller gets the earlier ones as suppressed (the first
 * MAX_SUPPRESSED of them, so a huge maxAttempts cannot hold on to unbounded memory), skipping itself and any
 * already attached, so a failure instance a caller throws again and again does not grow without bound.
 * </pre>
 */
final class RetryImpl implements Retry, Retry.Metrics {
  static final long UNBOUNDED = Long.MAX_VALUE;
  /** The earlier failures kept per call to attach as suppressed; later ones are dropped to bound memory. */
  static final int MAX_SUPPRESSED = 32;
  static final int ACCEPT = 0;
  static final int ABORT = 1;
  static final int RETRY = 2;

  final String name;
  final RetryConfig config;
  final Clock clock;
  final Sleeper sleeper;
  final Scheduler scheduler;
  final RandomGenerator random;
  final RetryBudget budget;
  /** Whether the budget is this retry's own: it then reads the requests from our counters. */
  private final boolean ownsBudget;
  final Listeners<RetryEvent> listeners;

  private final int maxAttempts;
  private final Duration maxDuration;
  private final long maxDurationNanos;
  private final Backoff backoff;
  private final OutcomeClassifier classifier;
  private final Predicate<Throwable> abortIf;
  private final Predicate<Object> abortOnResult;
  private final RetryOnRejection onRejection;
  private final long maxRetryAfterNanos;
  private final Function<Throwable, Duration> hintFromFailure;
  private final Function<Object, Duration> hintFromResult;
  private final ContextPropagator[] propagators;

  private final LongAdder successWithoutRetry = new LongAdder();
  /** Calls whose first attempt did not succeed; with successWithoutRetry, the requests of an own budget. */
  private final LongAdder firstAttemptFailures = new LongAdder();
  private final LongAdder successWithRetry = new LongAdder();
  private final LongAdder failedWithoutRetry = new LongAdder();
  private final LongAdder failedWithRetry = new LongAdder();
  final LongAdder retries = new LongAdder();
  private final LongAdder stoppedByBudget = new LongAdder();
  private final LongAdder stoppedByTime = new LongAdder();

  RetryImpl(Retry.Builder b) {
    this.name = b.name;
    this.config = b.config;
    this.clock = b.clock;
    this.sleeper = b.sleeper;
    this.scheduler = b.scheduler != null ? b.scheduler : Scheduler.defaultScheduler();
    this.random = b.random != null ? b.random : ThreadLocalRandomGenerator.INSTANCE;
    this.ownsBudget = b.budget == null;
    this.budget = ownsBudget ? ownBudget(config.budget(), clock) : b.budget;
    this.listeners = b.listeners.build();
    this.maxAttempts = config.maxAttempts();
    this.maxDuration = config.maxDuration().orElse(null);
    this.maxDurationNanos = maxDuration == null ? UNBOUNDED : Check.saturatedNanos(maxDuration);
    this.backoff = config.backoff();
    this.classifier = config.classifier();
    this.abortIf = config.abortIf().orElse(null);
    this.abortOnResult = config.abortOnResult().orElse(null);
    this.onRejection = config.onRejection();
    this.maxRetryAfterNanos = Check.saturatedNanos(config.maxRetryAfter());
    this.hintFromFailure = config.hintFromFailure().orElse(null);
    this.hintFromResult = config.hintFromResult().orElse(null);
    this.propagators = Contexts.toArray(config.contextPropagators());
  }

  /** Creates this retry's own budget, which counts requests from the retry's first-attempt counters. */
  private RetryBudget ownBudget(RetryBudgetConfig budgetConfig, Clock budgetClock) {
    LongSupplier requests = () -> successWithoutRetry.sum() + firstAttemptFailures.sum();
    switch (budgetConfig.mode()) {
      case RATIO:
        return new RatioRetryBudget(budgetConfig, budgetClock, requests);
      case TOKEN_BUCKET:
        return new TokenBucketRetryBudget(budgetConfig, requests);
      default:
        return UnlimitedRetryBudget.INSTANCE;
    }
  }

  /** Records a call's request in a shared budget; an own budget reads it from the counters. */
  void recordRequest() {
    if (!ownsBudget) {
      budget.recordRequest();
    }
  }

  /** What a call needs between attempts; created at the first failure, used by one thread at a time. */
  static final class Attempts {
    final long startNanos;
    final Deadline deadline;
    int attempt = 1;
    long previousBackoffNanos;
    long delayNanos;
    boolean hinted;
    StopReason reason;
    private Throwable[] earlier;
    private int earlierCount;

    Attempts(long startNanos, Deadline deadline) {
      this.startNanos = startNanos;
      this.deadline = deadline;
    }

    void remember(Throwable failure) {
      if (failure == null || earlierCount == MAX_SUPPRESSED) {
        return;
      }
      if (earlier == null) {
        earlier = new Throwable[4];
      } else if (earlierCount == earlier.length) {
        earlier = java.util.Arrays.copyOf(earlier, earlierCount * 2);
      }
      earlier[earlierCount++] = failure;
    }

    /** Attaches the earlier failures to {@code last} as suppressed, each at most once. */
    void attachTo(Throwable last) {
      for (int i = 0; i < earlierCount; i++) {
        Throwable failure = earlier[i];
        if (failure != last && !isSuppressedBy(last, failure)) {
          last.addSuppressed(failure);
        }
      }
    }
  }

  static boolean isSuppressedBy(Throwable holder, Throwable candidate) {
    for (Throwable suppressed : holder.getSuppressed()) {
      if (suppressed == candidate) {
        return true;
      }
    }
    return false;
  }

  // ------------------------------------------------------------------------------------------ sync

  @Override
  public <T> T call(Callable<? extends T> callable) throws Exception {
    Objects.requireNonNull(callable, "callable");
    if (maxDurationNanos == UNBOUNDED) {
      return callSync(callable, 0);
    }
    long start = clock.nanoTime();
    return Deadline.after(maxDuration, clock).call(() -> callSync(callable, start));
  }

  private <T> T callSync(Callable<? extends T> callable, long start) throws Exception {
    recordRequest();
    T result;
    try {
      result = callable.call();
    } catch (Throwable failure) {
      return retrySync(callable, start, failure, null, RETRY);
    }
    int action = resultAction(result);
    if (action == ACCEPT) {
      budget.recordSuccess();
      successWithoutRetry.increment();
      return result;
    }
    return retrySync(callable, start, null, result, action);
  }

  private <T> T retrySync(Callable<? extends T> callable, long start, Throwable failure, T result, int action)
      throws Exception {
    firstAttemptFailures.increment();
    Attempts attempts = new Attempts(start, Deadline.current());
    while (true) {
      if (!shouldRetry(attempts, failure, result, action, true)) {
        return finishSync(attempts, failure, result);
      }
      emitRetrying(attempts, failure);
      try {
        sleeper.sleep(attempts.delayNanos);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        attempts.reason = StopReason.INTERRUPTED;
        if (failure != null && failure != interrupted) {
          failure.addSuppressed(interrupted);
        }
        return finishSync(attempts, failure, result);
      }
      if (Thread.currentThread().isInterrupted()) {
        attempts.reason = StopReason.INTERRUPTED;
        return finishSync(attempts, failure, result);
      }
      attempts.remember(failure);
      attempts.attempt++;
      retries.increment();
      try {
        result = callable.call();
        failure = null;
      } catch (Throwable next) {
        failure = next;
        result = null;
        action = RETRY;
        continue;
      }
      action = resultAction(result);
      if (action == ACCEPT) {
        succeededAfterRetry(attempts);
        return result;
      }
    }
  }

  private <T> T finishSync(Attempts attempts, Throwable failure, T result) {
    stopped(attempts, failure);
    if (failure == null) {
      return result;
    }
    attempts.attachTo(failure);
    throw Exceptions.sneakyThrow(failure);
  }

  // ----------------------------------------------------------------------------------------- async

  @Override
  public <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<? extends T>> supplier) {
    Objects.requireNonNull(supplier, "supplier");
    ContextPropagator.Snapshot context;
    try {
      context = Contexts.capture(propagators);
    } catch (RuntimeException | Error failure) {
      return CompletableFuture.failedFuture(failure);
    }
    Deadline outer = Deadline.current();
    long start = 0;
    Deadline attemptDeadline = outer;
    if (maxDurationNanos != UNBOUNDED) {
      start = clock.nanoTime();
      Deadline own = Deadline.after(maxDuration, clock);
      attemptDeadline = outer != null && outer.remainingNanos() <= own.remainingNanos() ? outer : own;
    }
    AsyncRetry<T> call = new AsyncRetry<>(this, supplier, start, outer, attemptDeadline, context);
    recordRequest();
    call.drain();
    return call;
  }

  // -------------------------------------------------------------------------------------- decisions

  /** Classifies a normal result: accept it, abort with it, or retry. */
  int resultAction(Object result) {
    if (abortOnResult != null && abortOnResult.test(result)) {
      return ABORT;
    }
    return classifier.classifyResult(result) == Outcome.FAILURE ? RETRY : ACCEPT;
  }

  /**
   * Decides whether to retry after an attempt that failed with {@code failure} (or returned {@code result}
   * with {@code action} ABORT or RETRY). On {@code true}, {@link Attempts#delayNanos} holds the wait and
   * the budget has granted the retry; on {@code false}, {@link Attempts#reason} says why not.
   */
  boolean shouldRetry(Attempts a, Throwable failure, Object result, int action, boolean sync) {
    long hint = -1;
    if (failure != null) {
      Throwable cause = OutcomeClassifier.unwrap(failure);
      if (cause instanceof InterruptedException || (sync && Thread.currentThread().isInterrupted())) {
        return stop(a, StopReason.INTERRUPTED);
      }
      if (cause instanceof Error) {
        return stop(a, StopReason.NOT_RETRYABLE);
      }
      if (abortIf != null && abortIf.test(cause)) {
        return stop(a, StopReason.ABORTED);
      }
      if (cause instanceof CallNotPermittedException) {
        if (onRejection == RetryOnRejection.NEVER) {
          return stop(a, StopReason.REJECTED);
        }
        hint = ((CallNotPermittedException) cause).retryAfterNanos();
        if (hint < 0 && onRejection == RetryOnRejection.IF_HINT_FITS) {
          return stop(a, StopReason.REJECTED);
        }
      } else {
        if (classifier.classifyFailure(cause) != Outcome.FAILURE) {
          return stop(a, StopReason.NOT_RETRYABLE);
        }
        budget.recordFailure();
        if (hintFromFailure != null) {
          hint = hintNanos(hintFromFailure.apply(cause));
        }
      }
    } else {
      if (action == ABORT) {
        return stop(a, StopReason.ABORTED);
      }
      budget.recordFailure();
      if (hintFromResult != null) {
        hint = hintNanos(hintFromResult.apply(result));
      }
    }
    if (a.attempt >= maxAttempts) {
      return stop(a, StopReason.MAX_ATTEMPTS);
    }
    long delay;
    boolean hinted = hint >= 0;
    if (hinted) {
      if (hint > maxRetryAfterNanos) {
        return stop(a, StopReason.HINT_TOO_LONG);
      }
      delay = hint;
    } else {
      delay = backoff.delayNanos(a.attempt, a.previousBackoffNanos, random);
      if (delay < 0) {
        throw new IllegalStateException("the backoff " + backoff + " must return a delay >= 0, returned "
            + delay + " ns for retry " + a.attempt);
      }
      a.previousBackoffNanos = delay;
    }
    if (maxDurationNanos != UNBOUNDED && delay >= maxDurationNanos - (clock.nanoTime() - a.startNanos)) {
      return stop(a, StopReason.MAX_DURATION);
    }
    if (a.deadline != null && delay >= a.deadline.remainingNanos()) {
      return stop(a, StopReason.DEADLINE);
    }
    if (!budget.tryAcquireRetry()) {
      return stop(a, StopReason.BUDGET_EXHAUSTED);
    }
    a.delayNanos = delay;
    a.hinted = hinted;
    return true;
  }

  private static boolean stop(Attempts a, StopReason reason) {
    a.reason = reason;
    return false;
  }

  private static long hintNanos(Duration hint) {
    return hint == null ? -1 : Math.max(0, Check.saturatedNanos(hint));
  }

  // ---------------------------------------------------------------------------- outcomes and events

  /** The first attempt of an asynchronous call did not succeed. */
  void firstAttemptFailed() {
    firstAttemptFailures.increment();
  }

  void succeededFirstTime() {
    budget.recordSuccess();
    successWithoutRetry.increment();
  }

  void succeededAfterRetry(Attempts a) {
    budget.recordSuccess();
    successWithRetry.increment();
    if (listeners.wants(RetryEvent.Succeeded.class)) {
      listeners.emit(new RetryEvent.Succeeded(name, a.attempt));
    }
  }

  /** Counts a call that ended with {@code failure} (or a result, if null) and tells the listeners. */
  void stopped(Attempts a, Throwable failure) {
    (a.attempt == 1 ? failedWithoutRetry : failedWithRetry).increment();
    StopReason reason = a.reason;
    if (reason == StopReason.BUDGET_EXHAUSTED) {
      stoppedByBudget.increment();
    } else if (reason == StopReason.MAX_DURATION || reason == StopReason.DEADLINE
        || reason == StopReason.HINT_TOO_LONG) {
      stoppedByTime.increment();
    }
    if (listeners.wants(RetryEvent.Failed.class)) {
      listeners.emit(new RetryEvent.Failed(name, a.attempt, reason,
          failure == null ? null : OutcomeClassifier.unwrap(failure)));
    }
  }

  void emitRetrying(Attempts a, Throwable failure) {
    if (listeners.wants(RetryEvent.Retrying.class)) {
      listeners.emit(new RetryEvent.Retrying(name, a.attempt, Duration.ofNanos(a.delayNanos), a.hinted,
          failure == null ? null : OutcomeClassifier.unwrap(failure)));
    }
  }

  // ------------------------------------------------------------------------------------ accessors

  @Override
  public String name() {
    return name;
  }

  @Override
  public RetryConfig config() {
    return config;
  }

  @Override
  public RetryBudget budget() {
    return budget;
  }

  @Override
  public Metrics metrics() {
    return this;
  }

  @Override
  public long successfulCallsWithoutRetry() {
    return successWithoutRetry.sum();
  }

  @Override
  public long successfulCallsWithRetry() {
    return successWithRetry.sum();
  }

  @Override
  public long failedCallsWithoutRetry() {
    return failedWithoutRetry.sum();
  }

  @Override
  public long failedCallsWithRetry() {
    return failedWithRetry.sum();
  }

  @Override
  public long retries() {
    return retries.sum();
  }

  @Override
  public long callsStoppedByBudget() {
    return stoppedByBudget.sum();
  }

  @Override
  public long callsStoppedByTime() {
    return stoppedByTime.sum();
  }

  @Override
  public double budgetBalance() {
    return budget.metrics().balance();
  }

  @Override
  public String toString() {
    return "Retry{name=" + name + ", " + config + '}';
  }
}
