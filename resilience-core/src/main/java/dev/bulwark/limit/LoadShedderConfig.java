package dev.bulwark.limit;

import dev.bulwark.ContextPropagator;
import dev.bulwark.internal.Check;
import dev.bulwark.internal.Contexts;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The immutable configuration of a {@link LoadShedder}: its concurrency limiter, how the limit is shared
 * among priorities, and its optional wait queue.
 *
 * <p><b>Shares.</b> A call of priority {@code p} (0..100) is admitted only while fewer than
 * {@code floor(limit * share(p))} calls are in flight (at least 1), where
 * <pre>
 *   share(p) = bestEffortShare + (1 - bestEffortShare) * p / 100
 * </pre>
 * With the default {@code bestEffortShare} of 0.5: best effort may fill 50% of the limit, LOW 62.5%, NORMAL
 * 75%, HIGH 87.5% and CRITICAL all of it. So as in-flight work approaches the limit, best effort is refused
 * first, then LOW, and so on; the last slots are always kept for more important work.
 *
 * <p><b>Queue.</b> With {@code maxQueueSize > 0}, a call that finds no room waits, for at most
 * {@code queueTimeout}, and is admitted by priority band (0-24, 25-49, 50-74, 75-99, 100) when a slot frees.
 * The queue follows CoDel's idea as Facebook applied it to request queues: if the queue has not been empty
 * for a whole {@code queueTimeout}, it is a standing queue, not a burst, and newcomers wait at most
 * {@code congestedQueueTimeout}; and, with {@code lifoWhenCongested}, the newest waiter is served first, since
 * the oldest ones are the likeliest to have been given up on by their callers. A standing queue therefore
 * never turns into minutes of latency. Waits also end at the operation's {@link dev.bulwark.Deadline}.
 *
 * <pre>{@code
 * LoadShedderConfig config = LoadShedderConfig.builder()
 *     .limiter(ConcurrencyLimiterConfig.builder()
 *         .algorithm(LimitAlgorithm.gradient().maxLimit(500).build())
 *         .build())
 *     .bestEffortShare(0.4)
 *     .maxQueueSize(200)
 *     .queueTimeout(Duration.ofMillis(100))
 *     .congestedQueueTimeout(Duration.ofMillis(5))
 *     .build();
 * }</pre>
 */
public final class LoadShedderConfig {
  private static final LoadShedderConfig DEFAULTS = builder().build();

  private final ConcurrencyLimiterConfig limiter;
  private final double bestEffortShare;
  private final Priority defaultPriority;
  private final int maxQueueSize;
  private final Duration queueTimeout;
  private final Duration congestedQueueTimeout;
  private final boolean lifoWhenCongested;
  private final List<ContextPropagator> contextPropagators;

  private LoadShedderConfig(Builder b) {
    this.limiter = b.limiter;
    this.bestEffortShare = b.bestEffortShare;
    this.defaultPriority = b.defaultPriority;
    this.maxQueueSize = b.maxQueueSize;
    this.queueTimeout = b.queueTimeout;
    this.congestedQueueTimeout = b.congestedQueueTimeout;
    this.lifoWhenCongested = b.lifoWhenCongested;
    this.contextPropagators = b.contextPropagators;
  }

  /**
   * Returns the defaults: the default limiter, a best-effort share of 0.5, NORMAL as the default priority and
   * no queue.
   *
   * @return the default configuration
   */
  public static LoadShedderConfig defaults() {
    return DEFAULTS;
  }

  /**
   * Starts a configuration with the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the configuration of the concurrency limit the priorities share. Default:
   * {@link ConcurrencyLimiterConfig#defaults()}.
   *
   * @return the limiter configuration
   */
  public ConcurrencyLimiterConfig limiter() {
    return limiter;
  }

  /**
   * Returns the share of the limit that a call of priority 0 may fill. Default 0.5.
   *
   * @return in (0, 1]
   */
  public double bestEffortShare() {
    return bestEffortShare;
  }

