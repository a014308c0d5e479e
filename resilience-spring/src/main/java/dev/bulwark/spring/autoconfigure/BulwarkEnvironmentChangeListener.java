package dev.bulwark.spring.autoconfigure;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.context.environment.EnvironmentChangeEvent;
import org.springframework.context.ApplicationListener;

/**
 * Applies changed {@code bulwark.*} properties when Spring Cloud announces an environment change (a
 * refresh, a config server push). An invalid new value is logged and changes nothing.
 */
final class BulwarkEnvironmentChangeListener implements ApplicationListener<EnvironmentChangeEvent> {
  private static final Logger LOGGER = LoggerFactory.getLogger("dev.bulwark.spring");

  private final BulwarkRuntime runtime;

  BulwarkEnvironmentChangeListener(BulwarkRuntime runtime) {
    this.runtime = runtime;
  }

  @Override
  public void onApplicationEvent(EnvironmentChangeEvent event) {
    if (event.getKeys().stream().noneMatch(key -> key.startsWith("bulwark."))) {
      return;
    }
    try {
      runtime.refresh();
    } catch (RuntimeException e) {
      LOGGER.error("Bulwark ignored the changed properties, every instance keeps its configuration: {}",
          e.getMessage());
    }
  }
}
