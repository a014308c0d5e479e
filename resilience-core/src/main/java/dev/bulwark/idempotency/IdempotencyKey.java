package dev.bulwark.idempotency;

import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * The idempotency key (and request fingerprint) of the operation running on this thread: how an
 * {@link Idempotency} policy inside a {@link dev.bulwark.Pipeline}, or behind {@code Policy.call}, learns
 * its key. {@link #call(Callable)} installs it for the code it runs; asynchronous calls read it when they
 * start. Nested keys replace outer ones for their extent.
 *
 * <pre>{@code
 * Pipeline pipeline = Pipeline.of(idempotency, retry, breaker);
 * Receipt receipt = IdempotencyKey.of(request.header("Idempotency-Key"), sha256(request.body()))
 *     .call(() -> pipeline.call(() -> payments.charge(request)));
 * }</pre>
 */
public final class IdempotencyKey {
  private static final ThreadLocal<IdempotencyKey> CURRENT = new ThreadLocal<>();

  private final String key;
  private final String fingerprint;

  private IdempotencyKey(String key, String fingerprint) {
    this.key = key;
    this.fingerprint = fingerprint;
  }

  /**
   * Returns a key without a fingerprint: repeats are not checked against the first request.
   *
   * @param key the client's key; validated by the policy that uses it
   * @return the key
   */
  public static IdempotencyKey of(String key) {
    return of(key, "");
  }

  /**
   * Returns a key with the fingerprint of its request: a repeat whose fingerprint differs is rejected with
   * {@link IdempotencyKeyReuseException}.
   *
   * @param key the client's key; validated by the policy that uses it
   * @param fingerprint identifies the request's content, such as a hash of its method, path and body
   * @return the key
   */
  public static IdempotencyKey of(String key, String fingerprint) {
    return new IdempotencyKey(Objects.requireNonNull(key, "key"), Objects.requireNonNull(fingerprint, "fingerprint"));
  }

  /**
   * Returns the key installed on this thread, or {@code null}.
   *
   * @return the current key, or {@code null}
   */
  public static IdempotencyKey current() {
    return CURRENT.get();
  }

  /**
   * Returns the client's key.
   *
   * @return the key
   */
  public String key() {
    return key;
  }

  /**
   * Returns the request fingerprint; empty when none was given.
   *
   * @return the fingerprint
   */
  public String fingerprint() {
    return fingerprint;
  }

  /**
   * Runs {@code callable} with this key installed on the current thread, restoring the previous one after.
   *
   * @param callable the operation
   * @param <T> the result type
   * @return what the operation returned
   * @throws Exception what the operation threw
   */
  public <T> T call(Callable<? extends T> callable) throws Exception {
    Objects.requireNonNull(callable, "callable");
    IdempotencyKey previous = CURRENT.get();
    CURRENT.set(this);
    try {
      return callable.call();
    } finally {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IdempotencyKey other && key.equals(other.key) && fingerprint.equals(other.fingerprint);
  }

  @Override
  public int hashCode() {
    return key.hashCode() * 31 + fingerprint.hashCode();
  }

  /** Shows the key's length only: keys may carry personal data and end up in logs. */
  @Override
  public String toString() {
    return "IdempotencyKey[" + key.length() + " chars" + (fingerprint.isEmpty() ? "" : ", with fingerprint") + "]";
  }
}
