package dev.bulwark;

/**
 * A policy that admits calls one permit at a time: the permit layer, on which its decorator methods are built.
 *
 * <p>Circuit breakers, bulkheads, rate limiters and concurrency limiters are permit policies. Integrations
 * that see a request begin and end in different callbacks use the permits directly; application code uses
 * the {@link Policy} methods.
 *
 * <pre>{@code
 * Permit permit = breaker.tryAcquirePermit();
 * if (permit == null) {
 *   response.setStatus(503);
 *   return;
 * }
 * long start = System.nanoTime();
 * try {
 *   chain.doFilter(request, response);
 *   permit.onSuccess(System.nanoTime() - start);
 * } catch (RuntimeException e) {
 *   permit.onFailure(System.nanoTime() - start, e);
 *   throw e;
 * }
 * }</pre>
 */
public interface PermitPolicy extends Policy {

  /**
   * Asks for a permit without waiting and without allocating a rejection.
   *
   * @return a permit, or {@code null} if the policy rejects the call now
   */
  Permit tryAcquirePermit();

  /**
   * Asks for a permit, waiting if the policy is configured to wait (a bulkhead's or rate limiter's
   * {@code maxWait}), and throws if it is refused.
   *
   * @return a permit, never {@code null}
   * @throws CallNotPermittedException (a subclass naming the policy) if the call is rejected
   */
  Permit acquirePermit();
}
