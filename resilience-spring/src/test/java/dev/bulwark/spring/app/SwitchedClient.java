package dev.bulwark.spring.app;

import dev.bulwark.CallNotPermittedException;
import dev.bulwark.spring.support.KillSwitch;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Service;

/** Calls guarded by the test-only {@link KillSwitch}, with typed fallbacks, sync and async. */
@Service
public class SwitchedClient {
  private final DependencyHttp http;

  public SwitchedClient(DependencyHttp http) {
    this.http = http;
  }

  @KillSwitch(name = "switched", fallbackMethod = "fallback")
  public String fetch(String path) {
    return http.get(path);
  }

  @KillSwitch(name = "switched-async", fallbackMethod = "fallbackAsync")
  public CompletableFuture<String> fetchAsync(String path) {
    return http.getAsync(path);
  }

  @KillSwitch(name = "switched")
  public String fetchWithoutFallback(String path) {
    return http.get(path);
  }

  // the most specific exception type wins; the untyped one takes what no typed one matches
  String fallback(String path, CallNotPermittedException e) {
    return "rejected by " + e.policyName();
  }

  String fallback(String path, DependencyException e) {
    return "dependency failed: " + e.getMessage();
  }

  String fallback(String path) {
    return "fallback for " + path;
  }

  CompletableFuture<String> fallbackAsync(String path, CallNotPermittedException e) {
    return CompletableFuture.completedFuture("async rejected by " + e.policyName());
  }

  String fallbackAsync(String path, DependencyException e) {
    return "async dependency failed: " + e.getMessage();
  }
}
