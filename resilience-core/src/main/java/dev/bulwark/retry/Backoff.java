package dev.bulwark.retry;

import dev.bulwark.internal.Check;
import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How long a {@link Retry} waits before each retry.
 *
 * <p>The built-in strategies, for the {@code n}-th retry ({@code n = 1} for the first):
 * <ul>
 *   <li>{@link #none()}: {@code 0}.</li>
 *   <li>{@link #fixed(Duration) fixed(d)}: {@code d}.</li>
 *   <li>{@link #exponential(Duration, double, Duration) exponential(base, multiplier, cap)}:
 *       {@code t = min(cap, base * multiplier^(n-1))}.</li>
 *   <li>any of these {@link #withJitter(Jitter) withJitter(...)}: {@link Jitter#FULL} uniform in
 *       {@code [0, t]}, {@link Jitter#EQUAL} uniform in {@code [ceil(t/2), t]}, {@link Jitter#DECORRELATED}
 *       uniform in {@code [base, min(cap, 3 * previous)]}. Jitter is applied after the cap, so capped delays
 *       stay spread out.</li>
 *   <li>{@link #of(DelayFunction)}: any function of the retry number and the previous delay.</li>
 * </ul>
 * A hint carried by the failure (a {@code Retry-After}, a rejection's {@code retryAfter}) replaces the
 * computed delay; see {@link RetryConfig.Builder#maxRetryAfter(Duration)}.
 *
 * <p>Backoffs are immutable values (equal when built from equal arguments) and safe to share. Bad arguments
 * fail when the backoff is built, with a message naming the argument, the rule and the value.
 *
 * <pre>{@code
 * Backoff backoff = Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofSeconds(10))
 *     .withJitter(Jitter.FULL);
 * RetryConfig config = RetryConfig.builder().maxAttempts(4).backoff(backoff).build();
 * }</pre>
 */
@FunctionalInterface
public interface Backoff {

  /**
   * Returns the delay before retry number {@code retry}.
   *
   * @param retry the retry about to be made: 1 for the first retry (the second attempt)
   * @param previousDelayNanos the delay this backoff returned before the previous retry of the same call,
   *     or {@code 0} before the first retry
   * @param random the source of randomness, used by jittered strategies
   * @return the delay in nanoseconds, never negative
   */
  long delayNanos(int retry, long previousDelayNanos, RandomGenerator random);

  /**
   * Returns this backoff with {@code jitter} applied after its cap. A custom backoff supports
   * {@link Jitter#NONE}, {@link Jitter#FULL} and {@link Jitter#EQUAL}; {@link Jitter#DECORRELATED} needs a
   * base and a cap, which only {@link #fixed(Duration)} and {@link #exponential(Duration, double, Duration)}
   * have.
   *
   * @param jitter the jitter
   * @return a backoff that randomizes this one's delays
   * @throws IllegalArgumentException if this backoff cannot use that jitter
   */
  default Backoff withJitter(Jitter jitter) {
    return JitteredBackoff.of(this, jitter);
  }

  /**
   * Returns the backoff that retries at once.
   *
   * @return a backoff whose delay is always zero
   */
  static Backoff none() {
    return StandardBackoff.NONE;
  }

  /**
   * Returns the backoff that always waits {@code delay}.
   *
   * @param delay the delay, zero or positive
   * @return a fixed backoff
   * @throws IllegalArgumentException if {@code delay} is negative
   */
  static Backoff fixed(Duration delay) {
    long nanos = Check.notNegativeNanos("delay", delay);
    return nanos == 0 ? StandardBackoff.NONE : StandardBackoff.fixed(nanos);
  }

  /**
   * Returns the exponential backoff {@code min(cap, base * multiplier^(n-1))} for the {@code n}-th retry.
   *
   * @param base the delay before the first retry, positive
   * @param multiplier the growth factor, at least 1
   * @param cap the largest delay, at least {@code base}
   * @return an exponential backoff without jitter
   * @throws IllegalArgumentException if an argument breaks its rule
   */
  static Backoff exponential(Duration base, double multiplier, Duration cap) {
    long baseNanos = Check.positiveNanos("base", base);
    Check.atLeast("multiplier", multiplier, 1.0);
    if (Double.isInfinite(multiplier)) {
      throw new IllegalArgumentException("multiplier must be finite, was " + multiplier);
    }
    long capNanos = Check.positiveNanos("cap", cap);
    if (capNanos < baseNanos) {
      throw new IllegalArgumentException("cap must be >= base (" + base + "), was " + cap);
    }
    return StandardBackoff.exponential(baseNanos, multiplier, capNanos);
  }

  /**
   * Returns the exponential backoff that doubles: {@code min(cap, base * 2^(n-1))}.
   *
   * @param base the delay before the first retry, positive
   * @param cap the largest delay, at least {@code base}
   * @return an exponential backoff without jitter
   */
  static Backoff exponential(Duration base, Duration cap) {
    return exponential(base, 2.0, cap);
  }

  /**
   * Returns a backoff computed by {@code function}. A function that returns {@code null} or a negative
   * duration fails the retry with an {@link IllegalStateException}.
   *
   * @param function computes the delay from the retry number and the previous delay
   * @return a custom backoff
   */
  static Backoff of(DelayFunction function) {
    return new FunctionBackoff(Objects.requireNonNull(function, "function"));
  }

  /**
   * A custom delay: a function of the retry number and the previous delay of the same call.
   *
   * <pre>{@code
   * Backoff linear = Backoff.of((retry, previous) -> Duration.ofMillis(200L * retry));
   * }</pre>
   */
  @FunctionalInterface
  interface DelayFunction {
    /**
     * Computes the delay before retry number {@code retry}.
     *
     * @param retry 1 for the first retry
     * @param previousDelay the previous delay of the same call, {@link Duration#ZERO} before the first retry
     * @return the delay, zero or positive
     */
    Duration delay(int retry, Duration previousDelay);
  }
}
