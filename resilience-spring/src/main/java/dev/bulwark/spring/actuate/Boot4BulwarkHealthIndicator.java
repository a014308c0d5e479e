package dev.bulwark.spring.actuate;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code bulwark} health contributor on Spring Boot 4 ({@code org.springframework.boot.health.contributor}).
 *
 * <pre>{@code
 * GET /actuator/health/bulwark   {"status":"UP","details":{"circuitbreaker":{"inventory":{"state":"OPEN",...}}}}
 * }</pre>
 */
public final class Boot4BulwarkHealthIndicator implements HealthIndicator {
  private final BulwarkHealth health;

  /**
   * Creates the indicator.
   *
   * @param health the health view
   */
  public Boot4BulwarkHealthIndicator(BulwarkHealth health) {
    this.health = health;
  }

  @Override
  public Health health() {
    BulwarkHealth.Report report = health.report();
    return Health.status(report.status()).withDetails(report.details()).build();
  }
}
