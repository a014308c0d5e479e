package dev.bulwark.spring.app;

import java.util.concurrent.CompletionStage;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/e2e")
public class CheckoutController {
  private final CheckoutClient client;

  public CheckoutController(CheckoutClient client) {
    this.client = client;
  }

  @GetMapping("/checkout/{cart}")
  public String checkout(@PathVariable String cart) {
    return client.checkout(cart);
  }

  @GetMapping("/checkout-async/{cart}")
  public CompletionStage<String> checkoutAsync(@PathVariable String cart) {
    return client.checkoutAsync(cart);
  }

  @GetMapping("/recommendations/{cart}")
  public String recommendations(@PathVariable String cart) {
    return client.recommendations(cart);
  }

  @GetMapping("/recommendations-async/{cart}")
  public CompletionStage<String> recommendationsAsync(@PathVariable String cart) {
    return client.recommendationsAsync(cart);
  }
}
