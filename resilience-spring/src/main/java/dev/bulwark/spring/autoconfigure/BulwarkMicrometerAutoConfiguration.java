package dev.bulwark.spring.autoconfigure;

import dev.bulwark.micrometer.BulwarkMetrics;
import dev.bulwark.micrometer.RegistryMeters;
import dev.bulwark.spring.PolicyBinding;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Binds every Bulwark registry to the application's {@link MeterRegistry}, when {@code resilience-micrometer}
 * is on the class path and a meter registry bean exists (Actuator's, or the application's own). Instances
 * follow their registry: those created later, or replaced by a configuration change, get their meters too.
 *
 * <pre>{@code
 * GET /actuator/metrics/bulwark.circuitbreaker.state?tag=name:inventory
 * }</pre>
 */
@AutoConfiguration(after = BulwarkAutoConfiguration.class)
@ConditionalOnClass(name = {"dev.bulwark.micrometer.BulwarkMetrics", "io.micrometer.core.instrument.MeterRegistry"})
@ConditionalOnBean(BulwarkRuntime.class)
public class BulwarkMicrometerAutoConfiguration {

  /** Creates the configuration (for Spring). */
  public BulwarkMicrometerAutoConfiguration() {}

  @Bean
  MeterBinding bulwarkMeterBinding(ObjectProvider<MeterRegistry> meterRegistry, BulwarkRuntime runtime) {
    return new MeterBinding(meterRegistry, runtime);
  }

  /** Binds once every singleton exists, so the meter registry is found whichever configuration made it. */
  static final class MeterBinding implements SmartInitializingSingleton, DisposableBean {
    private final ObjectProvider<MeterRegistry> meterRegistry;
    private final BulwarkRuntime runtime;
    private final List<RegistryMeters> bound = new ArrayList<>();

    MeterBinding(ObjectProvider<MeterRegistry> meterRegistry, BulwarkRuntime runtime) {
      this.meterRegistry = meterRegistry;
      this.runtime = runtime;
    }

    @Override
    public void afterSingletonsInstantiated() {
      MeterRegistry registry = meterRegistry.getIfUnique();
      if (registry == null) {
        return;
      }
      BulwarkMetrics metrics = BulwarkMetrics.builder(registry).build();
      for (PolicyBinding<?, ?> binding : runtime.bindings()) {
        bound.add(metrics.bind(binding.registry()));
      }
    }

    @Override
    public void destroy() {
      bound.forEach(RegistryMeters::close);
      bound.clear();
    }
  }
}
