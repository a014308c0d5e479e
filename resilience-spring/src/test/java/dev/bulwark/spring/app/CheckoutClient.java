package dev.bulwark.spring.app;

import dev.bulwark.CallNotPermittedException;
import dev.bulwark.spring.annotation.LoadShed;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Service;

@Service
public class CheckoutClient {
  private final DependencyHttp http;

  public CheckoutClient(DependencyHttp http) {
    this.http = http;
  }

  // load shedding

  @LoadShed(name = "checkout", priority = 100)
  public String checkout(String cart) {
    return http.get("/checkout/" + cart);
  }

  @LoadShed(name = "checkout", priority = 0, fallbackMethod = "shed")
  public String recommendations(String cart) {
    return http.get("/recommendations/" + cart);
  }

  @LoadShed(name = "checkout-async", priority = 0, fallbackMethod = "shed")
  public CompletableFuture<String> recommendationsAsync(String cart) {
    return http.getAsync("/recommendations-async/" + cart);
  }

  @LoadShed(name = "checkout-async", priority = 100)
  public CompletableFuture<String> checkoutAsync(String cart) {
    return http.getAsync("/checkout-async/" + cart);
  }

  String shed(String cart, CallNotPermittedException e) {
    return "shed by " + e.policyName();
  }
}
