package dev.bulwark.idempotency;

import java.util.Objects;

/**
 * A result of {@link Idempotency#executeForResult} and whether it is a replay: an HTTP layer sends
 * {@code Idempotent-Replayed: true} for replays.
 *
 * <pre>{@code
 * IdempotentResult<Receipt> result = payments.executeForResult(key, fingerprint, () -> charge(request));
 * if (result.isReplay()) {
 *   response.setHeader("Idempotent-Replayed", "true");
 * }
 * return result.value();
 * }</pre>
 *
 * @param <T> the result type
 */
public final class IdempotentResult<T> {
  private final T value;
  private final boolean replay;

  private IdempotentResult(T value, boolean replay) {
    this.value = value;
    this.replay = replay;
  }

  static <T> IdempotentResult<T> of(T value, boolean replay) {
    return new IdempotentResult<>(value, replay);
  }

  /**
   * Returns the result: the work's own, or the first execution's when replayed.
   *
   * @return the value, possibly {@code null}
   */
  public T value() {
    return value;
  }

  /**
   * Tells whether the result was replayed from the store rather than produced by running the work now.
   *
   * @return {@code true} for a replay
   */
  public boolean isReplay() {
    return replay;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IdempotentResult<?> other && replay == other.replay && Objects.equals(value, other.value);
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(value) * 31 + Boolean.hashCode(replay);
  }

  @Override
  public String toString() {
    return "IdempotentResult[" + (replay ? "replay" : "executed") + ", " + value + "]";
  }
}
