package dev.bulwark;

import dev.bulwark.internal.Check;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;

/**
 * Decides which outcomes of a call are failures, which are ignored and which are slow: one concept shared by
 * every policy.
 *
 * <p>The rules, in order of precedence:
 * <ol>
 *   <li>{@link CompletionException} and {@link ExecutionException} are unwrapped to their cause first, at any
 *       depth, so sync and async calls classify alike.</li>
 *   <li>An exception matched by an <em>ignore</em> rule is {@link Outcome#IGNORED}, even if a record rule
 *       matches too: ignore beats record.</li>
 *   <li>An exception matched by a <em>record</em> rule is a {@link Outcome#FAILURE}. When no record rule is
 *       configured, every exception is a failure.</li>
 *   <li>Any other exception is a {@link Outcome#SUCCESS} (the dependency answered; the error is the
 *       caller's, such as a validation error).</li>
 *   <li>A result matched by a result rule is a failure; any other result is a success.</li>
 * </ol>
 * Slowness is separate from the outcome: a call that took at least {@link #slowCallDurationNanos()} is slow,
 * whether it succeeded or failed.
 *
 * <pre>{@code
 * OutcomeClassifier classifier = OutcomeClassifier.builder()
 *     .recordExceptions(IOException.class, TimeoutException.class)
 *     .ignoreExceptions(FileNotFoundException.class)        // an IOException, but ignored
 *     .recordResult(response -> ((Response) response).status() >= 500)
 *     .slowCallDuration(Duration.ofSeconds(2))
 *     .build();
 * }</pre>
 */
public final class OutcomeClassifier {

  private static final OutcomeClassifier DEFAULTS = builder().build();

  private final List<Class<? extends Throwable>> recordExceptions;
  private final List<Class<? extends Throwable>> ignoreExceptions;
  private final Predicate<Throwable> recordIf;
  private final Predicate<Throwable> ignoreIf;
  private final Predicate<Object> recordResult;
  private final boolean hasRecordRule;
  private final long slowCallDurationNanos;

  private OutcomeClassifier(Builder b) {
    this.recordExceptions = List.copyOf(b.recordExceptions);
    this.ignoreExceptions = List.copyOf(b.ignoreExceptions);
    this.recordIf = b.recordIf;
    this.ignoreIf = b.ignoreIf;
    this.recordResult = b.recordResult;
    this.hasRecordRule = !recordExceptions.isEmpty() || recordIf != null;
    this.slowCallDurationNanos = b.slowCallDurationNanos;
  }

  /**
   * Returns the default classifier: every exception is a failure, every result a success, no call is slow.
   *
   * @return the default classifier
   */
  public static OutcomeClassifier defaults() {
    return DEFAULTS;
  }

  /**
   * Starts a classifier with the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Strips {@link CompletionException} and {@link ExecutionException} wrappers, at any depth.
   *
   * @param failure the exception as caught
   * @return the first cause that is not such a wrapper (the argument itself if it is none)
   */
  public static Throwable unwrap(Throwable failure) {
    Throwable current = Objects.requireNonNull(failure, "failure");
    while ((current instanceof CompletionException || current instanceof ExecutionException)
        && current.getCause() != null
        && current.getCause() != current) {
      current = current.getCause();
    }
    return current;
  }

  /**
   * Classifies a failure, after unwrapping it.
   *
   * @param failure what the call threw
   * @return {@link Outcome#IGNORED}, {@link Outcome#FAILURE} or {@link Outcome#SUCCESS}, as described above
   */
  public Outcome classifyFailure(Throwable failure) {
    Throwable cause = unwrap(failure);
    if (matches(ignoreExceptions, cause) || (ignoreIf != null && ignoreIf.test(cause))) {
      return Outcome.IGNORED;
    }
    if (!hasRecordRule || matches(recordExceptions, cause) || (recordIf != null && recordIf.test(cause))) {
      return Outcome.FAILURE;
    }
    return Outcome.SUCCESS;
  }

  /**
   * Classifies a normal result.
   *
   * @param result what the call returned, possibly {@code null}
   * @return {@link Outcome#FAILURE} if a result rule matches, otherwise {@link Outcome#SUCCESS}
   */
  public Outcome classifyResult(Object result) {
    return recordResult != null && recordResult.test(result) ? Outcome.FAILURE : Outcome.SUCCESS;
  }

  /**
   * Tells whether a call of this duration is slow.
   *
   * @param durationNanos how long the call took
   * @return {@code true} if it took at least {@link #slowCallDurationNanos()}
   */
  public boolean isSlow(long durationNanos) {
    return durationNanos >= slowCallDurationNanos;
  }

  /**
   * Returns the duration from which a call is slow; {@link Long#MAX_VALUE} (the default) means never.
   *
   * @return the slow-call duration in nanoseconds
   */
  public long slowCallDurationNanos() {
    return slowCallDurationNanos;
  }

