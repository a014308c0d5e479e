package dev.bulwark.spring.app;

import dev.bulwark.CallNotPermittedException;
import dev.bulwark.spring.annotation.CircuitBreaker;
import dev.bulwark.spring.annotation.Retry;
import java.util.concurrent.CompletionStage;
import org.springframework.stereotype.Service;

@Service
public class PricingClient {
  private final DependencyHttp http;

  public PricingClient(DependencyHttp http) {
    this.http = http;
  }

  // retry

  @Retry(name = "pricing")
  public String price(String item) {
    return http.get("/pricing/" + item);
  }

  @Retry(name = "pricing-async", fallbackMethod = "listPrice")
  public CompletionStage<String> priceAsync(String item) {
    return http.getAsync("/pricing-async/" + item);
  }

  String listPrice(String item, DependencyException e) {
    return "list price of " + item;
  }

  // several at once: one pipeline, in the documented order

  @CircuitBreaker(name = "combo", fallbackMethod = "comboFallback")
  @Retry(name = "combo")
  public String combo(String id) {
    return http.get("/combo/" + id);
  }

  String comboFallback(String id, CallNotPermittedException e) {
    return "combo rejected by " + e.policyKind();
  }
}
