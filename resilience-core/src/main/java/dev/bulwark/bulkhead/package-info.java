/**
 * Bulkheads: isolate each dependency in its own pool of concurrency, so one overloaded dependency cannot
 * starve the others.
 *
 * <ul>
 *   <li>{@link dev.bulwark.bulkhead.Bulkhead}: a lock-free semaphore bulkhead; calls run on the caller's
 *       thread, at most {@code maxConcurrentCalls} at once, optionally waiting in FIFO order.</li>
 *   <li>{@link dev.bulwark.bulkhead.ThreadPoolBulkhead}: a dedicated bounded executor per dependency (platform
 *       threads, or virtual threads with a concurrency cap on Java 21+), with
 *       {@link dev.bulwark.ContextPropagator context propagation}.</li>
 * </ul>
 * Both reject with a {@link dev.bulwark.bulkhead.BulkheadFullException} naming the bulkhead. See
 * {@code docs/bulkhead.md}.
 */
package dev.bulwark.bulkhead;
