package dev.bulwark.micrometer;

import dev.bulwark.idempotency.Idempotency;
import java.util.function.ToLongFunction;

/**
 * The meters of an {@link Idempotency} policy: one counter per lifetime counter of {@link Idempotency.Metrics}.
 * They are separate meters rather than one with an {@code outcome} tag because they overlap (a takeover is
 * also an execution, a wait ends in a replay or an execution).
 */
final class IdempotencyMeters {
  static final String PREFIX = "bulwark.idempotency.";

  private IdempotencyMeters() {}

  static PolicyBinder<Idempotency> binder() {
    return new PolicyBinder<>(Idempotency.class, IdempotencyMeters::bind);
  }

  static void bind(Idempotency policy, MeterSet meters) {
    counter(meters, policy, "executions", "Times the work ran under a claim, takeovers included",
        m -> m.executions());
    counter(meters, policy, "replays", "Calls answered by replaying a completed record", m -> m.replays());
    counter(meters, policy, "conflicts", "Calls rejected because another execution of the key was in progress",
        m -> m.inProgressRejections());
    counter(meters, policy, "fingerprint.mismatches",
        "Calls rejected because the key was used with another request fingerprint", m -> m.fingerprintMismatches());
    counter(meters, policy, "store.errors", "Store operations that failed", m -> m.storeErrors());
    counter(meters, policy, "takeovers", "Executions that took over a lapsed lease", m -> m.takeovers());
    counter(meters, policy, "waits", "Calls that waited for another execution of the key to finish",
        m -> m.waits());
    counter(meters, policy, "releases", "Retryable failures that released their key", m -> m.releases());
    counter(meters, policy, "terminal.failures", "Terminal failures stored as the key's result",
        m -> m.terminalFailures());
    counter(meters, policy, "unknown.outcomes", "Failures of unknown outcome (keys flagged)",
        m -> m.unknownOutcomes());
    counter(meters, policy, "results.not.stored", "Successful results that could not be stored",
        m -> m.resultsNotStored());
    counter(meters, policy, "fenced.out", "Executions whose write was refused because another owner took over",
        m -> m.fencedOut());
    counter(meters, policy, "fail.open.executions",
        "Times the work ran without a record because the store failed and the policy fails open",
        m -> m.failOpenExecutions());
  }

  private static void counter(MeterSet meters, Idempotency policy, String what, String description,
      ToLongFunction<Idempotency.Metrics> count) {
    meters.counter(PREFIX + what, description, null, policy, p -> count.applyAsLong(p.metrics()));
  }
}
