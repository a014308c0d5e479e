package dev.bulwark.spring.autoconfigure;

import dev.bulwark.ContextPropagator;
import dev.bulwark.Clock;
import dev.bulwark.PolicyKind;
import dev.bulwark.Registry;
import dev.bulwark.bulkhead.ThreadPoolBulkhead;
import dev.bulwark.bulkhead.ThreadPoolBulkheadConfig;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;
import org.springframework.beans.factory.DisposableBean;

/**
 * Binds {@code @Bulkhead(type = THREAD_POOL)} to {@link ThreadPoolBulkhead}, under
 * {@code bulwark.thread-pool-bulkhead.*}. The method body runs on the pool's threads, with the caller's
 * context carried over (see the aspect).
 */
final class ThreadPoolBulkheadBinding extends AbstractPolicyBinding<dev.bulwark.spring.annotation.Bulkhead,
    ThreadPoolBulkhead, ThreadPoolBulkheadConfig, ThreadPoolBulkheadOptions> implements DisposableBean {

  /**
   * Returns how properties become configurations, every configuration carrying {@code propagators}: the
   * application's {@link ContextPropagator} beans.
   */
  static Layering<ThreadPoolBulkheadOptions, ThreadPoolBulkheadConfig> layering(ContextPropagator[] propagators) {
    return new Layering<>("thread-pool-bulkhead", BulwarkProperties::getThreadPoolBulkhead, layers -> toConfig(layers, propagators));
  }

  ThreadPoolBulkheadBinding(BulwarkProperties properties,
      Registry<ThreadPoolBulkhead, ThreadPoolBulkheadConfig> registry,
      Layering<ThreadPoolBulkheadOptions, ThreadPoolBulkheadConfig> layering) {
    super(ThreadPoolBulkhead.class, PolicyKind.BULKHEAD, dev.bulwark.spring.annotation.Bulkhead.class, layering,
        properties, registry);
  }

  static ThreadPoolBulkheadConfig toConfig(ConfigLayers<ThreadPoolBulkheadOptions> layers, ContextPropagator[] propagators) {
    ThreadPoolBulkheadConfig.Builder b = ThreadPoolBulkheadConfig.builder();
    layers.set("core-thread-pool-size", ThreadPoolBulkheadOptions::getCoreThreadPoolSize, b::coreThreadPoolSize);
    layers.set("max-thread-pool-size", ThreadPoolBulkheadOptions::getMaxThreadPoolSize, b::maxThreadPoolSize);
    layers.set("queue-capacity", ThreadPoolBulkheadOptions::getQueueCapacity, b::queueCapacity);
    layers.set("keep-alive", ThreadPoolBulkheadOptions::getKeepAlive, b::keepAlive);
    layers.set("virtual-threads", ThreadPoolBulkheadOptions::getVirtualThreads, b::virtualThreads);
    b.contextPropagators(propagators);
    return layers.build(b::build);
  }

  static BiFunction<String, ThreadPoolBulkheadConfig, ThreadPoolBulkhead> factory(Clock clock) {
    return (name, config) -> {
      ThreadPoolBulkhead.Builder builder = ThreadPoolBulkhead.builder(name).config(config);
      if (clock != null) {
        builder.clock(clock);
      }
      return builder.build();
    };
  }

  @Override
  public boolean handles(dev.bulwark.spring.annotation.Bulkhead annotation) {
    return annotation.type() == dev.bulwark.spring.annotation.Bulkhead.Type.THREAD_POOL;
  }

  @Override
  public String instanceName(dev.bulwark.spring.annotation.Bulkhead annotation) {
    return annotation.name();
  }

  @Override
  public String fallbackMethod(dev.bulwark.spring.annotation.Bulkhead annotation) {
    return annotation.fallbackMethod();
  }

  @Override
  public MethodPolicy bind(dev.bulwark.spring.annotation.Bulkhead annotation, Method method, Class<?> targetClass) {
    ThreadPoolBulkhead bulkhead = instance(annotation.name());
    return new MethodPolicy() {
      @Override
      public PolicyKind kind() {
        return PolicyKind.BULKHEAD;
      }

      @Override
      public dev.bulwark.Policy policy(Object target, Object[] arguments) {
        return bulkhead;
      }

      @Override
      public boolean changesThread() {
        return true;
      }
    };
  }

  /** The pools Bulwark created stop with the context, after finishing the calls they accepted. */
  @Override
  public void destroy() {
    for (ThreadPoolBulkhead bulkhead : registry().all()) {
      if (configOf(bulkhead.name()) != null) {
        bulkhead.shutdown();
      }
    }
  }

  /** A replaced pool finishes the calls it accepted, then stops its threads. */
  @Override
  void afterReplace(ThreadPoolBulkhead old, ThreadPoolBulkhead fresh) {
    old.shutdown();
  }

  @Override
  Map<String, Object> describeInstance(ThreadPoolBulkhead bulkhead) {
    Map<String, Object> d = new LinkedHashMap<>();
    ThreadPoolBulkhead.Metrics m = bulkhead.metrics();
    d.put("state", bulkhead.isShutdown() ? "SHUTDOWN" : m.remainingQueueCapacity() == 0 ? "FULL" : "AVAILABLE");
    d.put("metrics", Describe.metrics(m));
    d.put("config", bulkhead.config().toString());
    return d;
  }
}
