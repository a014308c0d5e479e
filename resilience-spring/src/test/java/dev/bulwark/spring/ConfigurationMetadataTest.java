package dev.bulwark.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.jayway.jsonpath.JsonPath;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The configuration processor ran: IDEs find every {@code bulwark.*} property, with its description and
 * default, in {@code META-INF/spring-configuration-metadata.json}.
 */
class ConfigurationMetadataTest {

  static String metadata() throws IOException {
    Enumeration<URL> urls = ConfigurationMetadataTest.class.getClassLoader()
        .getResources("META-INF/spring-configuration-metadata.json");
    while (urls.hasMoreElements()) {
      URL url = urls.nextElement();
      try (InputStream in = url.openStream()) {
        String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        if (json.contains("\"dev.bulwark.spring.autoconfigure.BulwarkProperties\"")) {
          return json;
        }
      }
    }
    throw new AssertionError("no Bulwark configuration metadata on the class path");
  }

  static List<String> names(String json, String section) {
    return new ArrayList<>(JsonPath.<List<String>>read(json, "$." + section + "[*].name"));
  }

  @Test
  void everyGroupAndPropertyIsDescribed() throws IOException {
    String json = metadata();
    assertThat(names(json, "groups")).contains("bulwark", "bulwark.aspect", "bulwark.health");
    assertThat(names(json, "properties")).contains("bulwark.aspect.order", "bulwark.health.enabled",
        "bulwark.health.degraded-status");
    List<Object> undocumented = JsonPath.read(json,
        "$.properties[?(@.name =~ /bulwark\\..*/ && !@.description)].name");
    assertThat(undocumented).isEmpty();
    for (String[] primitive : new String[][] {{"circuitbreaker", "CircuitBreaker"}, {"retry", "Retry"},
        {"timeout", "Timeout"}, {"bulkhead", "Bulkhead"}, {"thread-pool-bulkhead", "ThreadPoolBulkhead"},
        {"ratelimiter", "RateLimiter"}, {"loadshedder", "LoadShedder"}, {"idempotency", "Idempotency"}}) {
      for (String section : List.of("templates", "instances")) {
        String name = "bulwark." + primitive[0] + "." + section;
        // the options' real type, so IDEs complete the keys under each template and instance
        assertThat(JsonPath.<List<Object>>read(json, "$.properties[?(@.name == '" + name + "')].type"))
            .as(name).containsExactly("java.util.Map<java.lang.String,dev.bulwark.spring.autoconfigure."
                + primitive[1] + "Options>");
      }
    }
    assertThat(JsonPath.<List<Object>>read(json,
        "$.properties[?(@.name == 'bulwark.health.degraded-status')].defaultValue")).containsExactly("UP");
  }
}
