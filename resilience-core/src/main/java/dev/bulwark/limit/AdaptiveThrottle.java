package dev.bulwark.limit;

import dev.bulwark.Clock;
import dev.bulwark.EventListener;
import dev.bulwark.PermitPolicy;
import dev.bulwark.internal.Check;
import dev.bulwark.internal.Listeners;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Client-side adaptive throttling, as in Google's SRE book: a client stops sending work its backend is already
 * refusing, by rejecting calls locally with probability
 * {@code max(0, (requests - k * accepts) / (requests + 1))} over a sliding window.
 *
 * <p>While the backend accepts everything the probability is 0 and the throttle costs a clock read and a few
 * counter reads. Once it refuses more than {@code 1 - 1/k} of the calls, the client starts dropping calls
 * before they leave, so the backend receives about {@code k} times what it accepts instead of the full load,
 * and spends its capacity on work it can do. The counts slide, so the throttle backs off as the backend
 * recovers. See {@link AdaptiveThrottleConfig} for the options.
 *
 * <p>Its permit has no per-call state: completing one twice counts the call twice in the statistics, and
 * nothing else.
 *
 * <pre>{@code
 * AdaptiveThrottle throttle = AdaptiveThrottle.ofDefaults("pricing");            // k = 2, 2 minute window
 * Quote quote = throttle.get(() -> pricing.quote(cart));   // ThrottledException when rejected locally
 * double p = throttle.metrics().rejectionProbability();
 * }</pre>
 */
public interface AdaptiveThrottle extends PermitPolicy {

  /**
   * Creates a throttle with the system clock.
   *
   * @param name the name, used in metrics, events and rejections
   * @param config the configuration
   * @return a new throttle
   */
  static AdaptiveThrottle of(String name, AdaptiveThrottleConfig config) {
    return builder(name).config(config).build();
  }

  /**
   * Creates a throttle with the default configuration.
   *
   * @param name the name
   * @return a new throttle
   */
  static AdaptiveThrottle ofDefaults(String name) {
    return builder(name).build();
  }

  /**
   * Starts a throttle whose clock, randomness and listeners can be chosen.
   *
   * @param name the name
   * @return a builder
   */
  static Builder builder(String name) {
    return new Builder(name);
  }

  /**
   * Returns the configuration.
   *
   * @return the configuration
   */
  AdaptiveThrottleConfig config();

  /**
   * Returns a live, read-only view of the throttle.
   *
   * @return the metrics view
   */
  Metrics metrics();

  /**
   * A live, read-only view of a throttle's window and counters.
   *
   * <pre>{@code
   * AdaptiveThrottle.Metrics m = throttle.metrics();
   * gauge("throttle.p", m.rejectionProbability());
   * }</pre>
   */
  interface Metrics {
    /**
     * Returns the requests counted in the current window: sent and completed, or rejected locally.
     *
     * @return the count
     */
    long requests();

    /**
     * Returns the calls the backend accepted in the current window.
     *
     * @return the count
     */
    long accepts();

    /**
     * Returns the probability with which a call would be rejected now.
     *
     * @return in [0, 1]
     */
    double rejectionProbability();

    /**
     * Returns how many calls were rejected locally.
     *
     * @return the lifetime count
     */
    long rejectedCalls();
  }

  /** Builds an {@link AdaptiveThrottle}. */
  final class Builder {
    private final String name;
    private AdaptiveThrottleConfig config = AdaptiveThrottleConfig.defaults();
    private Clock clock = Clock.system();
    private RandomGenerator random;
    private final Listeners.Collector<ThrottleEvent> listeners = new Listeners.Collector<>();

    private Builder(String name) {
      this.name = Check.name("name", name);
    }

    /**
     * Sets the configuration. Default: {@link AdaptiveThrottleConfig#defaults()}.
     *
     * @param config the configuration
     * @return this builder
     */
    public Builder config(AdaptiveThrottleConfig config) {
      this.config = Objects.requireNonNull(config, "config");
      return this;
    }

    /**
     * Sets the clock that slides the window. Default: {@link Clock#system()}.
     *
     * @param clock the clock
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Sets the randomness of the rejections. Default: {@link java.util.concurrent.ThreadLocalRandom}. A given
     * generator is called from every calling thread, so it must tolerate that (a seeded one is for
     * single-threaded tests).
     *
     * @param random the source of randomness
     * @return this builder
     */
    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * Adds a listener for events of {@code type}.
     *
     * @param type the event class
     * @param listener the listener
     * @param <T> the event type
     * @return this builder
     */
    public <T extends ThrottleEvent> Builder listener(Class<T> type, EventListener<? super T> listener) {
      listeners.add(type, listener);
      return this;
    }

    /**
     * Builds the throttle.
     *
     * @return a new throttle
     */
    public AdaptiveThrottle build() {
      return new AdaptiveThrottleImpl(name, config, clock, random, listeners.build());
    }
  }
}
