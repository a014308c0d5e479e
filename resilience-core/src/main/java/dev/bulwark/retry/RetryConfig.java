package dev.bulwark.retry;

import dev.bulwark.ContextPropagator;
import dev.bulwark.OutcomeClassifier;
import dev.bulwark.internal.Check;
import dev.bulwark.internal.Contexts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The immutable configuration of a {@link Retry}: how many attempts, how long in total, how long between
 * attempts, what to retry, and the budget that keeps retries from multiplying load.
 *
 * <p>Every option is validated when set, with a message that names it, its rule and the bad value; the
 * defaults are safe in production: 3 attempts, exponential backoff from 100 ms doubling to at most 10 s with
 * full jitter, every {@link Exception} retried except rejections without a usable hint, and a retry budget of
 * 10% of requests plus 10 retries per second.
 *
 * <pre>{@code
 * RetryConfig config = RetryConfig.builder()
 *     .maxAttempts(4)
 *     .maxDuration(Duration.ofSeconds(2))
 *     .backoff(Backoff.exponential(Duration.ofMillis(50), 2.0, Duration.ofSeconds(1)).withJitter(Jitter.FULL))
 *     .retryOn(IOException.class)
 *     .abortOn(FileNotFoundException.class)
 *     .retryOnResult(response -> ((Response) response).status() == 503)
 *     .hintFromResult(response -> ((Response) response).retryAfter())
 *     .budget(RetryBudgetConfig.ratio(0.1))
 *     .build();
 * Retry retry = Retry.of("inventory", config);
 * }</pre>
 */
public final class RetryConfig {

