package dev.bulwark.bulkhead;

import dev.bulwark.ContextPropagator;
import dev.bulwark.internal.Check;
import dev.bulwark.internal.Contexts;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The immutable configuration of a {@link ThreadPoolBulkhead}: a dedicated, bounded executor for one
 * dependency.
 *
 * <p>With platform threads (the default) the pool follows {@link java.util.concurrent.ThreadPoolExecutor}:
 * up to {@code coreThreadPoolSize} threads start as calls arrive; further calls queue (up to
 * {@code queueCapacity}); only when the queue is full do threads beyond the core start, up to
 * {@code maxThreadPoolSize}; when those are busy too, calls are rejected with a {@link BulkheadFullException}.
 * Threads above the core stop after {@code keepAlive} idle.
 *
 * <p>With {@link #virtualThreads()} (Java 21 or later, detected at run time) every call runs on a new virtual
 * thread; at most {@code maxThreadPoolSize} calls run at once and at most {@code queueCapacity} wait, in FIFO
 * order, without holding any thread. {@code coreThreadPoolSize} and {@code keepAlive} do not apply.
 *
 * <pre>{@code
 * ThreadPoolBulkheadConfig config = ThreadPoolBulkheadConfig.builder()
 *     .coreThreadPoolSize(4)
 *     .maxThreadPoolSize(8)
 *     .queueCapacity(50)
 *     .keepAlive(Duration.ofSeconds(30))
 *     .contextPropagators(ContextPropagator.ofThreadLocal(RequestContext.CURRENT))
 *     .build();
 * }</pre>
 */
public final class ThreadPoolBulkheadConfig {

  /** The largest accepted thread count (the limit of {@link java.util.concurrent.ThreadPoolExecutor}). */
  public static final int MAX_THREADS_LIMIT = (1 << 29) - 1;

  /** The default of {@link #queueCapacity()}. */
  public static final int DEFAULT_QUEUE_CAPACITY = 100;

  /** The default of {@link #keepAlive()}. */
  public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(60);

  private final int coreThreadPoolSize;
  private final int maxThreadPoolSize;
  private final int queueCapacity;
  private final long keepAliveNanos;
  private final boolean virtualThreads;
  private final List<ContextPropagator> contextPropagators;

  private ThreadPoolBulkheadConfig(Builder b, int core, int max) {
    this.coreThreadPoolSize = core;
    this.maxThreadPoolSize = max;
    this.queueCapacity = b.queueCapacity;
    this.keepAliveNanos = b.keepAliveNanos;
    this.virtualThreads = b.virtualThreads;
    this.contextPropagators = List.copyOf(b.contextPropagators);
  }

  /**
   * Returns the defaults: as many platform threads as processors (all core), a queue of 100, no context
   * propagation.
   *
   * @return the default configuration
   */
  public static ThreadPoolBulkheadConfig defaults() {
    return builder().build();
  }

  /**
   * Starts a configuration with every option at its default.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Tells whether virtual threads can be used on this Java runtime (Java 21 or later).
   *
   * @return {@code true} if {@link Builder#virtualThreads(boolean)} may be enabled
   */
  public static boolean virtualThreadsSupported() {
    return VirtualThreads.SUPPORTED;
  }

  /**
   * Returns how many threads the pool keeps even when idle. Default: {@link #maxThreadPoolSize()} (a fixed
   * pool). Not used with virtual threads.
   *
   * @return the core size, at least 1
   */
  public int coreThreadPoolSize() {
    return coreThreadPoolSize;
  }

  /**
   * Returns how many calls may run at once: the most threads the pool starts (or, with virtual threads, the
   * most virtual threads running calls at once). Default: the number of available processors, or
   * {@link #coreThreadPoolSize()} if that was set higher.
   *
   * @return the maximum, at least 1
   */
  public int maxThreadPoolSize() {
    return maxThreadPoolSize;
  }

  /**
   * Returns how many accepted calls may wait for a thread; beyond, calls are rejected. Default
   * {@value #DEFAULT_QUEUE_CAPACITY}. Zero hands calls directly to a thread (and rejects when none is free).
   *
   * @return the capacity, zero or positive
   */
  public int queueCapacity() {
    return queueCapacity;
  }

  /**
   * Returns how long a thread above the core may stay idle before it stops. Default 60 seconds. Not used
   * with virtual threads.
   *
   * @return the keep-alive time
   */
  public Duration keepAlive() {
    return Duration.ofNanos(keepAliveNanos);
  }

  /**
   * Returns {@link #keepAlive()} in nanoseconds.
   *
   * @return the keep-alive time in nanoseconds
   */
  public long keepAliveNanos() {
    return keepAliveNanos;
  }

  /**
   * Tells whether each call runs on its own virtual thread (Java 21 or later). Default {@code false}.
   *
   * @return whether virtual threads are used
   */
  public boolean virtualThreads() {
    return virtualThreads;
  }

  /**
   * Returns the propagators that carry the caller's context into the worker, in installation order (closed
   * in reverse). Default: none.
   *
   * @return an immutable list
   */
  public List<ContextPropagator> contextPropagators() {
    return contextPropagators;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ThreadPoolBulkheadConfig)) {
      return false;
    }
    ThreadPoolBulkheadConfig that = (ThreadPoolBulkheadConfig) o;
    return coreThreadPoolSize == that.coreThreadPoolSize
        && maxThreadPoolSize == that.maxThreadPoolSize
        && queueCapacity == that.queueCapacity
        && keepAliveNanos == that.keepAliveNanos
        && virtualThreads == that.virtualThreads
        && contextPropagators.equals(that.contextPropagators);
  }

  @Override
  public int hashCode() {
    return Objects.hash(coreThreadPoolSize, maxThreadPoolSize, queueCapacity, keepAliveNanos, virtualThreads,
        contextPropagators);
  }

  @Override
  public String toString() {
    return "ThreadPoolBulkheadConfig[coreThreadPoolSize=" + coreThreadPoolSize
        + ", maxThreadPoolSize=" + maxThreadPoolSize + ", queueCapacity=" + queueCapacity
        + ", keepAlive=" + keepAlive() + ", virtualThreads=" + virtualThreads
        + ", contextPropagators=" + contextPropagators.size() + "]";
  }

  /** Builds a {@link ThreadPoolBulkheadConfig}; each option may be set once. */
  public static final class Builder {
    private Integer coreThreadPoolSize;
    private Integer maxThreadPoolSize;
    private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
    private boolean queueCapacitySet;
    private long keepAliveNanos = DEFAULT_KEEP_ALIVE.toNanos();
    private boolean keepAliveSet;
    private boolean virtualThreads;
    private boolean virtualThreadsSet;
    private List<ContextPropagator> contextPropagators = List.of();
    private boolean contextPropagatorsSet;

    private Builder() {}

    /**
     * Sets how many threads the pool keeps when idle.
     *
     * @param coreThreadPoolSize the core size, in [1, {@value #MAX_THREADS_LIMIT}]
     * @return this builder
     */
    public Builder coreThreadPoolSize(int coreThreadPoolSize) {
      if (this.coreThreadPoolSize != null) {
        throw new IllegalStateException("coreThreadPoolSize was already set to " + this.coreThreadPoolSize);
      }
      this.coreThreadPoolSize =
          Check.inRange("coreThreadPoolSize", coreThreadPoolSize, 1, MAX_THREADS_LIMIT);
      return this;
    }

    /**
     * Sets how many calls may run at once.
     *
     * @param maxThreadPoolSize the maximum, in [1, {@value #MAX_THREADS_LIMIT}]
     * @return this builder
     */
    public Builder maxThreadPoolSize(int maxThreadPoolSize) {
      if (this.maxThreadPoolSize != null) {
        throw new IllegalStateException("maxThreadPoolSize was already set to " + this.maxThreadPoolSize);
      }
      this.maxThreadPoolSize =
          Check.inRange("maxThreadPoolSize", maxThreadPoolSize, 1, MAX_THREADS_LIMIT);
      return this;
    }

    /**
     * Sets how many accepted calls may wait for a thread.
     *
     * @param queueCapacity the capacity, zero or positive
     * @return this builder
     */
    public Builder queueCapacity(int queueCapacity) {
      if (queueCapacitySet) {
        throw new IllegalStateException("queueCapacity was already set to " + this.queueCapacity);
      }
      this.queueCapacity = Check.notNegative("queueCapacity", queueCapacity);
      queueCapacitySet = true;
      return this;
    }

    /**
     * Sets how long a thread above the core may stay idle.
     *
     * @param keepAlive the keep-alive time, zero or positive
     * @return this builder
     */
    public Builder keepAlive(Duration keepAlive) {
      if (keepAliveSet) {
        throw new IllegalStateException("keepAlive was already set to " + Duration.ofNanos(keepAliveNanos));
      }
      this.keepAliveNanos = Check.notNegativeNanos("keepAlive", keepAlive);
      keepAliveSet = true;
      return this;
    }

    /**
     * Sets whether each call runs on its own virtual thread; needs Java 21 or later at run time.
     *
     * @param virtualThreads whether to use virtual threads
     * @return this builder
     */
    public Builder virtualThreads(boolean virtualThreads) {
      if (virtualThreadsSet) {
        throw new IllegalStateException("virtualThreads was already set to " + this.virtualThreads);
      }
      this.virtualThreads = virtualThreads;
      virtualThreadsSet = true;
      return this;
    }

    /**
     * Sets the context propagators, installed in this order and closed in reverse.
     *
     * @param propagators the propagators
     * @return this builder
     */
    public Builder contextPropagators(ContextPropagator... propagators) {
      this.contextPropagators = Contexts.setOnce(contextPropagatorsSet, contextPropagators, propagators);
      contextPropagatorsSet = true;
      return this;
    }

    /**
     * Checks the combination of options and builds the configuration.
     *
     * @return the configuration
     * @throws IllegalStateException if the options contradict each other, or virtual threads are asked for
     *     on a Java runtime older than 21
     */
    public ThreadPoolBulkheadConfig build() {
      if (virtualThreads) {
        if (!VirtualThreads.SUPPORTED) {
          throw new IllegalStateException("virtualThreads requires Java 21 or later, was true on Java "
              + Runtime.version() + "; check ThreadPoolBulkheadConfig.virtualThreadsSupported() first");
        }
        if (coreThreadPoolSize != null) {
          throw new IllegalStateException("coreThreadPoolSize does not apply to virtual threads, was "
              + coreThreadPoolSize + " with virtualThreads=true");
        }
        if (keepAliveSet) {
          throw new IllegalStateException("keepAlive does not apply to virtual threads, was "
              + Duration.ofNanos(keepAliveNanos) + " with virtualThreads=true");
        }
      }
      int processors = Math.max(1, Runtime.getRuntime().availableProcessors());
      int max;
      int core;
      if (maxThreadPoolSize != null) {
        max = maxThreadPoolSize;
        core = coreThreadPoolSize != null ? coreThreadPoolSize : max;
        if (core > max) {
          throw new IllegalStateException("coreThreadPoolSize must be <= maxThreadPoolSize (" + max + "), was "
              + core);
        }
      } else {
        core = coreThreadPoolSize != null ? coreThreadPoolSize : processors;
        max = Math.max(core, processors);
      }
      if (virtualThreads) {
        core = max;
      }
      return new ThreadPoolBulkheadConfig(this, core, max);
    }
  }
}
