package dev.bulwark.spring.app;

/**
 * An MDC-like value the controllers set on the request thread; only the application's
 * {@link dev.bulwark.ContextPropagator} bean (see {@link TestApplication}) carries it to other threads.
 */
public final class RequestUser {
  /** The current request's user. */
  public static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

  private RequestUser() {}
}
