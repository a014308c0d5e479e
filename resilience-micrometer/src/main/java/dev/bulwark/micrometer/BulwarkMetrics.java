package dev.bulwark.micrometer;

import dev.bulwark.Policy;
import dev.bulwark.Registry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Binds Bulwark's policies to a Micrometer {@link MeterRegistry}: the entry point of this module.
 *
 * <p>Bind a whole {@link Registry} and its instances follow it: those present now and those added later get
 * meters, removed ones lose them. Or bind one policy by hand. Meters read the policies' own metrics views
 * when the meter registry is scraped (function counters and gauges), so a bound policy costs nothing more per
 * call than an unbound one, and the meters hold the policies only weakly. Every meter carries the tag
 * {@code name} (the policy's name) and the common tags given here; the meter names and their other tags are
 * listed in {@code docs/metrics.md}. A policy of a kind this module has no meters for (a timeout, a
 * fallback) is accepted and bound to no meter.
 *
 * <pre>{@code
 * MeterRegistry meterRegistry = new SimpleMeterRegistry();
 * Registry<CircuitBreaker, CircuitBreakerConfig> breakers =
 *     Registry.builder(CircuitBreakerConfig.defaults(), CircuitBreaker::of).build();
 *
 * // a whole registry, with tags on every meter
 * RegistryMeters following = BulwarkMetrics.bind(breakers, meterRegistry, Tags.of("service", "shop"));
 *
 * // or one policy
 * PolicyMeters meters = BulwarkMetrics.bind(CircuitBreaker.ofDefaults("search"), meterRegistry);
 *
 * // or several registries with the same options
 * BulwarkMetrics metrics = BulwarkMetrics.builder(meterRegistry).commonTags("service", "shop").build();
 * RegistryMeters a = metrics.bind(breakers);
 * RegistryMeters b = metrics.bind(retries);
 * }</pre>
 *
 * <p>Micrometer registers one meter per name and tags: binding two policies of the same kind and name (say
 * from two registries) to one meter registry would make them share meters. Give them distinct names, or
 * distinguish them with a common tag.
 */
public final class BulwarkMetrics {
  /** Tag keys the meters use themselves; a common tag may not take them. */
  static final Set<String> RESERVED_TAG_KEYS = Set.of("name", "state", "outcome", "kind", "priority");

  private final MeterRegistry meterRegistry;
  private final Tags commonTags;
  private final List<PolicyBinder<?>> binders;

  private BulwarkMetrics(Builder builder) {
    this.meterRegistry = builder.meterRegistry;
    this.commonTags = builder.commonTags;
    List<PolicyBinder<?>> all = new ArrayList<>(builder.extraBinders);
    all.addAll(Binders.all());
    this.binders = List.copyOf(all);
  }

  /**
   * Starts a binder with options (common tags).
   *
   * @param meterRegistry where the meters go
   * @return a builder
   */
  public static Builder builder(MeterRegistry meterRegistry) {
    return new Builder(meterRegistry);
  }

  /**
   * Binds every instance of {@code registry}, present and future, to {@code meterRegistry}.
   *
   * @param registry the policies to follow
   * @param meterRegistry where the meters go
   * @return the binding; closing it stops following and removes the meters
   */
  public static RegistryMeters bind(Registry<?, ?> registry, MeterRegistry meterRegistry) {
    return builder(meterRegistry).build().bind(registry);
  }

  /**
   * Binds every instance of {@code registry}, present and future, to {@code meterRegistry}, with
   * {@code commonTags} on every meter.
   *
   * @param registry the policies to follow
   * @param meterRegistry where the meters go
   * @param commonTags tags added to every meter, such as the service or region; not one of the keys the
   *     meters use themselves ({@code name}, {@code state}, {@code outcome}, {@code kind}, {@code priority})
   * @return the binding; closing it stops following and removes the meters
   */
  public static RegistryMeters bind(
      Registry<?, ?> registry, MeterRegistry meterRegistry, Iterable<Tag> commonTags) {
    return builder(meterRegistry).commonTags(commonTags).build().bind(registry);
  }

  /**
   * Binds one policy to {@code meterRegistry}.
   *
   * @param policy the policy
   * @param meterRegistry where the meters go
   * @return the binding; closing it removes the meters
   */
  public static PolicyMeters bind(Policy policy, MeterRegistry meterRegistry) {
    return builder(meterRegistry).build().bind(policy);
  }

  /**
   * Binds one policy to {@code meterRegistry}, with {@code commonTags} on every meter.
   *
   * @param policy the policy
   * @param meterRegistry where the meters go
   * @param commonTags tags added to every meter (see {@link #bind(Registry, MeterRegistry, Iterable)})
   * @return the binding; closing it removes the meters
   */
  public static PolicyMeters bind(Policy policy, MeterRegistry meterRegistry, Iterable<Tag> commonTags) {
    return builder(meterRegistry).commonTags(commonTags).build().bind(policy);
  }

  /**
   * Binds every instance of {@code registry}, present and future.
   *
   * @param registry the policies to follow
   * @return the binding; closing it stops following and removes the meters
   */
  public RegistryMeters bind(Registry<?, ?> registry) {
    return new RegistryMeters(Objects.requireNonNull(registry, "registry"), this);
  }

  /**
   * Binds one policy.
   *
   * @param policy the policy
   * @return the binding; closing it removes the meters. Empty (but still a binding) for a kind of policy
   *     this module has no meters for
   */
  public PolicyMeters bind(Policy policy) {
    Objects.requireNonNull(policy, "policy");
    MeterSet meters = new MeterSet(meterRegistry, commonTags.and("name", policy.name()));
    for (PolicyBinder<?> binder : binders) {
      if (binder.supports(policy)) {
        try {
          binder.bindTo(policy, meters);
        } catch (RuntimeException e) {
          new PolicyMeters(policy.name(), meterRegistry, meters).close(); // leave nothing behind
          throw e;
        }
        break;
      }
    }
    return new PolicyMeters(policy.name(), meterRegistry, meters);
  }

  /**
   * Returns an opt-in per-call latency timer for the circuit breaker named {@code breakerName}: give it to
   * the breaker's builder. It records every permitted call's duration in
   * {@code bulwark.circuitbreaker.call.duration}, tagged {@code outcome} ({@code successful}, {@code failed},
   * {@code ignored}), and is removed with the breaker's other meters.
   *
   * <pre>{@code
   * CircuitBreakerCallTimer timer = metrics.circuitBreakerCallTimer("inventory");
   * CircuitBreaker breaker = CircuitBreaker.builder("inventory")
   *     .listener(CircuitBreakerEvent.Success.class, timer)
   *     .listener(CircuitBreakerEvent.Failure.class, timer)
   *     .listener(CircuitBreakerEvent.Ignored.class, timer)
   *     .build();
   * }</pre>
   *
   * @param breakerName the name of the breaker it will time
   * @return a listener that records call durations
   */
  public CircuitBreakerCallTimer circuitBreakerCallTimer(String breakerName) {
    Objects.requireNonNull(breakerName, "breakerName");
    return new CircuitBreakerCallTimer(meterRegistry, commonTags.and("name", breakerName));
  }

  /**
   * Returns whether this module has meters for {@code policy}'s kind.
   *
   * @param policy the policy
   * @return {@code true} if {@link #bind(Policy)} registers meters for it
   */
  public boolean supports(Policy policy) {
    Objects.requireNonNull(policy, "policy");
    for (PolicyBinder<?> binder : binders) {
      if (binder.supports(policy)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Returns the meter registry the meters go to.
   *
   * @return the meter registry
   */
  public MeterRegistry meterRegistry() {
    return meterRegistry;
  }

  /**
   * Returns the tags added to every meter, besides {@code name}.
   *
   * @return the common tags
   */
  public Tags commonTags() {
    return commonTags;
  }

  @Override
  public String toString() {
    return "BulwarkMetrics[" + meterRegistry.getClass().getSimpleName() + ", commonTags=" + commonTags + "]";
  }

  /**
   * Builds a {@link BulwarkMetrics}.
   *
   * <pre>{@code
   * BulwarkMetrics metrics = BulwarkMetrics.builder(meterRegistry)
   *     .commonTags("service", "shop", "region", "eu-west-1")
   *     .build();
   * }</pre>
   */
  public static final class Builder {
    private final MeterRegistry meterRegistry;
    private Tags commonTags = Tags.empty();
    private final List<PolicyBinder<?>> extraBinders = new ArrayList<>();

    private Builder(MeterRegistry meterRegistry) {
      this.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry");
    }

    /**
     * Adds tags to every meter, such as the service or the region. Their values must be bounded: they
     * multiply every series.
     *
     * @param tags the tags; none may use a key the meters use themselves ({@code name}, {@code state},
     *     {@code outcome}, {@code kind}, {@code priority})
     * @return this builder
     * @throws IllegalArgumentException if a tag uses a reserved key
     */
    public Builder commonTags(Iterable<Tag> tags) {
      Objects.requireNonNull(tags, "commonTags");
      for (Tag tag : tags) {
        Objects.requireNonNull(tag, "commonTags element");
        if (RESERVED_TAG_KEYS.contains(tag.getKey())) {
          throw new IllegalArgumentException("commonTags must not use the reserved keys "
              + new java.util.TreeSet<>(RESERVED_TAG_KEYS) + ", was " + tag.getKey() + "=" + tag.getValue());
        }
      }
      commonTags = commonTags.and(tags);
      return this;
    }

    /**
     * Adds tags to every meter, given as key, value, key, value...
     *
     * @param keyValues the tags as an even number of strings
     * @return this builder
     * @throws IllegalArgumentException if the count is odd or a tag uses a reserved key
     */
    public Builder commonTags(String... keyValues) {
      Objects.requireNonNull(keyValues, "commonTags");
      if (keyValues.length % 2 != 0) {
        throw new IllegalArgumentException(
            "commonTags must be key, value pairs, was an odd count " + keyValues.length);
      }
      return commonTags(Tags.of(keyValues));
    }

    /** Puts a binder ahead of the built-in ones; for tests of the binding machinery. */
    Builder binder(PolicyBinder<?> binder) {
      extraBinders.add(Objects.requireNonNull(binder, "binder"));
      return this;
    }

    /**
     * Builds the binder.
     *
     * @return the binder
     */
    public BulwarkMetrics build() {
      return new BulwarkMetrics(this);
    }
  }
}
