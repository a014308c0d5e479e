/**
 * Adaptive concurrency limits, priority load shedding and client-side adaptive throttling.
 *
 * <ul>
 *   <li>{@link dev.bulwark.limit.ConcurrencyLimiter}: admits a call while fewer than the limit are in flight;
 *       a {@link dev.bulwark.limit.LimitAlgorithm} (fixed, AIMD, gradient, Vegas) moves the limit to the
 *       dependency's real capacity from the round-trip times and drops the limiter measures itself.</li>
 *   <li>{@link dev.bulwark.limit.LoadShedder}: the same limit shared by {@link dev.bulwark.limit.Priority
 *       priorities}, lower ones refused first, with an optional CoDel-style wait queue.</li>
 *   <li>{@link dev.bulwark.limit.AdaptiveThrottle}: Google SRE's client-side throttle, which stops a client
 *       from sending work its backend is already refusing.</li>
 * </ul>
 *
 * <pre>{@code
 * LoadShedder shedder = LoadShedder.ofDefaults("api");
 * Receipt receipt = shedder.call(Priority.CRITICAL, () -> checkout.pay(order));
 * }</pre>
 */
package dev.bulwark.limit;
