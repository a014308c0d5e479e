package dev.bulwark.fallback;

/**
 * Computes a degraded result from the failure that a {@link Fallback} handles.
 *
 * <pre>{@code
 * FallbackFunction<List<Product>> recommendations = failure -> StaticRecommendations.TOP_SELLERS;
 * }</pre>
 *
 * @param <R> the result type
 */
@FunctionalInterface
public interface FallbackFunction<R> {

  /**
   * Returns the degraded result.
   *
   * @param failure what the call threw (unwrapped from {@link java.util.concurrent.CompletionException} and
   *     {@link java.util.concurrent.ExecutionException}): its own error, a rejection or a timeout
   * @return the result to give the caller instead
   * @throws Exception if no degraded result can be produced; the caller then gets this exception, with the
   *     original failure attached as suppressed
   */
  R apply(Throwable failure) throws Exception;
}
