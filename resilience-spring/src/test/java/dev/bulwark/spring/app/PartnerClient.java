package dev.bulwark.spring.app;

import dev.bulwark.CallNotPermittedException;
import dev.bulwark.spring.annotation.RateLimiter;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Service;

@Service
public class PartnerClient {
  private final DependencyHttp http;

  public PartnerClient(DependencyHttp http) {
    this.http = http;
  }

  // rate limiter

  @RateLimiter(name = "partner", fallbackMethod = "slowDown")
  public String partner(String id) {
    return http.get("/partner/" + id);
  }

  @RateLimiter(name = "partner-async", fallbackMethod = "slowDown")
  public CompletableFuture<String> partnerAsync(String id) {
    return http.getAsync("/partner-async/" + id);
  }

  String slowDown(String id, CallNotPermittedException e) {
    return "rate limited by " + e.policyName();
  }
}
