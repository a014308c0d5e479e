package dev.bulwark.limit;

import dev.bulwark.internal.Listeners;
import java.util.SplittableRandom;
import org.jetbrains.kotlinx.lincheck.LinChecker;
import org.jetbrains.kotlinx.lincheck.annotations.Operation;
import org.jetbrains.kotlinx.lincheck.strategy.managed.modelchecking.ModelCheckingOptions;
import org.junit.jupiter.api.Test;

/**
 * The limiter's admission word and slot generations are linearizable for the permit protocol: each call's
 * owner admits it, completes it, and may complete it again (a no-op) or complete a stale token of a slot that
 * was since reused by another thread (also a no-op). Each owner's operations stay on one thread
 * ({@code nonParallelGroup}), as a permit's do; with a limit of 2 and three owners, no interleaving may admit a
 * third call, lose a slot, or let a second completion count.
 *
 * <p>(Two threads completing the same permit at once are deliberately not modelled: the losing completion may
 * return before the winning one has freed the slot; see LimiterCore's notes.)
 */
public class LimiterCoreLincheckTest {
  private final LimiterCore core = new LimiterCore("lincheck",
      ConcurrencyLimiterConfig.builder().algorithm(LimitAlgorithm.fixed(2)).build(),
      () -> 0L, new SplittableRandom(1), Listeners.none(), null);
  // per owner, touched only by that owner's thread
  private final long[] held = {-1, -1, -1};
  private final long[] done = {-1, -1, -1};

  private boolean acquire(int owner) {
    if (held[owner] >= 0) {
      return false;
    }
    long token = core.tryAcquire();
    if (token < 0) {
      return false;
    }
    held[owner] = token;
    return true;
  }

  private boolean complete(int owner) {
    long token = held[owner];
    if (token < 0) {
      return false;
    }
    held[owner] = -1;
    done[owner] = token;
    return core.complete(token, LimiterCore.SUCCESS);
  }

  private boolean completeAgain(int owner) {
    return done[owner] >= 0 && core.complete(done[owner], LimiterCore.DROPPED);
  }

  @Operation(nonParallelGroup = "a")
  public boolean acquireA() {
    return acquire(0);
  }

  @Operation(nonParallelGroup = "a")
  public boolean completeA() {
    return complete(0);
  }

  @Operation(nonParallelGroup = "a")
  public boolean completeAgainA() {
    return completeAgain(0);
  }

  @Operation(nonParallelGroup = "b")
  public boolean acquireB() {
    return acquire(1);
  }

  @Operation(nonParallelGroup = "b")
  public boolean completeB() {
    return complete(1);
  }

  @Operation(nonParallelGroup = "b")
  public boolean completeAgainB() {
    return completeAgain(1);
  }

  @Operation(nonParallelGroup = "c")
  public boolean acquireC() {
    return acquire(2);
  }

  @Operation(nonParallelGroup = "c")
  public boolean completeC() {
    return complete(2);
  }

  @Operation
  public int inflight() {
    return core.inflight();
  }

  @Test
  void isLinearizable() {
    LinChecker.check(LimiterCoreLincheckTest.class, new ModelCheckingOptions()
        .iterations(6)
        .invocationsPerIteration(150)
        .threads(3)
        .actorsPerThread(3));
  }
}
