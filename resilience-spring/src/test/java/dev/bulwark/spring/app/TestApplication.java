package dev.bulwark.spring.app;

import dev.bulwark.Clock;
import dev.bulwark.ContextPropagator;
import dev.bulwark.spring.support.KillSwitchBinding;
import dev.bulwark.testing.ManualClock;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The application the end-to-end tests start on a random port: controllers call services protected by
 * Bulwark annotations, which call a real HTTP dependency the test scripts. Every instance reads the test's
 * {@link ManualClock} (breakers' open durations, rate limiters' periods advance only when a test says so);
 * waits and timers stay real and short.
 */
@SpringBootApplication
public class TestApplication {
  /** The time of every Bulwark instance in the application. */
  public static final ManualClock CLOCK = new ManualClock();

  @Bean
  Clock bulwarkClock() {
    return CLOCK::nanoTime;
  }

  /** Applies to every policy the auto-configuration builds from properties. */
  @Bean
  ContextPropagator requestUserPropagator() {
    return ContextPropagator.ofThreadLocal(RequestUser.CURRENT);
  }

  @Bean
  KillSwitchBinding killSwitchBinding() {
    return new KillSwitchBinding();
  }
}
