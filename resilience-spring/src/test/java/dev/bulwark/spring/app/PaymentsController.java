package dev.bulwark.spring.app;

import java.util.concurrent.CompletionStage;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/e2e")
public class PaymentsController {
  private final PaymentsClient client;

  public PaymentsController(PaymentsClient client) {
    this.client = client;
  }

  @GetMapping("/pay/{order}/{amount}")
  public String pay(@PathVariable String order, @PathVariable long amount) {
    return client.pay(order, amount);
  }

  @GetMapping("/pay-async/{order}/{amount}")
  public CompletionStage<String> payAsync(@PathVariable String order, @PathVariable long amount) {
    return client.payAsync(order, amount);
  }
}
