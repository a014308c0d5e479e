package dev.bulwark.micrometer;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The meters bound for one policy instance. Closing removes them from the {@link MeterRegistry}, so no stale
 * series stays behind; closing twice is harmless.
 *
 * <pre>{@code
 * try (PolicyMeters meters = BulwarkMetrics.bind(breaker, meterRegistry)) {
 *   meters.meters().forEach(m -> System.out.println(m.getId()));
 * } // the breaker's meters are gone from meterRegistry here
 * }</pre>
 */
public final class PolicyMeters implements AutoCloseable {
  private final String policyName;
  private final MeterRegistry registry;
  private final List<Meter> meters;
  private final List<String> alsoRemoved;
  private final Tags tags;
  private final AtomicBoolean closed = new AtomicBoolean();

  PolicyMeters(String policyName, MeterRegistry registry, MeterSet set) {
    this.policyName = policyName;
    this.registry = registry;
    this.meters = set.meters();
    this.alsoRemoved = set.alsoRemoved();
    this.tags = set.tags();
  }

  /**
   * Returns the name of the bound policy.
   *
   * @return the policy's name
   */
  public String policyName() {
    return policyName;
  }

  /**
   * Returns the meters registered for the policy; empty for a kind of policy that has no metrics view this
   * module knows (a timeout or a fallback, for example).
   *
   * @return the meters, unmodifiable
   */
  public List<Meter> meters() {
    return meters;
  }

  /**
   * Returns whether {@link #close()} has been called.
   *
   * @return {@code true} once closed
   */
  public boolean isClosed() {
    return closed.get();
  }

  /**
   * Removes the policy's meters from the meter registry, and the opt-in call timers registered for the same
   * policy name and common tags, if any. Idempotent.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      for (Meter meter : meters) {
        registry.remove(meter);
      }
      for (String name : alsoRemoved) {
        for (Meter meter : registry.find(name).tags(tags).meters()) {
          registry.remove(meter);
        }
      }
    }
  }

  @Override
  public String toString() {
    return "PolicyMeters[" + policyName + ", " + meters.size() + " meters" + (isClosed() ? ", closed]" : "]");
  }
}
