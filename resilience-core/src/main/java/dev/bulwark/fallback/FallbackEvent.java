package dev.bulwark.fallback;

/**
 * What a {@link Fallback} did, delivered to the listeners given to {@link Fallback.Builder}; only created
 * when someone listens.
 *
 * <pre>{@code
 * Fallback<Recommendations> fallback = Fallback.builder("recommendations", f -> Recommendations.STATIC)
 *     .listener(FallbackEvent.Applied.class, e -> log.info("served static recommendations: {}", e.failure()))
 *     .build();
 * }</pre>
 */
public sealed interface FallbackEvent permits FallbackEvent.Applied, FallbackEvent.FallbackFailed {

  /**
   * Returns the name of the fallback.
   *
   * @return the policy name
   */
  String name();

  /**
   * A failure was replaced by the fallback's result.
   *
   * <pre>{@code
   * fallbackBuilder.listener(FallbackEvent.Applied.class, e -> degraded.increment());
   * }</pre>
   *
   * @param name the name of the fallback
   * @param failure the failure that was replaced
   */
  record Applied(String name, Throwable failure) implements FallbackEvent {}

  /**
   * The fallback function itself failed; the caller got its exception.
   *
   * <pre>{@code
   * fallbackBuilder.listener(FallbackEvent.FallbackFailed.class, e -> log.error("no fallback", e.fallbackFailure()));
   * }</pre>
   *
   * @param name the name of the fallback
   * @param failure the failure the fallback tried to replace
   * @param fallbackFailure what the fallback function threw
   */
  record FallbackFailed(String name, Throwable failure, Throwable fallbackFailure) implements FallbackEvent {}
}