  private static boolean matches(List<Class<? extends Throwable>> types, Throwable failure) {
    for (int i = 0; i < types.size(); i++) {
      if (types.get(i).isInstance(failure)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof OutcomeClassifier other
        && recordExceptions.equals(other.recordExceptions)
        && ignoreExceptions.equals(other.ignoreExceptions)
        && Objects.equals(recordIf, other.recordIf)
        && Objects.equals(ignoreIf, other.ignoreIf)
        && Objects.equals(recordResult, other.recordResult)
        && slowCallDurationNanos == other.slowCallDurationNanos;
  }

  @Override
  public int hashCode() {
    return Objects.hash(recordExceptions, ignoreExceptions, recordIf, ignoreIf, recordResult,
        slowCallDurationNanos);
  }

  @Override
  public String toString() {
    return "OutcomeClassifier{record=" + names(recordExceptions)
        + (recordIf != null ? " + predicate" : "")
        + ", ignore=" + names(ignoreExceptions)
        + (ignoreIf != null ? " + predicate" : "")
        + ", recordResult=" + (recordResult != null)
        + ", slowCallDuration="
        + (slowCallDurationNanos == Long.MAX_VALUE ? "never" : Duration.ofNanos(slowCallDurationNanos))
        + '}';
  }

  private static String names(List<Class<? extends Throwable>> types) {
    if (types.isEmpty()) {
      return "[]";
    }
    List<String> names = new ArrayList<>();
    types.forEach(t -> names.add(t.getSimpleName()));
    return names.toString();
  }

  /** Builds an {@link OutcomeClassifier}; each rule adds to the ones set before. */
  public static final class Builder {
    private final List<Class<? extends Throwable>> recordExceptions = new ArrayList<>();
    private final List<Class<? extends Throwable>> ignoreExceptions = new ArrayList<>();
    private Predicate<Throwable> recordIf;
    private Predicate<Throwable> ignoreIf;
    private Predicate<Object> recordResult;
    private long slowCallDurationNanos = Long.MAX_VALUE;

    private Builder() {}

    /**
     * Counts these exceptions (and their subclasses) as failures; once any record rule is set, other
     * exceptions count as successes.
     *
     * @param types the exception types
     * @return this builder
     */
    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read
    public final Builder recordExceptions(Class<? extends Throwable>... types) {
      recordExceptions.addAll(checkTypes("recordExceptions", types));
      return this;
    }

    /**
     * Ignores these exceptions (and their subclasses): they count as neither success nor failure. Ignore
     * rules beat record rules.
     *
     * @param types the exception types
     * @return this builder
     */
    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read
    public final Builder ignoreExceptions(Class<? extends Throwable>... types) {
      ignoreExceptions.addAll(checkTypes("ignoreExceptions", types));
      return this;
    }

    /**
     * Counts exceptions matching {@code predicate} as failures (combined with other record rules by "or").
     *
     * @param predicate tested against the unwrapped exception
     * @return this builder
     */
    public Builder recordIf(Predicate<? super Throwable> predicate) {
      Objects.requireNonNull(predicate, "recordIf");
      Predicate<Throwable> previous = recordIf;
      recordIf = previous == null ? predicate::test : t -> previous.test(t) || predicate.test(t);
      return this;
    }

    /**
     * Ignores exceptions matching {@code predicate} (combined with other ignore rules by "or").
     *
     * @param predicate tested against the unwrapped exception
     * @return this builder
     */
    public Builder ignoreIf(Predicate<? super Throwable> predicate) {
      Objects.requireNonNull(predicate, "ignoreIf");
      Predicate<Throwable> previous = ignoreIf;
      ignoreIf = previous == null ? predicate::test : t -> previous.test(t) || predicate.test(t);
      return this;
    }

    /**
     * Counts results matching {@code predicate} as failures, such as an HTTP 503 response.
     *
     * @param predicate tested against each normal result, possibly {@code null}
     * @return this builder
     */
    public Builder recordResult(Predicate<Object> predicate) {
      Objects.requireNonNull(predicate, "recordResult");
      Predicate<Object> previous = recordResult;
      recordResult = previous == null ? predicate : r -> previous.test(r) || predicate.test(r);
      return this;
    }

    /**
     * Calls that take at least this long are slow. Default: never.
     *
     * @param duration a positive duration
     * @return this builder
     */
    public Builder slowCallDuration(Duration duration) {
      slowCallDurationNanos = Check.positiveNanos("slowCallDuration", duration);
      return this;
    }

    /**
     * Builds the classifier.
     *
     * @return an immutable classifier
     */
    public OutcomeClassifier build() {
      return new OutcomeClassifier(this);
    }

    private static List<Class<? extends Throwable>> checkTypes(
        String option, Class<? extends Throwable>[] types) {
      Objects.requireNonNull(types, option);
      for (Class<? extends Throwable> type : types) {
        Objects.requireNonNull(type, option + " must not contain null");
      }
      return Arrays.asList(types);
    }
  }
}
