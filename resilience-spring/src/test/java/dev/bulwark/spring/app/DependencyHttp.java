package dev.bulwark.spring.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/** The application's HTTP client for its dependency (the test's scripted server). */
@Component
public class DependencyHttp {
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final String baseUrl;

  public DependencyHttp(@Value("${dependency.url}") String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /** GETs a path; a 5xx answer throws {@link DependencyException}. Interruptible (for timeouts). */
  public String get(String path) {
    try {
      return check(path, client.send(request(path), HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted calling " + path, e);
    }
  }

  /** GETs a path asynchronously; a 5xx answer completes with {@link DependencyException}. */
  public CompletableFuture<String> getAsync(String path) {
    return client.sendAsync(request(path), HttpResponse.BodyHandlers.ofString()).thenApply(r -> check(path, r));
  }

  private HttpRequest request(String path) {
    return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30)).GET().build();
  }

  private static String check(String path, HttpResponse<String> response) {
    if (response.statusCode() >= 500) {
      throw new DependencyException(path + " answered " + response.statusCode());
    }
    return response.body();
  }
}
