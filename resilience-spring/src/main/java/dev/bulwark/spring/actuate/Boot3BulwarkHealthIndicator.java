package dev.bulwark.spring.actuate;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * The {@code bulwark} health contributor on Spring Boot 3 ({@code org.springframework.boot.actuate.health}).
 *
 * <pre>{@code
 * GET /actuator/health/bulwark   {"status":"UP","details":{"circuitbreaker":{"inventory":{"state":"OPEN",...}}}}
 * }</pre>
 */
public final class Boot3BulwarkHealthIndicator implements HealthIndicator {
  private final BulwarkHealth health;

  /**
   * Creates the indicator.
   *
   * @param health the health view
   */
  public Boot3BulwarkHealthIndicator(BulwarkHealth health) {
    this.health = health;
  }

  @Override
  public Health health() {
    BulwarkHealth.Report report = health.report();
    return Health.status(report.status()).withDetails(report.details()).build();
  }
}
