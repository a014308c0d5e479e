package dev.bulwark.spring.app;

import java.util.concurrent.CompletionStage;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/e2e")
public class PartnerController {
  private final PartnerClient client;

  public PartnerController(PartnerClient client) {
    this.client = client;
  }

  @GetMapping("/partner/{id}")
  public String partner(@PathVariable String id) {
    return client.partner(id);
  }

  @GetMapping("/partner-async/{id}")
  public CompletionStage<String> partnerAsync(@PathVariable String id) {
    return client.partnerAsync(id);
  }
}
