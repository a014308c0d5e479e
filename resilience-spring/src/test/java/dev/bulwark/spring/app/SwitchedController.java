package dev.bulwark.spring.app;

import java.util.concurrent.CompletableFuture;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class SwitchedController {
  private final SwitchedClient client;

  public SwitchedController(SwitchedClient client) {
    this.client = client;
  }

  @GetMapping("/switched")
  public String switched(@RequestParam String path) {
    return client.fetch(path);
  }

  @GetMapping("/switched-async")
  public CompletableFuture<String> switchedAsync(@RequestParam String path) {
    return client.fetchAsync(path);
  }

  @GetMapping("/switched-plain")
  public String switchedPlain(@RequestParam String path) {
    return client.fetchWithoutFallback(path);
  }
}
