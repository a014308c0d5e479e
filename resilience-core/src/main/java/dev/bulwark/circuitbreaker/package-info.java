/**
 * The circuit breaker: {@link dev.bulwark.circuitbreaker.CircuitBreaker}, its configuration
 * ({@link dev.bulwark.circuitbreaker.CircuitBreakerConfig}), its events
 * ({@link dev.bulwark.circuitbreaker.CircuitBreakerEvent}) and its rejection
 * ({@link dev.bulwark.circuitbreaker.CircuitBreakerOpenException}).
 *
 * <p>A breaker watches the outcomes of the calls to one dependency in a sliding window (the last N calls,
 * the last N seconds, or a run of consecutive failures). When the failure rate or the slow-call rate reaches
 * its threshold it opens and rejects calls at once, which spares the dependency and the callers' threads;
 * after the open duration it lets a fixed number of probe calls through and closes again if they succeed.
 * State lives in atomics only, and the closed-state call allocates nothing. See
 * {@code docs/circuit-breaker.md} for how to choose each option from the dependency's error and latency
 * distributions.
 *
 * <pre>{@code
 * CircuitBreaker breaker = CircuitBreaker.ofDefaults("inventory");
 * Stock stock = breaker.get(() -> inventory.stock(sku));
 * }</pre>
 */
package dev.bulwark.circuitbreaker;
