package dev.bulwark.retry;

/**
 * How a {@link Backoff} randomizes its delays so that clients which failed together do not retry together.
 *
 * <p>Jitter is applied <em>after</em> the cap. With {@code t = min(cap, base * multiplier^(n-1))} for the
 * {@code n}-th retry:
 * <ul>
 *   <li>{@link #NONE}: {@code t}.</li>
 *   <li>{@link #FULL}: uniform in {@code [0, t]}. Spreads retries the most; the AWS Architecture Blog's
 *       recommendation for contended resources.</li>
 *   <li>{@link #EQUAL}: uniform in {@code [ceil(t/2), t]}: never less than half the computed delay.</li>
 *   <li>{@link #DECORRELATED}: uniform in {@code [base, min(cap, 3 * previous)]}, where {@code previous} is
 *       the previous delay of the same call ({@code base} before the first retry).</li>
 * </ul>
 * Because the cap is applied first, delays stay spread over the whole interval once the cap is reached:
 * clients never converge on waiting exactly the cap, which would re-synchronise their retries. (Resilience4j
 * randomizes before capping, so every capped delay equals the cap.) For the same reason the decorrelated
 * variant draws from {@code [base, min(cap, 3 * previous)]} instead of clamping a draw from
 * {@code [base, 3 * previous]} to the cap, which would put about two thirds of capped delays exactly on
 * the cap.
 *
 * <pre>{@code
 * Backoff backoff = Backoff.exponential(Duration.ofMillis(100), 2.0, Duration.ofSeconds(5))
 *     .withJitter(Jitter.FULL);
 * }</pre>
 */
public enum Jitter {
  /** No randomization: the computed delay itself. */
  NONE,
  /** Uniform in {@code [0, t]}. */
  FULL,
  /** Uniform in {@code [ceil(t/2), t]}. */
  EQUAL,
  /** Uniform in {@code [base, min(cap, 3 * previous)]}. */
  DECORRELATED
}
