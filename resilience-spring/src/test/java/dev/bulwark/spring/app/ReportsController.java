package dev.bulwark.spring.app;

import java.util.concurrent.CompletionStage;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/e2e")
public class ReportsController {
  private final ReportsClient client;

  public ReportsController(ReportsClient client) {
    this.client = client;
  }

  @GetMapping("/report/{id}")
  public String report(@PathVariable String id) {
    return client.report(id);
  }

  @GetMapping("/report-async/{id}")
  public CompletionStage<String> reportAsync(@PathVariable String id) {
    return client.reportAsync(id);
  }

  @GetMapping("/export/{id}")
  public CompletionStage<String> export(@PathVariable String id,
      @RequestHeader(name = "X-Request-Id", required = false) String requestId) {
    ReportsClient.REQUEST_ID.set(requestId);
    try {
      return client.export(id);
    } finally {
      ReportsClient.REQUEST_ID.remove();
    }
  }
}
