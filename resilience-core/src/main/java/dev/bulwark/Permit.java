package dev.bulwark;

/**
 * Permission to make one call, obtained from a {@link PermitPolicy}; the caller reports how the call went.
 *
 * <p>This is the permit layer, meant for integrations that cannot wrap the call in a function (servlet
 * filters, gRPC interceptors, HTTP client hooks). Exactly one of the four methods should be called once the
 * call is over. Policies whose accounting depends on it (half-open probes, bulkhead and limiter slots) ignore
 * every completion after the first, so completing twice never leaks or double-returns a slot.
 *
 * <pre>{@code
 * Permit permit = breaker.tryAcquirePermit();
 * if (permit == null) {
 *   return unavailable();                       // rejected: nothing to report
 * }
 * long start = System.nanoTime();
 * try {
 *   Response response = send(request);
 *   permit.onResult(System.nanoTime() - start, response);
 *   return response;
 * } catch (IOException e) {
 *   permit.onFailure(System.nanoTime() - start, e);
 *   throw e;
 * }
 * }</pre>
 */
public interface Permit {

  /**
   * Reports that the call returned normally, without inspecting a result.
   *
   * @param durationNanos how long the call took
   */
  void onSuccess(long durationNanos);

  /**
   * Reports that the call returned {@code result}; the policy's {@link OutcomeClassifier} decides whether
   * that result counts as a success, a failure or neither.
   *
   * @param durationNanos how long the call took
   * @param result what the call returned, possibly {@code null}
   */
  void onResult(long durationNanos, Object result);

  /**
   * Reports that the call failed with {@code failure}; the policy's {@link OutcomeClassifier} decides whether
   * it counts as a failure or is ignored.
   *
   * @param durationNanos how long the call took
   * @param failure what the call threw
   */
  void onFailure(long durationNanos, Throwable failure);

  /**
   * Gives the permit back without recording anything: the call was cancelled or never made.
   */
  void release();
}