  /**
   * Returns the share of the limit that a call of {@code priority} may fill.
   *
   * @param priority the priority
   * @return {@code bestEffortShare + (1 - bestEffortShare) * priority / 100}
   */
  public double share(Priority priority) {
    return bestEffortShare + (1 - bestEffortShare) * priority.value() / Priority.MAX_VALUE;
  }

  /**
   * Returns the priority of calls that give none and run where no {@link Priority#current()} is installed.
   * Default {@link Priority#NORMAL}.
   *
   * @return the default priority
   */
  public Priority defaultPriority() {
    return defaultPriority;
  }

  /**
   * Returns how many calls may wait for a slot at once; 0 (the default) means calls are refused at once.
   *
   * @return at least 0
   */
  public int maxQueueSize() {
    return maxQueueSize;
  }

  /**
   * Returns the longest a call waits while the queue is healthy. Default 100 ms.
   *
   * @return the timeout
   */
  public Duration queueTimeout() {
    return queueTimeout;
  }

  /**
   * Returns the longest a call waits once the queue has not been empty for a whole {@link #queueTimeout()}.
   * Default 5 ms.
   *
   * @return the timeout, not longer than {@link #queueTimeout()}
   */
  public Duration congestedQueueTimeout() {
    return congestedQueueTimeout;
  }

  /**
   * Returns whether a congested queue serves its newest waiter first. Default {@code true}.
   *
   * @return whether adaptive LIFO is on
   */
  public boolean lifoWhenCongested() {
    return lifoWhenCongested;
  }

  /**
   * Returns the propagators that carry a queued asynchronous caller's context to the thread that grants it a
   * slot, in installation order (default: none).
   *
   * @return an immutable list, empty by default
   */
  public List<ContextPropagator> contextPropagators() {
    return contextPropagators;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LoadShedderConfig other
        && limiter.equals(other.limiter)
        && Double.compare(bestEffortShare, other.bestEffortShare) == 0
        && defaultPriority.equals(other.defaultPriority)
        && maxQueueSize == other.maxQueueSize
        && queueTimeout.equals(other.queueTimeout)
        && congestedQueueTimeout.equals(other.congestedQueueTimeout)
        && lifoWhenCongested == other.lifoWhenCongested
        && contextPropagators.equals(other.contextPropagators);
  }

  @Override
  public int hashCode() {
    return Objects.hash(limiter, bestEffortShare, defaultPriority, maxQueueSize, queueTimeout,
        congestedQueueTimeout, lifoWhenCongested, contextPropagators);
  }

  @Override
  public String toString() {
    return "LoadShedderConfig{limiter=" + limiter + ", bestEffortShare=" + bestEffortShare
        + ", defaultPriority=" + defaultPriority + ", maxQueueSize=" + maxQueueSize + ", queueTimeout="
        + queueTimeout + ", congestedQueueTimeout=" + congestedQueueTimeout + ", lifoWhenCongested="
        + lifoWhenCongested + ", contextPropagators=" + contextPropagators.size() + '}';
  }

  /** Builds a {@link LoadShedderConfig}; each option is validated when set, cross-field rules in {@link #build()}. */
  public static final class Builder {
    private ConcurrencyLimiterConfig limiter = ConcurrencyLimiterConfig.defaults();
    private double bestEffortShare = 0.5;
    private Priority defaultPriority = Priority.NORMAL;
    private int maxQueueSize;
    private Duration queueTimeout = Duration.ofMillis(100);
    private Duration congestedQueueTimeout = Duration.ofMillis(5);
    private boolean lifoWhenCongested = true;
    private List<ContextPropagator> contextPropagators = List.of();
    private boolean contextPropagatorsSet;

    private Builder() {}

    /**
     * Sets the configuration of the shared concurrency limit. Default: the default limiter.
     *
     * @param limiter the limiter configuration
     * @return this builder
     */
    public Builder limiter(ConcurrencyLimiterConfig limiter) {
      this.limiter = Objects.requireNonNull(limiter, "limiter");
      return this;
    }

