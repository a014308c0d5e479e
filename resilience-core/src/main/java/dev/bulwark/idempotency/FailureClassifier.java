package dev.bulwark.idempotency;

import dev.bulwark.OutcomeClassifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Decides what a failure of the work means for its key: {@link FailureKind#RETRYABLE} (release the key),
 * {@link FailureKind#TERMINAL} (store and replay the failure) or {@link FailureKind#UNKNOWN} (keep the key
 * flagged, never run again on its own).
 *
 * <p>Rules match the failure after {@link OutcomeClassifier#unwrap(Throwable) unwrapping}
 * {@code CompletionException} and {@code ExecutionException}. When several rules match, the most cautious
 * kind wins: {@code UNKNOWN} over {@code TERMINAL} over {@code RETRYABLE}, so adding a broad rule can never
 * make a possibly-effective failure retryable by accident. A failure no rule matches gets the
 * {@linkplain Builder#otherwise(FailureKind) fallback kind}, {@code UNKNOWN} by default: without being told,
 * Bulwark cannot know whether a failed payment was charged, so it never runs the work a second time.
 *
 * <pre>{@code
 * FailureClassifier classifier = FailureClassifier.builder()
 *     .classify(FailureKind.RETRYABLE, ConnectException.class, CallNotPermittedException.class)
 *     .classify(FailureKind.TERMINAL, CardDeclinedException.class, ValidationException.class)
 *     .classifyIf(FailureKind.TERMINAL, e -> e instanceof HttpException h && h.status() < 500)
 *     .build();
 * }</pre>
 */
public final class FailureClassifier {
  private static final FailureClassifier DEFAULTS = builder().build();

  private final List<Rule> rules;
  private final FailureKind otherwise;

  private FailureClassifier(Builder builder) {
    this.rules = List.copyOf(builder.rules);
    this.otherwise = builder.otherwise;
  }

  /**
   * Returns the default classifier: every failure is {@link FailureKind#UNKNOWN}.
   *
   * @return the default classifier
   */
  public static FailureClassifier defaults() {
    return DEFAULTS;
  }

  /**
   * Starts a classifier with no rules and {@link FailureKind#UNKNOWN} as the fallback.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Classifies a failure of the work.
   *
   * @param failure what the work threw
   * @return the most cautious kind among the matching rules, or the fallback if none matches
   */
  public FailureKind classify(Throwable failure) {
    Throwable cause = OutcomeClassifier.unwrap(failure);
    FailureKind result = null;
    for (Rule rule : rules) {
      if ((result == null || rule.kind.compareTo(result) > 0) && rule.matches(cause)) {
        result = rule.kind;
      }
    }
    return result != null ? result : otherwise;
  }

  /**
   * Returns the kind of failures no rule matches.
   *
   * @return the fallback kind
   */
  public FailureKind otherwise() {
    return otherwise;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FailureClassifier other && rules.equals(other.rules) && otherwise == other.otherwise;
  }

  @Override
  public int hashCode() {
    return Objects.hash(rules, otherwise);
  }

  @Override
  public String toString() {
    return "FailureClassifier{rules=" + rules + ", otherwise=" + otherwise + '}';
  }

  /** One rule: a type or a predicate, and the kind it gives. */
  private static final class Rule {
    final FailureKind kind;
    final Class<? extends Throwable> type;
    final Predicate<? super Throwable> predicate;

    Rule(FailureKind kind, Class<? extends Throwable> type, Predicate<? super Throwable> predicate) {
      this.kind = kind;
      this.type = type;
      this.predicate = predicate;
    }

    boolean matches(Throwable failure) {
      return type != null ? type.isInstance(failure) : predicate.test(failure);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Rule other
          && kind == other.kind
          && Objects.equals(type, other.type)
          && Objects.equals(predicate, other.predicate);
    }

    @Override
    public int hashCode() {
      return Objects.hash(kind, type, predicate);
    }

    @Override
    public String toString() {
      return (type != null ? type.getSimpleName() : "predicate") + "->" + kind;
    }
  }

  /** Builds a {@link FailureClassifier}; rules add up. */
  public static final class Builder {
    private final List<Rule> rules = new ArrayList<>();
    private FailureKind otherwise = FailureKind.UNKNOWN;

    private Builder() {}

    /**
     * Gives failures of these types (and their subclasses) the kind {@code kind}.
     *
     * @param kind the kind
     * @param types the exception types
     * @return this builder
     */
    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read
    public final Builder classify(FailureKind kind, Class<? extends Throwable>... types) {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(types, "types");
      for (Class<? extends Throwable> type : types) {
        Objects.requireNonNull(type, "types must not contain null");
      }
      for (Class<? extends Throwable> type : types) {
        rules.add(new Rule(kind, type, null));
      }
      return this;
    }

    /**
     * Gives failures matching {@code predicate} the kind {@code kind}.
     *
     * @param kind the kind
     * @param predicate tested against the unwrapped failure
     * @return this builder
     */
    public Builder classifyIf(FailureKind kind, Predicate<? super Throwable> predicate) {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(predicate, "predicate");
      rules.add(new Rule(kind, null, predicate));
      return this;
    }

    /**
     * The kind of failures no rule matches. Default: {@link FailureKind#UNKNOWN}, the only safe default
     * for work with side effects.
     *
     * @param kind the fallback kind
     * @return this builder
     */
    public Builder otherwise(FailureKind kind) {
      this.otherwise = Objects.requireNonNull(kind, "otherwise");
      return this;
    }

    /**
     * Builds the classifier.
     *
     * @return an immutable classifier
     */
    public FailureClassifier build() {
      return new FailureClassifier(this);
    }
  }
}
