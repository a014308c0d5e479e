package dev.bulwark.spring.app;

import java.util.concurrent.CompletionStage;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/e2e")
public class PricingController {
  private final PricingClient client;

  public PricingController(PricingClient client) {
    this.client = client;
  }

  @GetMapping("/price/{item}")
  public String price(@PathVariable String item) {
    return client.price(item);
  }

  @GetMapping("/price-async/{item}")
  public CompletionStage<String> priceAsync(@PathVariable String item) {
    return client.priceAsync(item);
  }

  @GetMapping("/combo/{id}")
  public String combo(@PathVariable String id) {
    return client.combo(id);
  }
}