    /**
     * Sets the share of the limit that a call of priority 0 may fill; higher priorities get proportionally
     * more, up to all of it for priority 100. Lower values keep more room for important work; 1 turns
     * priorities off. Default 0.5.
     *
     * @param bestEffortShare in (0, 1]
     * @return this builder
     */
    public Builder bestEffortShare(double bestEffortShare) {
      if (!(bestEffortShare > 0 && bestEffortShare <= 1)) {
        throw new IllegalArgumentException("bestEffortShare must be in (0, 1], was " + bestEffortShare);
      }
      this.bestEffortShare = bestEffortShare;
      return this;
    }

    /**
     * Sets the priority of calls that give none. Default {@link Priority#NORMAL}.
     *
     * @param defaultPriority the priority
     * @return this builder
     */
    public Builder defaultPriority(Priority defaultPriority) {
      this.defaultPriority = Objects.requireNonNull(defaultPriority, "defaultPriority");
      return this;
    }

    /**
     * Sets how many calls may wait for a slot at once; 0 refuses at once. Default 0.
     *
     * @param maxQueueSize in [0, 1000000]
     * @return this builder
     */
    public Builder maxQueueSize(int maxQueueSize) {
      this.maxQueueSize = Check.inRange("maxQueueSize", maxQueueSize, 0, 1_000_000);
      return this;
    }

    /**
     * Sets the longest a call waits while the queue is healthy; also how long the queue may stay non-empty
     * before it counts as congested. Default 100 ms.
     *
     * @param queueTimeout a positive duration
     * @return this builder
     */
    public Builder queueTimeout(Duration queueTimeout) {
      Check.positiveNanos("queueTimeout", queueTimeout);
      this.queueTimeout = queueTimeout;
      return this;
    }

    /**
     * Sets the longest a call waits once the queue is congested. Default 5 ms.
     *
     * @param congestedQueueTimeout a positive duration, not longer than the queue timeout
     * @return this builder
     */
    public Builder congestedQueueTimeout(Duration congestedQueueTimeout) {
      Check.positiveNanos("congestedQueueTimeout", congestedQueueTimeout);
      this.congestedQueueTimeout = congestedQueueTimeout;
      return this;
    }

    /**
     * Sets whether a congested queue serves its newest waiter first. Default {@code true}.
     *
     * @param lifoWhenCongested whether adaptive LIFO is on
     * @return this builder
     */
    public Builder lifoWhenCongested(boolean lifoWhenCongested) {
      this.lifoWhenCongested = lifoWhenCongested;
      return this;
    }

    /**
     * Sets the propagators that carry the caller's thread-bound context (a logging MDC, a security context)
     * to a queued asynchronous call: captured on the caller's thread when {@link LoadShedder#callAsync}
     * queues the call; installed on the thread that grants it a slot (the one that completed another call)
     * around the call's start, and on the scheduler thread around the rejection of a call whose wait timed
     * out (so a fallback sees the context); closed, in reverse order, afterwards. Calls admitted at once, and
     * all synchronous calls, stay on the caller's thread and never touch them. Default: none; then a queued
     * asynchronous call starts with whatever context the granting thread carries, which may be another
     * request's.
     *
     * <pre>{@code
     * ContextPropagator user = ContextPropagator.ofThreadLocal(CurrentUser.HOLDER);
     * LoadShedderConfig config = LoadShedderConfig.builder().maxQueueSize(100).contextPropagators(user).build();
     * }</pre>
     *
     * @param propagators the propagators, installed in this order and closed in reverse; none clears them
     * @return this builder
     * @throws IllegalStateException if the propagators were already set
     */
    public Builder contextPropagators(ContextPropagator... propagators) {
      this.contextPropagators = Contexts.setOnce(contextPropagatorsSet, contextPropagators, propagators);
      contextPropagatorsSet = true;
      return this;
    }

    /**
     * Builds the configuration.
     *
     * @return an immutable configuration
     * @throws IllegalStateException if the congested queue timeout is longer than the queue timeout
     */
    public LoadShedderConfig build() {
      if (congestedQueueTimeout.compareTo(queueTimeout) > 0) {
        throw new IllegalStateException("congestedQueueTimeout must be <= queueTimeout (" + queueTimeout
            + "), was " + congestedQueueTimeout);
      }
      return new LoadShedderConfig(this);
    }
  }
}
