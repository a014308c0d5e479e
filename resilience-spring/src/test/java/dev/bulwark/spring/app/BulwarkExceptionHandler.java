package dev.bulwark.spring.app;

import dev.bulwark.CallNotPermittedException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Maps Bulwark's rejections and the dependency's failures to HTTP answers the tests can read. */
@RestControllerAdvice
public class BulwarkExceptionHandler {

  @ExceptionHandler(CallNotPermittedException.class)
  public ResponseEntity<String> rejected(CallNotPermittedException e) {
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .body("rejected by " + e.policyKind() + " " + e.policyName());
  }

  @ExceptionHandler(dev.bulwark.idempotency.IdempotencyException.class)
  public ResponseEntity<String> idempotency(dev.bulwark.idempotency.IdempotencyException e) {
    return ResponseEntity.status(HttpStatus.CONFLICT).body(e.getClass().getSimpleName());
  }

  @ExceptionHandler(DependencyException.class)
  public ResponseEntity<String> failed(DependencyException e) {
    return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body(e.getMessage());
  }
}
