package dev.bulwark.circuitbreaker;

import dev.bulwark.Clock;
import dev.bulwark.Permit;
import dev.bulwark.circuitbreaker.CircuitBreaker.State;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.jetbrains.kotlinx.lincheck.LinChecker;
import org.jetbrains.kotlinx.lincheck.annotations.Operation;
import org.jetbrains.kotlinx.lincheck.annotations.Param;
import org.jetbrains.kotlinx.lincheck.paramgen.ThreadIdGen;
import org.jetbrains.kotlinx.lincheck.strategy.managed.modelchecking.ModelCheckingOptions;
import org.junit.jupiter.api.Test;

/**
 * Model checking of the breaker's state machine against a plain sequential model ({@link Model}).
 *
 * <p>Each thread holds at most one permit ({@code held[tid]}, the thread id comes from {@link ThreadIdGen}),
 * so the operations are the permit protocol itself: acquire, report success or failure, release, read the
 * state, and let one second pass (the open duration; the half-open deadline is two). Every interleaving
 * Lincheck explores must match some sequential order of the model.
 *
 * <p>Scope: the breaker starts OPEN and its closed window (16 calls, all needed) cannot fill within a
 * scenario, so what is checked is the part whose exactness is promised: lazy OPEN to HALF_OPEN, probe
 * issue/complete/release, early verdicts, the half-open deadline, stale permits of finished episodes. The
 * closed-state trip is deliberately left out: it is decided by one record's {@code getAndAdd} and takes
 * effect at that thread's later phase CAS, so a call that completes in between, followed by an acquire, can
 * see an order no sequential model allows (the first version of this test, which covered closed trips,
 * reported a violation; analysis found this race). That race is the same in every peer, costs at most a few calls admitted into a window that is already dead, and is documented in
 * {@link DefaultCircuitBreaker}; {@link CircuitBreakerStressTest} checks that the trip happens exactly once
 * and every call is counted.
 */
@Param(name = "tid", gen = ThreadIdGen.class)
public class CircuitBreakerLincheckTest {
  static final int MAX_THREADS = 8;
  static final long SECOND = Duration.ofSeconds(1).toNanos();

  private final AtomicLong time = new AtomicLong(1_000_000_000_000L);
  private final Clock clock = time::get;
  private final CircuitBreaker breaker = CircuitBreaker.builder("lincheck")
      .clock(clock)
      .config(CircuitBreakerConfig.builder()
          .slidingWindowSize(16)
          .minimumNumberOfCalls(16)
          .failureRateThreshold(50)
          .permittedCallsInHalfOpen(2)
          .openDuration(Duration.ofSeconds(1))
          .openDurationJitter(0)
          .maxHalfOpenDuration(Duration.ofSeconds(2))
          .build())
      .build();
  private final Permit[] held = new Permit[MAX_THREADS];

  public CircuitBreakerLincheckTest() {
    breaker.transitionToOpen();
  }

  @Operation
  public String acquire(@Param(name = "tid") int tid) {
    if (held[tid] != null) {
      return "held";
    }
    Permit permit = breaker.tryAcquirePermit();
    if (permit == null) {
      return "rejected";
    }
    held[tid] = permit;
    return "permitted";
  }

  @Operation
  public String succeed(@Param(name = "tid") int tid) {
    Permit permit = held[tid];
    if (permit == null) {
      return "none";
    }
    held[tid] = null;
    permit.onSuccess(1);
    return "done";
  }

  @Operation
  public String fail(@Param(name = "tid") int tid) {
    Permit permit = held[tid];
    if (permit == null) {
      return "none";
    }
    held[tid] = null;
    permit.onFailure(1, new IOException("down"));
    return "done";
  }

  @Operation
  public String release(@Param(name = "tid") int tid) {
    Permit permit = held[tid];
    if (permit == null) {
      return "none";
    }
    held[tid] = null;
    permit.release();
    return "done";
  }

  @Operation
  public State state() {
    return breaker.state();
  }

  @Operation
  public void tick() {
    time.addAndGet(SECOND);
  }

  @Test
  void theBreakerBehavesLikeItsSequentialModelUnderEveryInterleaving() {
    LinChecker.check(CircuitBreakerLincheckTest.class, new ModelCheckingOptions()
        .iterations(8)
        .invocationsPerIteration(80)
        .threads(3)
        .actorsPerThread(3)
        .actorsBefore(3)
        .actorsAfter(1)
        .minimizeFailedScenario(false)
        .sequentialSpecification(Model.class));
  }

  /**
   * The breaker as a plain sequential state machine, written from the documented rules, not from the code:
   * starts open for one second; two probes, threshold 50 %, decided as soon as the outcome is certain; the
   * half-open deadline (two seconds) decides with the probes issued, those in flight counting as failures,
   * or starts afresh if none was; closed never trips within a scenario.
   */
  public static class Model {
    private long now;
    private State state = State.OPEN;
    private int episode;
    private long openUntil = SECOND;
    private long deadline;
    private int issued;
    private int completed;
    private int failed;
    private final Held[] held = new Held[MAX_THREADS];

    private static final class Held {
      final boolean probe;
      final int episode;

      Held(boolean probe, int episode) {
        this.probe = probe;
        this.episode = episode;
      }
    }

    private void open() {
      state = State.OPEN;
      episode++;
      openUntil = now + SECOND;
    }

    private void close() {
      state = State.CLOSED;
      episode++;
    }

    private void halfOpen() {
      state = State.HALF_OPEN;
      episode++;
      deadline = now + 2 * SECOND;
      issued = 0;
      completed = 0;
      failed = 0;
    }

    private void resolve() {
      while (true) {
        if (state == State.OPEN && now >= openUntil) {
          halfOpen();
        } else if (state == State.HALF_OPEN && now >= deadline) {
          expire();
        } else {
          return;
        }
      }
    }

    private void expire() {
      if (issued == 0) {
        halfOpen();
        return;
      }
      int failedIncludingHung = failed + (issued - completed);
      if (failedIncludingHung * 100 >= 50 * issued) {
        open();
      } else {
        close();
      }
    }

    public String acquire(int tid) {
      if (held[tid] != null) {
        return "held";
      }
      resolve();
      if (state == State.CLOSED) {
        held[tid] = new Held(false, episode);
        return "permitted";
      }
      if (state == State.HALF_OPEN && issued < 2) {
        issued++;
        held[tid] = new Held(true, episode);
        return "permitted";
      }
      return "rejected";
    }

    private String complete(int tid, boolean failure) {
      Held permit = held[tid];
      if (permit == null) {
        return "none";
      }
      held[tid] = null;
      if (permit.episode != episode) {
        return "done"; // a permit of an episode that is over: recorded nowhere
      }
      if (!permit.probe) {
        return "done"; // recorded in the closed window, which cannot reach its minimum here
      }
      completed++;
      if (failure) {
        failed++;
      }
      if (failed * 100 >= 50 * 2) {
        open();                        // at least 1 failure of 2: certain to reopen
      } else if (completed == 2) {
        close();                       // both probes succeeded
      } else if (now >= deadline) {
        expire();
      }
      return "done";
    }

    public String succeed(int tid) {
      return complete(tid, false);
    }

    public String fail(int tid) {
      return complete(tid, true);
    }

    public String release(int tid) {
      Held permit = held[tid];
      if (permit == null) {
        return "none";
      }
      held[tid] = null;
      if (permit.probe && permit.episode == episode) {
        issued--;
      }
      return "done";
    }

    public State state() {
      resolve();
      return state;
    }

    public void tick() {
      now += SECOND;
    }
  }
}
