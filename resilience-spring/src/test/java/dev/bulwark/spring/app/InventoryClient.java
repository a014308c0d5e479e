package dev.bulwark.spring.app;

import dev.bulwark.CallNotPermittedException;
import dev.bulwark.spring.annotation.CircuitBreaker;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Service;

@Service
public class InventoryClient {
  private final DependencyHttp http;

  public InventoryClient(DependencyHttp http) {
    this.http = http;
  }

  // circuit breaker

  @CircuitBreaker(name = "inventory", fallbackMethod = "cachedStock")
  public String stock(String sku) {
    return http.get("/inventory/" + sku);
  }

  @CircuitBreaker(name = "inventory-async", fallbackMethod = "cachedStock")
  public CompletableFuture<String> stockAsync(String sku) {
    return http.getAsync("/inventory-async/" + sku);
  }

  String cachedStock(String sku, CallNotPermittedException e) {
    return "cached " + sku + " (" + e.policyName() + " open)";
  }
}
