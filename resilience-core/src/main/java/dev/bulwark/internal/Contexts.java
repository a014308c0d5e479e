package dev.bulwark.internal;

import dev.bulwark.ContextPropagator;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Captures and installs the context of several {@link ContextPropagator}s as one, for every policy that
 * continues a caller's call on another thread (the thread-pool bulkhead, the asynchronous retry, the timeout,
 * and the waits of the rate limiter, the semaphore bulkhead and the load shedder's queue).
 *
 * <p>With no propagator configured, {@link #capture} returns {@link #NONE}, which installs nothing and
 * allocates nothing, so a policy without propagators pays one array-length check per call.
 */
public final class Contexts {
  private Contexts() {}

  private static final System.Logger LOGGER = System.getLogger("dev.bulwark");

  /** The scope of {@link #NONE}: restores nothing. */
  public static final ContextPropagator.Scope NOOP_SCOPE = () -> { };
  /** The snapshot when no propagator is configured: installs nothing, allocates nothing. */
  public static final ContextPropagator.Snapshot NONE = () -> NOOP_SCOPE;

  /**
   * The checks every config builder's {@code contextPropagators(...)} makes: the option is set at most once
   * and holds no null.
   *
   * @param alreadySet whether the builder's option was set before
   * @param current the option's value so far, named in the message if it was
   * @param propagators the new value
   * @return the propagators as an immutable list
   */
  public static List<ContextPropagator> setOnce(boolean alreadySet, List<ContextPropagator> current,
      ContextPropagator... propagators) {
    Objects.requireNonNull(propagators, "contextPropagators");
    if (alreadySet) {
      throw new IllegalStateException(
          "contextPropagators was already set to " + current.size() + " propagators");
    }
    for (ContextPropagator propagator : propagators) {
      Objects.requireNonNull(propagator, "contextPropagators must not contain null");
    }
    return List.of(propagators);
  }

  /**
   * Installs a captured context around work that completes {@code call}; if a propagator fails, fails
   * {@code call} with that failure (the call's own outcome, if it has one, suppressed in it) instead.
   *
   * @param context the caller's context
   * @param call the future the work completes
   * @param outcome the failure the work is about to report, or {@code null}
   * @return the scope to close when the work is done, or {@code null} if {@code call} was failed
   */
  public static ContextPropagator.Scope installOrFail(ContextPropagator.Snapshot context,
      CompletableFuture<?> call, Throwable outcome) {
    try {
      return context.install();
    } catch (RuntimeException | Error installFailure) {
      if (outcome != null) {
        installFailure.addSuppressed(outcome);
      }
      call.completeExceptionally(installFailure);
      return null;
    }
  }

  /**
   * Copies a configuration's propagators into the array the call path reads.
   *
   * @param propagators the configured propagators
   * @return a new array, empty when none is configured
   */
  public static ContextPropagator[] toArray(List<ContextPropagator> propagators) {
    return propagators.toArray(new ContextPropagator[0]);
  }

  /**
   * Captures every propagator's context, on the caller's thread.
   *
   * @param propagators the propagators, in installation order
   * @return one snapshot that installs them all, {@link #NONE} if there is none
   * @throws NullPointerException if a propagator captured a null snapshot; whatever a propagator threw
   */
  public static ContextPropagator.Snapshot capture(ContextPropagator[] propagators) {
    switch (propagators.length) {
      case 0:
        return NONE;
      case 1:
        return nonNull(propagators[0].capture(), propagators[0]);
      default:
        ContextPropagator.Snapshot[] snapshots = new ContextPropagator.Snapshot[propagators.length];
        for (int i = 0; i < propagators.length; i++) {
          snapshots[i] = nonNull(propagators[i].capture(), propagators[i]);
        }
        return () -> install(snapshots);
    }
  }

  private static ContextPropagator.Snapshot nonNull(ContextPropagator.Snapshot snapshot, Object propagator) {
    if (snapshot == null) {
      throw new NullPointerException("context propagator " + propagator + " captured a null snapshot");
    }
    return snapshot;
  }

  private static ContextPropagator.Scope install(ContextPropagator.Snapshot[] snapshots) {
    ContextPropagator.Scope[] scopes = new ContextPropagator.Scope[snapshots.length];
    int installed = 0;
    try {
      for (; installed < snapshots.length; installed++) {
        scopes[installed] = snapshots[installed].install();
      }
    } catch (RuntimeException | Error e) {
      closeAll(scopes, installed);
      throw e;
    }
    return () -> closeAll(scopes, scopes.length);
  }

  /** Closes scopes in reverse order; a failing close is logged and does not stop the others. */
  private static void closeAll(ContextPropagator.Scope[] scopes, int count) {
    for (int i = count - 1; i >= 0; i--) {
      closeQuietly(scopes[i]);
    }
  }

  /**
   * Closes {@code scope}, logging (not throwing) a failure, so one bad propagator cannot break a call.
   *
   * @param scope the scope, or {@code null} for none
   */
  public static void closeQuietly(ContextPropagator.Scope scope) {
    if (scope == null) {
      return;
    }
    try {
      scope.close();
    } catch (RuntimeException e) {
      LOGGER.log(Level.WARNING, "a context propagator's scope failed to close; the thread may keep "
          + "the caller's context", e);
    }
  }
}
