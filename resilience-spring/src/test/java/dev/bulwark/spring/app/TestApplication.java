package dev.bulwark.spring.app;

import dev.bulwark.spring.support.KillSwitchBinding;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The application the end-to-end tests start on a random port: controllers call services protected by
 * Bulwark annotations, which call a real HTTP dependency the test scripts.
 */
@SpringBootApplication
public class TestApplication {

  @Bean
  KillSwitchBinding killSwitchBinding() {
    return new KillSwitchBinding();
  }
}
