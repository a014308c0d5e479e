package dev.bulwark.spring.app;

import dev.bulwark.spring.annotation.Idempotent;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Service;

@Service
public class PaymentsClient {
  private final DependencyHttp http;

  public PaymentsClient(DependencyHttp http) {
    this.http = http;
  }

  // idempotency

  @Idempotent(name = "payments", key = "#orderId", fingerprint = "#amount")
  public String pay(String orderId, long amount) {
    return http.get("/pay/" + orderId + "/" + amount);
  }

  @Idempotent(name = "payments-async", key = "#p0", fingerprint = "#p1")
  public CompletableFuture<String> payAsync(String orderId, long amount) {
    return http.getAsync("/pay-async/" + orderId + "/" + amount);
  }
}
