package dev.bulwark.spring.actuate;

import dev.bulwark.Policy;
import dev.bulwark.spring.PolicyBinding;
import dev.bulwark.spring.autoconfigure.BulwarkRuntime;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the {@code bulwark} health contributor reports, apart from the Boot generation's health API: per
 * instance its state, and a status that is UP unless an instance is degraded (a circuit breaker open) and
 * {@code bulwark.health.degraded-status} says otherwise.
 *
 * <pre>{@code
 * BulwarkHealth.Report report = new BulwarkHealth(runtime, "DOWN").report();
 * report.status();    // "DOWN" while a breaker is open
 * }</pre>
 */
public final class BulwarkHealth {
  private final BulwarkRuntime runtime;
  private final String degradedStatus;

  /**
   * Creates the health view.
   *
   * @param runtime the Bulwark runtime
   * @param degradedStatus the status reported while an instance is degraded
   */
  public BulwarkHealth(BulwarkRuntime runtime, String degradedStatus) {
    this.runtime = runtime;
    this.degradedStatus = degradedStatus;
  }

  /**
   * Computes the report.
   *
   * @return the status and details
   */
  public Report report() {
    Map<String, Object> details = new LinkedHashMap<>();
    boolean[] degraded = {false};
    for (PolicyBinding<?, ?> binding : runtime.bindings()) {
      Map<String, Object> instances = describe(binding, degraded);
      if (!instances.isEmpty()) {
        details.put(binding.propertyName(), instances);
      }
    }
    return new Report(degraded[0] ? degradedStatus : "UP", details);
  }

  private static <P extends Policy> Map<String, Object> describe(PolicyBinding<?, P> binding, boolean[] degraded) {
    Map<String, Object> instances = new LinkedHashMap<>();
    for (P policy : binding.registry().all()) {
      boolean isDegraded = binding.degraded(policy);
      degraded[0] |= isDegraded;
      Map<String, Object> detail = new LinkedHashMap<>(binding.describe(policy));
      detail.put("degraded", isDegraded);
      instances.put(policy.name(), detail);
    }
    return instances;
  }

  /**
   * A health report.
   *
   * @param status the status code
   * @param details per primitive, per instance
   */
  public record Report(String status, Map<String, Object> details) {}
}
