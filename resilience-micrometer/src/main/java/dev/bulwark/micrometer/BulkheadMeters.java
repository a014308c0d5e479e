package dev.bulwark.micrometer;

import dev.bulwark.bulkhead.Bulkhead;
import dev.bulwark.bulkhead.ThreadPoolBulkhead;

/** The meters of a semaphore {@link Bulkhead} and of a {@link ThreadPoolBulkhead}, read from their views. */
final class BulkheadMeters {
  static final String AVAILABLE_PERMITS = "bulwark.bulkhead.available.permits";
  static final String MAX_CONCURRENT_CALLS = "bulwark.bulkhead.max.concurrent.calls";
  static final String CONCURRENT_CALLS = "bulwark.bulkhead.concurrent.calls";
  static final String WAITING_CALLS = "bulwark.bulkhead.waiting.calls";
  static final String REJECTED_CALLS = "bulwark.bulkhead.rejected.calls";

  static final String POOL_QUEUE_DEPTH = "bulwark.bulkhead.pool.queue.depth";
  static final String POOL_QUEUE_CAPACITY = "bulwark.bulkhead.pool.queue.capacity";
  static final String POOL_ACTIVE_THREADS = "bulwark.bulkhead.pool.threads.active";
  static final String POOL_THREADS = "bulwark.bulkhead.pool.threads";
  static final String POOL_CORE_THREADS = "bulwark.bulkhead.pool.threads.core";
  static final String POOL_MAX_THREADS = "bulwark.bulkhead.pool.threads.max";
  static final String POOL_REJECTED_CALLS = "bulwark.bulkhead.pool.rejected.calls";
  static final String POOL_COMPLETED_CALLS = "bulwark.bulkhead.pool.completed.calls";

  private BulkheadMeters() {}

  static PolicyBinder<Bulkhead> semaphore() {
    return new PolicyBinder<>(Bulkhead.class, BulkheadMeters::bind);
  }

  static PolicyBinder<ThreadPoolBulkhead> pool() {
    return new PolicyBinder<>(ThreadPoolBulkhead.class, BulkheadMeters::bind);
  }

  static void bind(Bulkhead bulkhead, MeterSet meters) {
    meters.gauge(AVAILABLE_PERMITS, "Calls that could start now: the limit minus the calls in flight", null,
        bulkhead, b -> b.metrics().availablePermits());
    meters.gauge(MAX_CONCURRENT_CALLS, "The concurrency limit", null,
        bulkhead, b -> b.metrics().maxConcurrentCalls());
    meters.gauge(CONCURRENT_CALLS, "Calls holding a slot now", null,
        bulkhead, b -> b.metrics().concurrentCalls());
    meters.gauge(WAITING_CALLS, "Callers waiting for a slot", null,
        bulkhead, b -> b.metrics().waitingCalls());
    meters.counter(REJECTED_CALLS, "Calls rejected because the bulkhead was full", null,
        bulkhead, b -> b.metrics().rejectedCalls());
  }

  static void bind(ThreadPoolBulkhead bulkhead, MeterSet meters) {
    meters.gauge(POOL_QUEUE_DEPTH, "Accepted calls waiting for a thread", null,
        bulkhead, b -> b.metrics().queueDepth());
    meters.gauge(POOL_QUEUE_CAPACITY, "Capacity of the queue", null,
        bulkhead, b -> b.metrics().queueCapacity());
    meters.gauge(POOL_ACTIVE_THREADS, "Threads running calls", null,
        bulkhead, b -> b.metrics().activeThreads());
    meters.gauge(POOL_THREADS, "Threads in the pool", null,
        bulkhead, b -> b.metrics().poolSize());
    meters.gauge(POOL_CORE_THREADS, "Core size of the pool", null,
        bulkhead, b -> b.metrics().coreThreadPoolSize());
    meters.gauge(POOL_MAX_THREADS, "Maximum size of the pool", null,
        bulkhead, b -> b.metrics().maxThreadPoolSize());
    meters.counter(POOL_REJECTED_CALLS, "Calls rejected because the pool and its queue were full, or it was shut"
        + " down", null, bulkhead, b -> b.metrics().rejectedCalls());
    meters.counter(POOL_COMPLETED_CALLS, "Calls run to completion, successfully or not", null,
        bulkhead, b -> b.metrics().completedCalls());
  }
}
