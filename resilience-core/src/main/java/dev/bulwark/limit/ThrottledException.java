package dev.bulwark.limit;

import dev.bulwark.CallNotPermittedException;
import dev.bulwark.PolicyKind;
import java.util.Locale;

/**
 * An {@link AdaptiveThrottle} rejected a call locally because its backend has been refusing work. Cheap: no
 * stack trace, message built on demand.
 *
 * <pre>{@code
 * try {
 *   return throttle.call(() -> pricing.quote(cart));
 * } catch (ThrottledException e) {
 *   return Quote.cached(cart);          // the backend is refusing work anyway
 * }
 * }</pre>
 */
public class ThrottledException extends CallNotPermittedException {
  private static final long serialVersionUID = 1L;

  private final double rejectionProbability;
  private final long requests;
  private final long accepts;

  /**
   * Creates a rejection without a stack trace.
   *
   * @param name the throttle's name
   * @param rejectionProbability the probability the call was rejected with
   * @param requests the requests counted in the window
   * @param accepts the accepts counted in the window
   */
  public ThrottledException(String name, double rejectionProbability, long requests, long accepts) {
    super(PolicyKind.LOAD_SHEDDER, name, UNKNOWN);
    this.rejectionProbability = rejectionProbability;
    this.requests = requests;
    this.accepts = accepts;
  }

  /**
   * Returns the probability the call was rejected with.
   *
   * @return in (0, 1]
   */
  public double rejectionProbability() {
    return rejectionProbability;
  }

  /**
   * Returns the requests counted in the window.
   *
   * @return the count
   */
  public long requests() {
    return requests;
  }

  /**
   * Returns the accepts counted in the window.
   *
   * @return the count
   */
  public long accepts() {
    return accepts;
  }

  @Override
  protected String reason() {
    return String.format(Locale.ROOT,
        "throttled the call locally (rejection probability %.2f: the backend accepted %d of %d requests)",
        rejectionProbability, accepts, requests);
  }
}
