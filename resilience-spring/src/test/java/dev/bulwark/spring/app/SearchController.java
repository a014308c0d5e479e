package dev.bulwark.spring.app;

import java.util.concurrent.CompletionStage;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/e2e")
public class SearchController {
  private final SearchClient client;

  public SearchController(SearchClient client) {
    this.client = client;
  }

  @GetMapping("/search/{q}")
  public String search(@PathVariable String q) {
    return client.search(q);
  }

  @GetMapping("/search-async/{q}")
  public CompletionStage<String> searchAsync(@PathVariable String q) {
    return client.searchAsync(q);
  }
}
