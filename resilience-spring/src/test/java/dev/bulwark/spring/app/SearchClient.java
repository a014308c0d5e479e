package dev.bulwark.spring.app;

import dev.bulwark.spring.annotation.Timeout;
import dev.bulwark.timeout.TimeoutExceededException;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Service;

@Service
public class SearchClient {
  private final DependencyHttp http;

  public SearchClient(DependencyHttp http) {
    this.http = http;
  }

  // timeout

  @Timeout(name = "search", fallbackMethod = "noResults")
  public String search(String query) {
    return http.get("/search/" + query);
  }

  @Timeout(name = "search-async", fallbackMethod = "noResults")
  public CompletableFuture<String> searchAsync(String query) {
    return http.getAsync("/search-async/" + query);
  }

  String noResults(String query, TimeoutExceededException e) {
    return "no results for " + query + " in time";
  }
}
