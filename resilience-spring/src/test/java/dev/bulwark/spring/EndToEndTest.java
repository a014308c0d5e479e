package dev.bulwark.spring;

import dev.bulwark.spring.app.TestApplication;
import dev.bulwark.spring.support.HttpCalls;
import dev.bulwark.spring.support.ScriptedHttpServer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The base of every end-to-end test: one application on a random port (the same configuration, so one
 * cached context for every subclass) calling one scripted HTTP dependency. Tests use their own instance
 * names and paths, so they never see each other's state.
 */
@SpringBootTest(classes = TestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
        "management.endpoint.health.show-details=always",
        "spring.main.banner-mode=off"
    })
public abstract class EndToEndTest {
  /** The dependency, shared by every test class of the JVM. */
  protected static final ScriptedHttpServer DEPENDENCY = Shared.SERVER;

  @Value("${local.server.port}")
  private int port;

  @DynamicPropertySource
  static void dependency(DynamicPropertyRegistry registry) {
    registry.add("dependency.url", DEPENDENCY::url);
  }

  /** Reads a JSON path of a body. */
  protected static <T> T json(String body, String path) {
    return com.jayway.jsonpath.JsonPath.read(body, path);
  }

  /** Calls the application under test. */
  protected HttpCalls app() {
    return new HttpCalls("http://127.0.0.1:" + port);
  }

  private static final class Shared {
    static final ScriptedHttpServer SERVER = new ScriptedHttpServer();
  }
}
