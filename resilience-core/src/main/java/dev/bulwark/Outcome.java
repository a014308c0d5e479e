package dev.bulwark;

/**
 * How a finished call counts for a policy, as decided by an {@link OutcomeClassifier}.
 *
 * <pre>{@code
 * Outcome outcome = classifier.classifyFailure(new SocketTimeoutException());   // FAILURE by default
 * }</pre>
 */
public enum Outcome {
  /** The call counts as a success. */
  SUCCESS,
  /** The call counts as a failure. */
  FAILURE,
  /** The call counts as neither: it is left out of every rate. */
  IGNORED
}