  /** The default number of attempts, the first call included. */
  public static final int DEFAULT_MAX_ATTEMPTS = 3;
  /** The default backoff: exponential from 100 ms, doubling, capped at 10 s, full jitter. */
  public static final Backoff DEFAULT_BACKOFF =
      Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofSeconds(10)).withJitter(Jitter.FULL);
  /** The default longest hint the retry waits for. */
  public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofSeconds(10);

  private static final RetryConfig DEFAULTS = builder().build();

  private final int maxAttempts;
  private final Duration maxDuration;
  private final Backoff backoff;
  private final OutcomeClassifier classifier;
  private final Predicate<Throwable> abortIf;
  private final Predicate<Object> abortOnResult;
  private final RetryOnRejection onRejection;
  private final Duration maxRetryAfter;
  private final Function<Throwable, Duration> hintFromFailure;
  private final Function<Object, Duration> hintFromResult;
  private final RetryBudgetConfig budget;
  private final List<ContextPropagator> contextPropagators;

  private RetryConfig(Builder b) {
    this.maxAttempts = b.maxAttempts;
    this.maxDuration = b.maxDuration;
    this.backoff = b.backoff;
    this.classifier = b.classifier != null ? b.classifier : b.rules.build();
    this.abortIf = b.abortIf;
    this.abortOnResult = b.abortOnResult;
    this.onRejection = b.onRejection;
    this.maxRetryAfter = b.maxRetryAfter;
    this.hintFromFailure = b.hintFromFailure;
    this.hintFromResult = b.hintFromResult;
    this.budget = b.budget;
    this.contextPropagators = b.contextPropagators;
  }

  /**
   * Returns the default configuration.
   *
   * @return the defaults
   */
  public static RetryConfig defaults() {
    return DEFAULTS;
  }

  /**
   * Starts a configuration from the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the number of attempts, the first call included (default 3).
   *
   * @return the maximum number of attempts, at least 1
   */
  public int maxAttempts() {
    return maxAttempts;
  }

  /**
   * Returns the total time the attempts and waits of one call may take, if bounded (default: unbounded).
   *
   * @return the total duration, or empty
   */
  public Optional<Duration> maxDuration() {
    return Optional.ofNullable(maxDuration);
  }

  /**
   * Returns the backoff (default {@link #DEFAULT_BACKOFF}).
   *
   * @return the backoff
   */
  public Backoff backoff() {
    return backoff;
  }

  /**
   * Returns which failures and results are retried: those it classifies as {@link dev.bulwark.Outcome#FAILURE}
   * (default: every exception, no result).
   *
   * @return the classifier
   */
  public OutcomeClassifier classifier() {
    return classifier;
  }

  /**
   * Returns the rule that stops retrying at once on a failure (default: none).
   *
   * @return the abort predicate, or empty
   */
  public Optional<Predicate<Throwable>> abortIf() {
    return Optional.ofNullable(abortIf);
  }

  /**
   * Returns the rule that stops retrying at once on a result (default: none).
   *
   * @return the abort predicate, or empty
   */
  public Optional<Predicate<Object>> abortOnResult() {
    return Optional.ofNullable(abortOnResult);
  }

  /**
   * Returns how rejections by inner policies are retried (default {@link RetryOnRejection#IF_HINT_FITS}).
   *
   * @return the rejection handling
   */
  public RetryOnRejection onRejection() {
    return onRejection;
  }

  /**
   * Returns the longest hint the retry waits for (default 10 s); a longer hint fails the call at once.
   *
   * @return the longest hint
   */
  public Duration maxRetryAfter() {
    return maxRetryAfter;
  }

  /**
   * Returns how a delay hint is read from a failure, besides a rejection's own (default: none).
   *
   * @return the hint function, or empty
   */
  public Optional<Function<Throwable, Duration>> hintFromFailure() {
    return Optional.ofNullable(hintFromFailure);
  }

  /**
   * Returns how a delay hint is read from a retried result (default: none).
   *
   * @return the hint function, or empty
   */
  public Optional<Function<Object, Duration>> hintFromResult() {
    return Optional.ofNullable(hintFromResult);
  }

  /**
   * Returns the budget each {@link Retry} built from this configuration gets (default
   * {@link RetryBudgetConfig#defaults()}: 10% of requests plus 10 retries per second over 10 s).
   *
   * @return the budget configuration
   */
  public RetryBudgetConfig budget() {
    return budget;
  }

  /**
   * Returns the propagators that carry the caller's context to the threads where an asynchronous call's
   * later attempts start and its outcome is decided, in installation order (default: none).
   *
   * @return an immutable list, empty by default
   */
  public List<ContextPropagator> contextPropagators() {
    return contextPropagators;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RetryConfig other
        && maxAttempts == other.maxAttempts
        && Objects.equals(maxDuration, other.maxDuration)
        && backoff.equals(other.backoff)
        && classifier.equals(other.classifier)
        && Objects.equals(abortIf, other.abortIf)
        && Objects.equals(abortOnResult, other.abortOnResult)
        && onRejection == other.onRejection
        && maxRetryAfter.equals(other.maxRetryAfter)
        && Objects.equals(hintFromFailure, other.hintFromFailure)
        && Objects.equals(hintFromResult, other.hintFromResult)
        && budget.equals(other.budget)
        && contextPropagators.equals(other.contextPropagators);
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxAttempts, maxDuration, backoff, classifier, abortIf, abortOnResult, onRejection,
        maxRetryAfter, hintFromFailure, hintFromResult, budget, contextPropagators);
  }

  @Override
  public String toString() {
    return "RetryConfig{maxAttempts=" + maxAttempts
        + ", maxDuration=" + (maxDuration == null ? "unbounded" : maxDuration)
        + ", backoff=" + backoff
        + ", classifier=" + classifier
        + ", abortIf=" + (abortIf != null)
        + ", abortOnResult=" + (abortOnResult != null)
        + ", onRejection=" + onRejection
        + ", maxRetryAfter=" + maxRetryAfter
        + ", hintFromFailure=" + (hintFromFailure != null)
        + ", hintFromResult=" + (hintFromResult != null)
        + ", budget=" + budget
        + ", contextPropagators=" + contextPropagators.size() + '}';
  }

  /**
   * Builds a {@link RetryConfig}; each option is checked when set, conflicts when built.
   *
   * <pre>{@code
   * RetryConfig config = RetryConfig.builder().maxAttempts(5).backoff(Backoff.fixed(Duration.ofMillis(200))).build();
   * }</pre>
   */
  public static final class Builder {
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration maxDuration;
    private Backoff backoff = DEFAULT_BACKOFF;
    private OutcomeClassifier classifier;
    private final OutcomeClassifier.Builder rules = OutcomeClassifier.builder();
    private final List<String> ruleOptions = new ArrayList<>();
    private Predicate<Throwable> abortIf;
    private Predicate<Object> abortOnResult;
    private RetryOnRejection onRejection = RetryOnRejection.IF_HINT_FITS;
    private Duration maxRetryAfter = DEFAULT_MAX_RETRY_AFTER;
    private Function<Throwable, Duration> hintFromFailure;
    private Function<Object, Duration> hintFromResult;
    private RetryBudgetConfig budget = RetryBudgetConfig.defaults();
    private List<ContextPropagator> contextPropagators = List.of();
    private boolean contextPropagatorsSet;

    private Builder() {}

    /**
     * Sets the number of attempts, the first call included. Default 3.
     *
     * @param maxAttempts at least 1 (1 means no retry)
     * @return this builder
     */
    public Builder maxAttempts(int maxAttempts) {
      this.maxAttempts = Check.positive("maxAttempts", maxAttempts);
      return this;
    }

    /**
     * Bounds the total time of one call, attempts and waits together: no wait begins that would not end
     * inside it, so no attempt starts after it. Each attempt also runs under a {@link dev.bulwark.Deadline}
     * at the end of this duration, which inner policies (a timeout, a bulkhead's queue) respect. Default:
     * unbounded (a surrounding deadline still applies).
     *
     * @param maxDuration positive
     * @return this builder
     */
    public Builder maxDuration(Duration maxDuration) {
      Check.positiveNanos("maxDuration", maxDuration);
      this.maxDuration = maxDuration;
      return this;
    }

    /**
     * Sets the backoff between attempts. Default {@link #DEFAULT_BACKOFF}.
     *
     * @param backoff the backoff
     * @return this builder
     */
    public Builder backoff(Backoff backoff) {
      this.backoff = Objects.requireNonNull(backoff, "backoff");
      return this;
    }

    /**
     * Retries only these exceptions (and their subclasses), plus any other {@code retryOn}/{@code retryIf}
     * rule. Default: every exception.
     *
     * @param types the exception types
     * @return this builder
     */
    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read
    public final Builder retryOn(Class<? extends Throwable>... types) {
      checkTypes("retryOn", types);
      rules.recordExceptions(types);
      ruleOptions.add("retryOn");
      return this;
    }

    /**
     * Retries exceptions matching {@code predicate}, combined with the other retry rules by "or".
     *
     * @param predicate tested against the unwrapped exception
     * @return this builder
     */
    public Builder retryIf(Predicate<? super Throwable> predicate) {
      rules.recordIf(Objects.requireNonNull(predicate, "retryIf"));
      ruleOptions.add("retryIf");
      return this;
    }

    /**
     * Never retries these exceptions, even if a retry rule matches them.
     *
     * @param types the exception types
     * @return this builder
     */
    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read
    public final Builder ignore(Class<? extends Throwable>... types) {
      checkTypes("ignore", types);
      rules.ignoreExceptions(types);
      ruleOptions.add("ignore");
      return this;
    }

    /**
     * Retries calls whose result matches {@code predicate}, such as an HTTP 503 response. When the attempts
     * run out, the caller gets the last result.
     *
     * @param predicate tested against each result, possibly {@code null}
     * @return this builder
     */
    public Builder retryOnResult(Predicate<Object> predicate) {
      rules.recordResult(Objects.requireNonNull(predicate, "retryOnResult"));
      ruleOptions.add("retryOnResult");
      return this;
    }

    /**
     * Uses {@code classifier} to decide what is retried: outcomes it classifies as failures. Cannot be
     * combined with {@code retryOn}, {@code retryIf}, {@code ignore} or {@code retryOnResult}.
     *
     * @param classifier the classifier, such as one shared with a circuit breaker
     * @return this builder
     */
    public Builder classifier(OutcomeClassifier classifier) {
      this.classifier = Objects.requireNonNull(classifier, "classifier");
      return this;
    }

    /**
     * Stops retrying at once when a failure is one of these types; beats every retry rule.
     *
     * @param types the exception types
     * @return this builder
     */
    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read
    public final Builder abortOn(Class<? extends Throwable>... types) {
      List<Class<? extends Throwable>> list = List.copyOf(Arrays.asList(checkTypes("abortOn", types)));
      return abortIf(failure -> {
        for (Class<? extends Throwable> type : list) {
          if (type.isInstance(failure)) {
            return true;
          }
        }
        return false;
      });
    }

    /**
     * Stops retrying at once when a failure matches {@code predicate} (combined with other abort rules by
     * "or"); beats every retry rule.
     *
     * @param predicate tested against the unwrapped exception
     * @return this builder
     */
    public Builder abortIf(Predicate<? super Throwable> predicate) {
      Objects.requireNonNull(predicate, "abortIf");
      Predicate<Throwable> previous = abortIf;
      abortIf = previous == null ? predicate::test : t -> previous.test(t) || predicate.test(t);
      return this;
    }

    /**
     * Stops retrying at once when a result matches {@code predicate}, returning that result; beats
     * {@link #retryOnResult(Predicate)}.
     *
     * @param predicate tested against each result, possibly {@code null}
     * @return this builder
     */
    public Builder abortOnResult(Predicate<Object> predicate) {
      Objects.requireNonNull(predicate, "abortOnResult");
      Predicate<Object> previous = abortOnResult;
      abortOnResult = previous == null ? predicate : r -> previous.test(r) || predicate.test(r);
      return this;
    }

    /**
     * Sets how rejections by inner policies are retried. Default {@link RetryOnRejection#IF_HINT_FITS}.
     *
     * @param onRejection the rejection handling
     * @return this builder
     */
    public Builder onRejection(RetryOnRejection onRejection) {
      this.onRejection = Objects.requireNonNull(onRejection, "onRejection");
      return this;
    }

    /**
     * Sets the longest hint (a {@code Retry-After}, a rejection's {@code retryAfter}) the retry waits for; a
     * longer one fails the call at once. Default 10 s.
     *
     * @param maxRetryAfter zero or positive
     * @return this builder
     */
    public Builder maxRetryAfter(Duration maxRetryAfter) {
      Check.notNegativeNanos("maxRetryAfter", maxRetryAfter);
      this.maxRetryAfter = maxRetryAfter;
      return this;
    }

    /**
     * Reads a delay hint from a retryable failure, such as the {@code Retry-After} of an HTTP 429 carried
     * by the exception. A hint replaces the computed delay. The function returns {@code null} when the
     * failure has no hint. Rejections carry their own hint, read without this function.
     *
     * @param hint returns the delay, or {@code null}
     * @return this builder
     */
    public Builder hintFromFailure(Function<? super Throwable, Duration> hint) {
      Objects.requireNonNull(hint, "hintFromFailure");
      this.hintFromFailure = hint::apply;
      return this;
    }

    /**
     * Reads a delay hint from a retried result, such as the {@code Retry-After} header of a 503 response.
     *
     * @param hint returns the delay, or {@code null}
     * @return this builder
     */
    public Builder hintFromResult(Function<Object, Duration> hint) {
      this.hintFromResult = Objects.requireNonNull(hint, "hintFromResult");
      return this;
    }

    /**
     * Sets the budget each {@link Retry} built from this configuration gets. Default
     * {@link RetryBudgetConfig#defaults()}; {@link RetryBudgetConfig#unlimited()} turns it off.
     *
     * @param budget the budget configuration
     * @return this builder
     */
    public Builder budget(RetryBudgetConfig budget) {
      this.budget = Objects.requireNonNull(budget, "budget");
      return this;
    }

    /**
     * Sets the propagators that carry the caller's thread-bound context (a logging MDC, a security context)
     * through an asynchronous call: captured once, on the caller's thread, when
     * {@link Retry#callAsync} starts; installed on the scheduler thread around each later attempt's start,
     * and on the thread that completes an attempt around the retry's decision and the completion of the
     * returned stage (so a fallback on it sees the context); closed, in reverse order, afterwards.
     * Synchronous calls never change thread and ignore them. Give the same propagators as the inner
     * {@link dev.bulwark.bulkhead.ThreadPoolBulkhead}, which then captures the caller's context for every
     * attempt, not the scheduler thread's. Default: none.
     *
     * <pre>{@code
     * ContextPropagator user = ContextPropagator.ofThreadLocal(CurrentUser.HOLDER);
     * RetryConfig config = RetryConfig.builder().contextPropagators(user).build();
     * }</pre>
     *
     * @param propagators the propagators, installed in this order and closed in reverse; none clears them
     * @return this builder
     * @throws IllegalStateException if the propagators were already set
     */
    public Builder contextPropagators(ContextPropagator... propagators) {
      this.contextPropagators = Contexts.setOnce(contextPropagatorsSet, contextPropagators, propagators);
      contextPropagatorsSet = true;
      return this;
    }

    /**
     * Builds the configuration.
     *
     * @return an immutable configuration
     * @throws IllegalStateException if a classifier and classification rules were both set
     */
    public RetryConfig build() {
      if (classifier != null && !ruleOptions.isEmpty()) {
        throw new IllegalStateException("classifier was set, so " + String.join(", ", ruleOptions)
            + " cannot be used as well; put those rules into the classifier");
      }
      return new RetryConfig(this);
    }

    private static Class<? extends Throwable>[] checkTypes(String option, Class<? extends Throwable>[] types) {
      Objects.requireNonNull(types, option);
      if (types.length == 0) {
        throw new IllegalArgumentException(option + " must name at least one exception type, was []");
      }
      for (Class<? extends Throwable> type : types) {
        Objects.requireNonNull(type, option + " must not contain null");
      }
      return types;
    }
  }
}
