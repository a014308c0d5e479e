package dev.bulwark.spring.app;

import java.util.concurrent.CompletionStage;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/e2e")
public class InventoryController {
  private final InventoryClient client;

  public InventoryController(InventoryClient client) {
    this.client = client;
  }

  @GetMapping("/stock/{sku}")
  public String stock(@PathVariable String sku) {
    return client.stock(sku);
  }

  @GetMapping("/stock-async/{sku}")
  public CompletionStage<String> stockAsync(@PathVariable String sku) {
    return client.stockAsync(sku);
  }
}
