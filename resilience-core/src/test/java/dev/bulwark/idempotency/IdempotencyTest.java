package dev.bulwark.idempotency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.bulwark.Deadline;
import dev.bulwark.Pipeline;
import dev.bulwark.PolicyKind;
import dev.bulwark.testing.ManualClock;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The executor's behaviour, in virtual time, through the synchronous and the asynchronous path alike.
 */
class IdempotencyTest {
  private static final String KEY = "order-7f3a";
  private static final String FP = "POST /orders {sku: 42}";
  private static final Duration LEASE = Duration.ofSeconds(30);

  private final ManualClock clock = new ManualClock();
  private final InMemoryIdempotencyStore store = InMemoryIdempotencyStore.builder().clock(clock).build();
  private final AtomicInteger runs = new AtomicInteger();
  private final List<IdempotencyEvent> events = new CopyOnWriteArrayList<>();

  /** How a scenario reaches the policy. */
  enum Mode {
    SYNC {
      @Override
      <T> T run(IdempotencyTest test, Idempotency policy, String key, String fp, Callable<T> work) throws Exception {
        return policy.execute(key, fp, work);
      }
    },
    ASYNC {
      @Override
      <T> T run(IdempotencyTest test, Idempotency policy, String key, String fp, Callable<T> work) throws Exception {
        CompletableFuture<T> future = policy.<T>executeAsync(key, fp, () -> {
          try {
            return CompletableFuture.completedFuture(work.call());
          } catch (Throwable failure) {
            return CompletableFuture.failedFuture(failure);
          }
        }).toCompletableFuture();
        return test.await(future);
      }
    };

    abstract <T> T run(IdempotencyTest test, Idempotency policy, String key, String fp, Callable<T> work)
        throws Exception;
  }

  /** Lets virtual time pass until the future is done (async waits poll on the clock), then unwraps it. */
  <T> T await(CompletableFuture<T> future) throws Exception {
    for (int i = 0; i < 1_000_000 && !future.isDone(); i++) {
      clock.advance(Duration.ofMillis(10));
    }
    assertThat(future).as("completed within 10,000 virtual seconds").isDone();
    try {
      return future.join();
    } catch (CompletionException e) {
      throw rethrow(e.getCause());
    }
  }

  private static Exception rethrow(Throwable failure) {
    if (failure instanceof Exception) {
      return (Exception) failure;
    }
    throw (Error) failure;
  }

  private Idempotency policy() {
    return policy(b -> b);
  }

  private Idempotency policy(UnaryOperator<IdempotencyConfig.Builder> config) {
    return policy("payments", store, config);
  }

  private Idempotency policy(String name, IdempotencyStore target, UnaryOperator<IdempotencyConfig.Builder> config) {
    return Idempotency.builder(name)
        .config(config.apply(IdempotencyConfig.builder().lease(LEASE)).build())
        .store(target)
        .clock(clock)
        .sleeper(clock)
        .scheduler(clock)
        .heartbeatExecutor(Runnable::run)
        .listener(IdempotencyEvent.class, events::add)
        .build();
  }

  private Callable<String> work(String result) {
    return () -> {
      runs.incrementAndGet();
      return result;
    };
  }

  private <T> Callable<T> failing(Exception failure) {
    return () -> {
      runs.incrementAndGet();
      throw failure;
    };
  }

  /** Starts an asynchronous first execution whose work finishes when the test completes the returned future. */
  private CompletableFuture<String> startPending(Idempotency policy, CompletableFuture<String> work) {
    CompletableFuture<String> first =
        policy.<String>executeAsync(KEY, FP, () -> {
          runs.incrementAndGet();
          return work;
        }).toCompletableFuture();
    assertThat(first).isNotDone();
    return first;
  }

  private static Throwable unwrap(CompletableFuture<?> future) {
    Throwable failure = catchThrowable(future::join);
    return failure instanceof CompletionException ? failure.getCause() : failure;
  }

  private <E extends IdempotencyEvent> List<E> events(Class<E> type) {
    List<E> matching = new ArrayList<>();
    for (IdempotencyEvent event : events) {
      if (type.isInstance(event)) {
        matching.add(type.cast(event));
      }
    }
    return matching;
  }

  // ------------------------------------------------------------------------------------------------------
  // replay

  @ParameterizedTest
  @EnumSource(Mode.class)
  void theFirstCallRunsTheWorkAndRepeatsReplayItsResult(Mode mode) throws Exception {
    Idempotency policy = policy();

    assertThat(mode.run(this, policy, KEY, FP, work("receipt-1"))).isEqualTo("receipt-1");
    assertThat(mode.run(this, policy, KEY, FP, work("receipt-2"))).isEqualTo("receipt-1");
    assertThat(mode.run(this, policy, KEY, FP, work("receipt-3"))).isEqualTo("receipt-1");

    assertThat(runs).hasValue(1);
    assertThat(policy.metrics().executions()).isEqualTo(1);
    assertThat(policy.metrics().replays()).isEqualTo(2);
    assertThat(events(IdempotencyEvent.Recorded.class))
        .extracting(IdempotencyEvent.Recorded::outcome).containsExactly(StoredOutcome.RESULT);
  }

  @Test
  void executeForResultTellsAReplayFromAnExecution() throws Exception {
    Idempotency policy = policy();

    IdempotentResult<String> first = policy.executeForResult(KEY, FP, work("a"));
    IdempotentResult<String> second = policy.executeForResult(KEY, FP, work("b"));

    assertThat(first.value()).isEqualTo("a");
    assertThat(first.isReplay()).isFalse();
    assertThat(second.value()).isEqualTo("a");
    assertThat(second.isReplay()).isTrue();
    assertThat(second.toString()).contains("replay");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void everyValueTheDefaultCodecKnowsIsReplayedEqual(Mode mode) throws Exception {
    Idempotency policy = policy();
    List<Object> values = Arrays.asList(null, "", "héllo wörld ✓", 42, -7L, 2.5, true,
        new BigInteger("-123456789012345678901234567890"), new BigDecimal("19.99"));
    for (int i = 0; i < values.size(); i++) {
      Object value = values.get(i);
      String key = "value-" + i;
      mode.run(this, policy, key, FP, () -> value);
      assertThat(mode.<Object>run(this, policy, key, FP, () -> "other")).isEqualTo(value);
    }
    byte[] bytes = {1, 2, 3};
    mode.run(this, policy, "bytes", FP, () -> bytes);
    assertThat(mode.run(this, policy, "bytes", FP, () -> new byte[0])).containsExactly(1, 2, 3);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aRepeatWithAnotherFingerprintIsRejectedAsKeyReuseWithoutRunning(Mode mode) throws Exception {
    Idempotency policy = policy();
    mode.run(this, policy, KEY, FP, work("first"));

    assertThatThrownBy(() -> mode.run(this, policy, KEY, "POST /orders {sku: 43}", work("second")))
        .isInstanceOf(IdempotencyKeyReuseException.class)
        .hasMessageContaining("'payments'")
        .hasMessageContaining("another fingerprint")
        .hasMessageNotContaining(KEY);
    assertThat(runs).hasValue(1);
    assertThat(policy.metrics().fingerprintMismatches()).isEqualTo(1);
    assertThat(events(IdempotencyEvent.KeyReused.class)).hasSize(1);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aKeyWithoutAFingerprintMatchesAnyRepeatWithoutOne(Mode mode) throws Exception {
    Idempotency policy = policy();
    mode.run(this, policy, KEY, "", work("first"));
    assertThat(mode.run(this, policy, KEY, "", work("second"))).isEqualTo("first");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aRecordExpiresAfterItsTtlAndTheKeyRunsAgain(Mode mode) throws Exception {
    Idempotency policy = policy(b -> b.ttl(Duration.ofHours(1)));
    mode.run(this, policy, KEY, FP, work("first"));
    clock.advance(Duration.ofMinutes(59));
    assertThat(mode.run(this, policy, KEY, FP, work("second"))).isEqualTo("first");

    clock.advance(Duration.ofMinutes(2));
    assertThat(mode.run(this, policy, KEY, "another request now", work("third"))).isEqualTo("third");
    assertThat(runs).hasValue(2);
  }

  // ------------------------------------------------------------------------------------------------------
  // in progress: reject, wait, take over

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aRepeatWhileTheFirstRunsIsRejectedWithTheRemainingLease(Mode mode) throws Exception {
    Idempotency policy = policy(b -> b.heartbeatInterval(Duration.ZERO));
    startPending(policy, new CompletableFuture<>());
    clock.advance(Duration.ofSeconds(10));

    Throwable rejection = catchThrowable(() -> mode.run(this, policy, KEY, FP, work("second")));

    assertThat(rejection).isInstanceOf(IdempotencyInProgressException.class);
    IdempotencyInProgressException inProgress = (IdempotencyInProgressException) rejection;
    assertThat(inProgress.retryAfter()).contains(Duration.ofSeconds(20));
    assertThat(inProgress.policyKind()).isEqualTo(PolicyKind.IDEMPOTENCY);
    assertThat(inProgress.policyName()).isEqualTo("payments");
    assertThat(inProgress.getMessage()).contains("in progress").contains("20000 ms");
    assertThat(runs).hasValue(1);
    assertThat(policy.metrics().inProgressRejections()).isEqualTo(1);
    assertThat(events(IdempotencyEvent.RejectedInProgress.class)).singleElement()
        .extracting(IdempotencyEvent.RejectedInProgress::retryAfter).isEqualTo(Duration.ofSeconds(20));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aRepeatWaitsForTheFirstToFinishAndReplaysIt(Mode mode) throws Exception {
    Idempotency policy = policy(b -> b.waitForCompletion(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)));
    CompletableFuture<String> work = new CompletableFuture<>();
    CompletableFuture<String> first = startPending(policy, work);
    clock.schedule(() -> work.complete("first"), Duration.ofSeconds(2).toNanos());
    long start = clock.nanoTime();

    assertThat(mode.run(this, policy, KEY, FP, work("second"))).isEqualTo("first");

    assertThat(first).isCompletedWithValue("first");
    assertThat(Duration.ofNanos(clock.nanoTime() - start)).isBetween(Duration.ofSeconds(2), Duration.ofMillis(2200));
    assertThat(runs).hasValue(1);
    assertThat(policy.metrics().waits()).isEqualTo(1);
    assertThat(policy.metrics().replays()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void theWaitIsBoundedByWaitForCompletion(Mode mode) throws Exception {
    Idempotency policy = policy(b -> b.waitForCompletion(Duration.ofSeconds(3)));
    startPending(policy, new CompletableFuture<>());
    long start = clock.nanoTime();

    assertThatThrownBy(() -> mode.run(this, policy, KEY, FP, work("second")))
        .isInstanceOf(IdempotencyInProgressException.class);

    assertThat(Duration.ofNanos(clock.nanoTime() - start)).isBetween(Duration.ofSeconds(3), Duration.ofMillis(3100));
    assertThat(runs).hasValue(1);
  }

  @Test
  void theWaitNeverOutlastsTheDeadline() throws Exception {
    Idempotency policy = policy(b -> b.waitForCompletion(Duration.ofSeconds(10)));
    startPending(policy, new CompletableFuture<>());
    long start = clock.nanoTime();

    assertThatThrownBy(() -> Deadline.after(Duration.ofMillis(500), clock)
        .call(() -> policy.execute(KEY, FP, work("second"))))
        .isInstanceOf(IdempotencyInProgressException.class);
    assertThat(Duration.ofNanos(clock.nanoTime() - start)).isLessThanOrEqualTo(Duration.ofMillis(500));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aRepeatWaitingPastALapsedLeaseTakesOverAndTheOldOwnerIsFencedOut(Mode mode) throws Exception {
    Idempotency policy = policy(b -> b.heartbeatInterval(Duration.ZERO).waitForCompletion(Duration.ofMinutes(2)));
    CompletableFuture<String> stalled = new CompletableFuture<>();
    CompletableFuture<String> first = startPending(policy, stalled);

    assertThat(mode.run(this, policy, KEY, FP, work("second"))).isEqualTo("second");
    assertThat(policy.metrics().takeovers()).isEqualTo(1);

    stalled.complete("first, late");
    assertThat(unwrap(first)).isInstanceOf(FencedOutException.class).hasMessageContaining("fenced out at complete");
    assertThat(mode.run(this, policy, KEY, FP, work("third"))).as("the takeover's result stands").isEqualTo("second");
    assertThat(runs).hasValue(2);
    assertThat(policy.metrics().fencedOut()).isEqualTo(1);
    assertThat(events(IdempotencyEvent.Executing.class))
        .extracting(IdempotencyEvent.Executing::takeover).containsExactly(false, true);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aCrashedOwnerBlocksTheKeyWhileItsLeaseLivesThenTheWorkRunsExactlyOnce(Mode mode) throws Exception {
    Idempotency policy = policy();
    String keyHash = KeyHasher.keyHash("payments", KEY);
    String crashed = KeyHasher.newOwnerToken();
    long crashedFencing = store.claim(keyHash, KeyHasher.fingerprintHash(FP), crashed, LEASE, Duration.ofHours(24))
        .fencingToken();

    clock.advance(Duration.ofSeconds(29));
    assertThatThrownBy(() -> mode.run(this, policy, KEY, FP, work("too early")))
        .isInstanceOf(IdempotencyInProgressException.class);
    clock.advance(Duration.ofSeconds(2));
    assertThat(mode.run(this, policy, KEY, FP, work("after the lease"))).isEqualTo("after the lease");
    assertThat(mode.run(this, policy, KEY, FP, work("again"))).isEqualTo("after the lease");

    assertThat(store.complete(keyHash, crashed, crashedFencing, new byte[] {1}, Duration.ofHours(1)))
        .as("the crashed owner's late completion").isEqualTo(WriteResult.FENCED);
    assertThat(mode.run(this, policy, KEY, FP, work("still"))).isEqualTo("after the lease");
    assertThat(runs).hasValue(1);
  }

  @Test
  void aSynchronousOwnerOverrunningItsLeaseIsFencedOutAndItsResultIsNotRecorded() throws Exception {
    Idempotency policy = policy(b -> b.heartbeatInterval(Duration.ZERO));
    AtomicInteger inner = new AtomicInteger();

    assertThatThrownBy(() -> policy.execute(KEY, FP, () -> {
      clock.advance(LEASE.plusSeconds(1)); // the owner stalls past its lease...
      inner.set(policy.execute(KEY, FP, () -> 2)); // ...and a repeat takes the key over meanwhile
      return 1;
    })).isInstanceOf(FencedOutException.class);

    assertThat(inner).hasValue(2);
    assertThat(policy.execute(KEY, FP, () -> 3)).isEqualTo(2);
  }

  // ------------------------------------------------------------------------------------------------------
  // heartbeat

  @Test
  void theHeartbeatKeepsLongWorkFromBeingTakenOver() throws Exception {
    Idempotency policy = policy(); // heartbeat every 10 s for a 30 s lease
    CompletableFuture<String> longWork = new CompletableFuture<>();
    CompletableFuture<String> first = startPending(policy, longWork);

    for (int minute = 0; minute < 5; minute++) {
      clock.advance(Duration.ofMinutes(1));
      assertThatThrownBy(() -> policy.execute(KEY, FP, work("repeat")))
          .isInstanceOf(IdempotencyInProgressException.class);
    }
    longWork.complete("done after five minutes");

    assertThat(first).isCompletedWithValue("done after five minutes");
    assertThat(policy.execute(KEY, FP, work("repeat"))).isEqualTo("done after five minutes");
    assertThat(runs).hasValue(1);
    assertThat(clock.pendingTasks()).as("the heartbeat stopped").isZero();
  }

  @Test
  void withoutAHeartbeatLongWorkIsTakenOverWhenItsLeaseLapses() throws Exception {
    Idempotency policy = policy(b -> b.heartbeatInterval(Duration.ZERO));
    startPending(policy, new CompletableFuture<>());
    clock.advance(Duration.ofMinutes(1));

    assertThat(policy.execute(KEY, FP, work("taken over"))).isEqualTo("taken over");
  }

  @Test
  void aHeartbeatThatIsFencedStopsAndTheOwnerLearnsItAtCompletion() throws Exception {
    Idempotency policy = policy();
    CompletableFuture<String> work = new CompletableFuture<>();
    CompletableFuture<String> first = startPending(policy, work);
    assertThat(policy.forget(KEY)).isTrue(); // an operator removes the record mid-flight
    clock.advance(Duration.ofSeconds(25));

    assertThat(events(IdempotencyEvent.FencedOut.class)).singleElement()
        .extracting(IdempotencyEvent.FencedOut::operation).isEqualTo("renew");
    assertThat(clock.pendingTasks()).as("no renewal after being fenced").isZero();
    work.complete("late");
    assertThat(unwrap(first)).isInstanceOf(FencedOutException.class);
  }

  @Test
  void aRenewalFailureIsCountedAndTheHeartbeatTriesAgain() throws Exception {
    FlakyStore flaky = new FlakyStore(store);
    Idempotency policy = policy("payments", flaky, b -> b);
    CompletableFuture<String> work = new CompletableFuture<>();
    CompletableFuture<String> first = policy.<String>executeAsync(KEY, FP, () -> work).toCompletableFuture();
    flaky.failRenew = true;
    clock.advance(Duration.ofSeconds(10));
    flaky.failRenew = false;
    clock.advance(Duration.ofSeconds(15)); // 25 s: only the second renewal kept the lease

    assertThatThrownBy(() -> policy.execute(KEY, FP, work("repeat"))).isInstanceOf(IdempotencyInProgressException.class);
    assertThat(policy.metrics().storeErrors()).isEqualTo(1);
    work.complete("ok");
    assertThat(first).isCompletedWithValue("ok");
  }

  @Test
  void aSchedulerThatRefusesTheHeartbeatDoesNotFailTheWork() throws Exception {
    Idempotency policy = Idempotency.builder("payments").store(store).clock(clock).sleeper(clock)
        .scheduler((task, delay) -> {
          throw new java.util.concurrent.RejectedExecutionException("shut down");
        })
        .build();

    assertThat(policy.execute(KEY, FP, work("ran"))).isEqualTo("ran");
    assertThat(policy.execute(KEY, FP, work("replayed"))).isEqualTo("ran");
  }

  @Test
  void aHeartbeatExecutorThatRefusesRenewsOnTheTimersThread() throws Exception {
    Idempotency policy = Idempotency.builder("payments").store(store).clock(clock).sleeper(clock).scheduler(clock)
        .config(IdempotencyConfig.builder().lease(LEASE).build())
        .heartbeatExecutor(task -> {
          throw new java.util.concurrent.RejectedExecutionException("saturated");
        })
        .build();
    CompletableFuture<String> work = new CompletableFuture<>();
    CompletableFuture<String> first = policy.<String>executeAsync(KEY, FP, () -> work).toCompletableFuture();
    clock.advance(Duration.ofMinutes(2));

    assertThatThrownBy(() -> policy.execute(KEY, FP, work("repeat"))).isInstanceOf(IdempotencyInProgressException.class);
    work.complete("done");
    assertThat(first).isCompletedWithValue("done");
  }

  // ------------------------------------------------------------------------------------------------------
  // failures: retryable, terminal, unknown

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aRetryableFailureReleasesTheKeySoTheNextAttemptRuns(Mode mode) throws Exception {
    Idempotency policy = policy(b -> b.failureClassifier(
        FailureClassifier.builder().classify(FailureKind.RETRYABLE, IOException.class).build()));
    IOException refused = new IOException("connection refused");

    assertThatThrownBy(() -> mode.run(this, policy, KEY, FP, failing(refused))).isSameAs(refused);
    assertThat(policy.inspect(KEY)).isEmpty();
    assertThat(mode.run(this, policy, KEY, FP, work("second try"))).isEqualTo("second try");
    assertThat(runs).hasValue(2);
    assertThat(policy.metrics().releases()).isEqualTo(1);
    assertThat(events(IdempotencyEvent.Released.class)).singleElement()
        .extracting(IdempotencyEvent.Released::failure).isSameAs(refused);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aTerminalFailureIsStoredAndReplayedWithoutRunningAgain(Mode mode) throws Exception {
    Idempotency policy = policy(b -> b.failureClassifier(
        FailureClassifier.builder().classify(FailureKind.TERMINAL, IllegalArgumentException.class).build()));
    IllegalArgumentException declined = new IllegalArgumentException("card declined");

    assertThatThrownBy(() -> mode.run(this, policy, KEY, FP, failing(declined))).isSameAs(declined);
    Throwable replay = catchThrowable(() -> mode.run(this, policy, KEY, FP, work("never")));

    assertThat(replay).isInstanceOf(IdempotencyReplayedFailureException.class)
        .hasMessageContaining("java.lang.IllegalArgumentException: card declined");
    IdempotencyReplayedFailureException replayed = (IdempotencyReplayedFailureException) replay;
    assertThat(replayed.originalType()).isEqualTo(IllegalArgumentException.class.getName());
    assertThat(replayed.originalMessage()).isEqualTo("card declined");
    assertThat(runs).hasValue(1);
    assertThat(policy.metrics().terminalFailures()).isEqualTo(1);
    assertThat(events(IdempotencyEvent.Replayed.class)).singleElement()
        .extracting(IdempotencyEvent.Replayed::outcome).isEqualTo(StoredOutcome.FAILURE);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aFailureOfUnknownOutcomeKeepsTheKeyFlaggedUntilItIsForgotten(Mode mode) throws Exception {
    Idempotency policy = policy(); // every failure is UNKNOWN by default
    IOException timeout = new IOException("read timed out");

    assertThatThrownBy(() -> mode.run(this, policy, KEY, FP, failing(timeout))).isSameAs(timeout);
    clock.advance(Duration.ofHours(1)); // far past the lease: still never released
    Throwable repeat = catchThrowable(() -> mode.run(this, policy, KEY, FP, work("never")));

    assertThat(repeat).isInstanceOf(IdempotencyOutcomeUnknownException.class)
        .hasMessageContaining("unknown outcome");
    assertThat(((IdempotencyOutcomeUnknownException) repeat).failure())
        .isEqualTo("java.io.IOException: read timed out");
    assertThat(runs).hasValue(1);
    assertThat(policy.metrics().unknownOutcomes()).isEqualTo(1);

    assertThat(policy.forget(KEY)).isTrue();
    assertThat(mode.run(this, policy, KEY, FP, work("after reconciliation"))).isEqualTo("after reconciliation");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aFailureToReleaseTheKeyIsAttachedToTheOriginalFailure(Mode mode) throws Exception {
    FlakyStore flaky = new FlakyStore(store);
    flaky.failRelease = true;
    Idempotency policy = policy("payments", flaky, b -> b.failureClassifier(
        FailureClassifier.builder().otherwise(FailureKind.RETRYABLE).build()));
    IOException original = new IOException("refused");

    Throwable thrown = catchThrowable(() -> mode.run(this, policy, KEY, FP, failing(original)));

    assertThat(thrown).isSameAs(original);
    assertThat(original.getSuppressed()).singleElement()
        .isInstanceOf(IdempotencyStoreUnavailableException.class)
        .satisfies(e -> assertThat(((IdempotencyStoreUnavailableException) e).operation()).isEqualTo("release"))
        .extracting(Throwable::getCause).isSameAs(flaky.failure);
    assertThat(policy.metrics().storeErrors()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aFailureToRecordAFailureIsAttachedToIt(Mode mode) throws Exception {
    FlakyStore flaky = new FlakyStore(store);
    flaky.failComplete = true;
    Idempotency policy = policy("payments", flaky, b -> b);
    IOException original = new IOException("timed out");

    assertThatThrownBy(() -> mode.run(this, policy, KEY, FP, failing(original))).isSameAs(original);
    assertThat(original.getSuppressed()).singleElement().isInstanceOf(IdempotencyStoreUnavailableException.class);
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aFencedReleaseIsAttachedToTheOriginalFailure(Mode mode) throws Exception {
    Idempotency policy = policy(b -> b.heartbeatInterval(Duration.ZERO)
        .failureClassifier(FailureClassifier.builder().otherwise(FailureKind.RETRYABLE).build()));
    IOException original = new IOException("refused");

    Throwable thrown = catchThrowable(() -> mode.run(this, policy, KEY, FP, () -> {
      policy.forget(KEY);
      throw original;
    }));

    assertThat(thrown).isSameAs(original);
    assertThat(original.getSuppressed()).singleElement().isInstanceOf(FencedOutException.class);
    assertThat(policy.metrics().fencedOut()).isEqualTo(1);
    assertThat(policy.metrics().releases()).isZero();
  }

  @Test
  void aClassifierThatThrowsCountsAsUnknown() throws Exception {
    RuntimeException broken = new IllegalStateException("classifier bug");
    Idempotency policy = policy(b -> b.failureClassifier(FailureClassifier.builder().classifyIf(
        FailureKind.RETRYABLE, e -> {
          throw broken;
        }).build()));
    IOException original = new IOException("x");

    assertThatThrownBy(() -> policy.execute(KEY, FP, failing(original))).isSameAs(original);
    assertThat(original.getSuppressed()).containsExactly(broken);
    assertThatThrownBy(() -> policy.execute(KEY, FP, work("never")))
        .isInstanceOf(IdempotencyOutcomeUnknownException.class);
  }

  // ------------------------------------------------------------------------------------------------------
  // the store unavailable

  @ParameterizedTest
  @EnumSource(Mode.class)
  void whenTheStoreIsDownTheWorkDoesNotRunByDefault(Mode mode) throws Exception {
    FlakyStore flaky = new FlakyStore(store);
    flaky.failClaim = true;
    Idempotency policy = policy("payments", flaky, b -> b);

    Throwable thrown = catchThrowable(() -> mode.run(this, policy, KEY, FP, work("never")));

    assertThat(thrown).isInstanceOf(IdempotencyStoreUnavailableException.class)
        .hasMessageContaining("failed to claim")
        .hasMessageContaining("failing closed, the work did not run")
        .hasCause(flaky.failure);
    assertThat(runs).hasValue(0);
    assertThat(policy.metrics().storeErrors()).isEqualTo(1);
    assertThat(events(IdempotencyEvent.StoreFailed.class)).singleElement()
        .satisfies(e -> assertThat(e.failedOpen()).isFalse());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void whenTheStoreIsDownTheWorkRunsWithoutARecordIfFailingOpen(Mode mode) throws Exception {
    FlakyStore flaky = new FlakyStore(store);
    flaky.failClaim = true;
    Idempotency policy = policy("payments", flaky, b -> b.failOpen(true));

    assertThat(mode.run(this, policy, KEY, FP, work("open"))).isEqualTo("open");
    assertThat(mode.run(this, policy, KEY, FP, work("open again"))).isEqualTo("open again");

    assertThat(runs).hasValue(2);
    assertThat(policy.metrics().failOpenExecutions()).isEqualTo(2);
    assertThat(store.size()).isZero();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aSuccessWhoseRecordingFailsStillReturnsItsResult(Mode mode) throws Exception {
    FlakyStore flaky = new FlakyStore(store);
    flaky.failComplete = true;
    Idempotency policy = policy("payments", flaky, b -> b);

    assertThat(mode.run(this, policy, KEY, FP, work("charged"))).isEqualTo("charged");
    assertThat(policy.metrics().storeErrors()).isEqualTo(1);
    assertThat(events(IdempotencyEvent.StoreFailed.class)).singleElement()
        .extracting(IdempotencyEvent.StoreFailed::operation).isEqualTo("complete");
  }

  // ------------------------------------------------------------------------------------------------------
  // results that cannot be stored

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aResultTooLargeToStoreIsReturnedAndRepeatsLearnItWasNotStored(Mode mode) throws Exception {
    Idempotency policy = policy(b -> b.maxResultBytes(1024));
    String large = "x".repeat(2000);

    assertThat(mode.run(this, policy, KEY, FP, () -> large)).isEqualTo(large);
    Throwable repeat = catchThrowable(() -> mode.run(this, policy, KEY, FP, work("never")));

    assertThat(repeat).isInstanceOf(IdempotencyResultNotStoredException.class);
    assertThat(((IdempotencyResultNotStoredException) repeat).reason())
        .contains("2016 bytes").contains("limit of 1024 bytes");
    assertThat(runs).hasValue(0);
    assertThat(policy.metrics().resultsNotStored()).isEqualTo(1);
  }

  @Test
  void theStoresOwnResultLimitAppliesToo() throws Exception {
    InMemoryIdempotencyStore small = InMemoryIdempotencyStore.builder().clock(clock).maxResultBytes(100).build();
    Idempotency policy = policy("payments", small, b -> b);

    policy.execute(KEY, FP, () -> "y".repeat(200));
    assertThatThrownBy(() -> policy.execute(KEY, FP, () -> "z"))
        .isInstanceOf(IdempotencyResultNotStoredException.class)
        .hasMessageContaining("limit of 100 bytes");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aResultTheCodecCannotEncodeIsReturnedAndRepeatsLearnWhy(Mode mode) throws Exception {
    Idempotency policy = policy();
    Object unsupported = new Object();

    assertThat(mode.run(this, policy, KEY, FP, () -> unsupported)).isSameAs(unsupported);
    assertThatThrownBy(() -> mode.run(this, policy, KEY, FP, work("never")))
        .isInstanceOf(IdempotencyResultNotStoredException.class)
        .hasMessageContaining("could not encode")
        .hasMessageContaining("java.lang.Object");
  }

  @Test
  void aTerminalFailureTooLargeToStoreFlagsTheKeyInstead() throws Exception {
    Idempotency policy = policy(b -> b.maxResultBytes(256).failureClassifier(
        FailureClassifier.builder().otherwise(FailureKind.TERMINAL).build()));
    IllegalStateException huge = new IllegalStateException("m".repeat(1000));

    assertThatThrownBy(() -> policy.execute(KEY, FP, failing(huge))).isSameAs(huge);
    assertThatThrownBy(() -> policy.execute(KEY, FP, work("never")))
        .isInstanceOf(IdempotencyOutcomeUnknownException.class)
        .hasMessageContaining("not stored");
    assertThat(store.read(KeyHasher.keyHash("payments", KEY)).orElseThrow().result()).hasSizeLessThanOrEqualTo(256);
  }

  @Test
  void aResultStoredByAnotherCodecIsNotMisread() throws Exception {
    Idempotency writer = policy(b -> b.codec(ResultCodec.javaSerialization(
        ObjectInputFilter.Config.createFilter("java.lang.*;!*"))));
    Idempotency reader = policy();
    writer.execute(KEY, FP, () -> "serialized");

    assertThatThrownBy(() -> reader.execute(KEY, FP, work("never")))
        .isInstanceOf(IdempotencyCodecException.class)
        .hasMessageContaining("'java-serialization'")
        .hasMessageContaining("'bulwark'");
    assertThat(writer.execute(KEY, FP, work("never"))).isEqualTo("serialized");
  }

  // ------------------------------------------------------------------------------------------------------
  // keys

  @ParameterizedTest
  @EnumSource(Mode.class)
  void badKeysAreRejectedWithClearMessagesBeforeTheStoreIsTouched(Mode mode) {
    Idempotency policy = policy(b -> b.maxKeyLength(16));

    assertThatThrownBy(() -> mode.run(this, policy, null, FP, work("x")))
        .isInstanceOf(NullPointerException.class).hasMessage("key");
    assertThatThrownBy(() -> mode.run(this, policy, "", FP, work("x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("key must not be empty");
    assertThatThrownBy(() -> mode.run(this, policy, "k".repeat(17), FP, work("x")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("key must be at most 16 characters (maxKeyLength), was 17");
    assertThatThrownBy(() -> mode.run(this, policy, KEY, null, work("x")))
        .isInstanceOf(NullPointerException.class).hasMessage("fingerprint");
    assertThatThrownBy(() -> policy.execute(KEY, FP, null))
        .isInstanceOf(NullPointerException.class).hasMessage("work");
    assertThat(unwrap(policy.executeAsync(KEY, FP, null).toCompletableFuture()))
        .isInstanceOf(NullPointerException.class).hasMessage("work");
    assertThat(runs).hasValue(0);
    assertThat(store.size()).isZero();
  }

  @Test
  void aKeyOfExactlyTheMaximumLengthIsAccepted() throws Exception {
    Idempotency policy = policy(b -> b.maxKeyLength(16));
    assertThat(policy.execute("k".repeat(16), FP, work("ok"))).isEqualTo("ok");
  }

  @Test
  void theStoreSeesOnlyHashesOfKeysAndFingerprints() throws Exception {
    Idempotency policy = policy();
    policy.execute(KEY, FP, work("x"));

    IdempotencyRecord record = policy.inspect(KEY).orElseThrow();
    assertThat(record.fingerprint()).hasSize(64).doesNotContain(FP).isEqualTo(KeyHasher.fingerprintHash(FP));
    assertThat(store.holds(KeyHasher.keyHash("payments", KEY))).isTrue();
    assertThat(KeyHasher.keyHash("payments", KEY)).hasSize(64).matches("[0-9a-f]{64}");
    assertThat(KeyHasher.newOwnerToken()).matches("[0-9a-f]{32}").isNotEqualTo(KeyHasher.newOwnerToken());
  }

  @Test
  void policiesSharingAStoreHaveSeparateKeySpaces() throws Exception {
    Idempotency payments = policy("payments", store, b -> b);
    Idempotency refunds = policy("refunds", store, b -> b);

    payments.execute(KEY, FP, work("payment"));
    assertThat(refunds.execute(KEY, "another fingerprint", work("refund"))).isEqualTo("refund");
    assertThat(runs).hasValue(2);
  }

  // ------------------------------------------------------------------------------------------------------
  // as a Policy

  @Test
  void asAPolicyItTakesTheKeyFromTheContextAndNestsOutsideRetry() throws Exception {
    Idempotency policy = policy();
    Pipeline pipeline = Pipeline.of(policy);
    assertThat(policy.kind()).isEqualTo(PolicyKind.IDEMPOTENCY);

    String first = IdempotencyKey.of(KEY, FP).call(() -> pipeline.call(work("via pipeline")));
    String second = IdempotencyKey.of(KEY, FP).call(() -> policy.get(() -> "ignored"));
    String async = IdempotencyKey.of(KEY, FP).call(() -> policy.<String>callAsync(
        () -> CompletableFuture.completedFuture("ignored")).toCompletableFuture().join());

    assertThat(first).isEqualTo("via pipeline");
    assertThat(second).isEqualTo("via pipeline");
    assertThat(async).isEqualTo("via pipeline");
    assertThat(IdempotencyKey.current()).isNull();
  }

  @Test
  void asAPolicyWithoutAKeyItRefusesToRun() {
    Idempotency policy = policy();

    assertThatThrownBy(() -> policy.call(work("never")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("needs a key")
        .hasMessageContaining("IdempotencyKey.of");
    assertThat(unwrap(policy.callAsync(() -> CompletableFuture.completedFuture("never")).toCompletableFuture()))
        .isInstanceOf(IllegalStateException.class);
    assertThat(runs).hasValue(0);
  }

  @Test
  void nestedKeysReplaceOuterOnesForTheirExtent() throws Exception {
    IdempotencyKey outer = IdempotencyKey.of("outer");
    IdempotencyKey inner = IdempotencyKey.of("inner", "fp");
    outer.call(() -> {
      assertThat(IdempotencyKey.current()).isSameAs(outer);
      inner.call(() -> assertThat(IdempotencyKey.current()).isSameAs(inner));
      assertThat(IdempotencyKey.current()).isSameAs(outer);
      return null;
    });
    assertThat(inner.toString()).doesNotContain("inner").contains("5 chars");
    assertThat(inner).isEqualTo(IdempotencyKey.of("inner", "fp")).hasSameHashCodeAs(IdempotencyKey.of("inner", "fp"));
  }

  @Test
  void registriesCreatePoliciesFromConfigTemplates() {
    var registry = dev.bulwark.Registry.builder(IdempotencyConfig.defaults(), Idempotency::of).build();
    Idempotency orders = registry.get("orders");
    assertThat(orders.name()).isEqualTo("orders");
    assertThat(orders.store()).isInstanceOf(InMemoryIdempotencyStore.class);
    assertThat(Idempotency.ofDefaults("x").config()).isEqualTo(IdempotencyConfig.defaults());
    assertThat(Idempotency.of("y", IdempotencyConfig.defaults(), store).store()).isSameAs(store);
    assertThat(orders.toString()).contains("orders");
  }

  // ------------------------------------------------------------------------------------------------------
  // asynchronous specifics

  @Test
  void cancellingAWaitingAsyncCallStopsItsPolling() {
    Idempotency policy = policy(b -> b.waitForCompletion(Duration.ofMinutes(1)));
    startPending(policy, new CompletableFuture<>());
    CompletableFuture<String> waiting =
        policy.<String>executeAsync(KEY, FP, () -> CompletableFuture.completedFuture("x")).toCompletableFuture();
    clock.advance(Duration.ofMillis(200));
    waiting.cancel(false);
    int pendingBefore = clock.pendingTasks();
    clock.advance(Duration.ofSeconds(1));

    assertThat(clock.pendingTasks()).as("the cancelled call's poll ran once and stopped").isEqualTo(pendingBefore - 1);
    assertThat(runs).hasValue(1);
  }

  @Test
  void cancellingRunningAsyncWorkRecordsAnUnknownOutcome() {
    Idempotency policy = policy();
    CompletableFuture<String> work = new CompletableFuture<>();
    CompletableFuture<String> first = startPending(policy, work);

    first.cancel(true);

    assertThat(work).isCancelled();
    assertThatThrownBy(() -> policy.execute(KEY, FP, work("never")))
        .isInstanceOf(IdempotencyOutcomeUnknownException.class)
        .hasMessageContaining(CancellationException.class.getName());
  }

  @Test
  void workThatThrowsInsteadOfReturningAStageIsClassifiedLikeAFailedStage() {
    Idempotency policy = policy(b -> b.failureClassifier(
        FailureClassifier.builder().otherwise(FailureKind.RETRYABLE).build()));
    IllegalStateException failure = new IllegalStateException("could not start");

    assertThat(unwrap(policy.executeAsync(KEY, FP, () -> {
      throw failure;
    }).toCompletableFuture())).isSameAs(failure);
    assertThat(unwrap(policy.executeAsync(KEY, FP, () -> null).toCompletableFuture()))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("null CompletionStage");
    assertThat(policy.metrics().releases()).isEqualTo(2);
  }

  // ------------------------------------------------------------------------------------------------------
  // listeners and metrics

  @Test
  void aListenerThatThrowsNeverBreaksTheCall() throws Exception {
    Idempotency policy = Idempotency.builder("payments").store(store).clock(clock)
        .listener(IdempotencyEvent.class, e -> {
          throw new IllegalStateException("listener bug");
        })
        .build();

    assertThat(policy.execute(KEY, FP, work("ok"))).isEqualTo("ok");
    assertThat(policy.execute(KEY, FP, work("ok"))).isEqualTo("ok");
  }

  @Test
  void eventsDescribeEachStepInOrder() throws Exception {
    Idempotency policy = policy();
    policy.execute(KEY, FP, work("x"));
    policy.execute(KEY, FP, work("x"));

    String keyHash = KeyHasher.keyHash("payments", KEY);
    assertThat(events).containsExactly(
        new IdempotencyEvent.Executing("payments", keyHash, 1, false),
        new IdempotencyEvent.Recorded("payments", keyHash, StoredOutcome.RESULT),
        new IdempotencyEvent.Replayed("payments", keyHash, StoredOutcome.RESULT));
  }

  @Test
  void metricsStartAtZeroAndPrint() {
    Idempotency.Metrics metrics = policy().metrics();
    assertThat(metrics.executions() + metrics.takeovers() + metrics.replays() + metrics.inProgressRejections()
        + metrics.waits() + metrics.fingerprintMismatches() + metrics.releases() + metrics.terminalFailures()
        + metrics.unknownOutcomes() + metrics.resultsNotStored() + metrics.fencedOut() + metrics.storeErrors()
        + metrics.failOpenExecutions()).isZero();
    assertThat(metrics.toString()).contains("payments");
  }

  @Test
  void inspectAndForgetWorkOnTheRawKey() throws Exception {
    Idempotency policy = policy();
    assertThat(policy.inspect(KEY)).isEmpty();
    assertThat(policy.forget(KEY)).isFalse();
    policy.execute(KEY, FP, work("x"));

    Optional<IdempotencyRecord> record = policy.inspect(KEY);
    assertThat(record).isPresent();
    assertThat(record.get().state()).isEqualTo(IdempotencyRecord.State.COMPLETED);
    assertThat(policy.forget(KEY)).isTrue();
    assertThat(policy.inspect(KEY)).isEmpty();
  }

  /** A store that fails the operations the test chooses. */
  static final class FlakyStore implements IdempotencyStore {
    final IdempotencyStore delegate;
    final RuntimeException failure = new IdempotencyStoreException("connection reset", null);
    volatile boolean failClaim;
    volatile boolean failComplete;
    volatile boolean failRelease;
    volatile boolean failRenew;

    FlakyStore(IdempotencyStore delegate) {
      this.delegate = delegate;
    }

    @Override
    public ClaimResult claim(String keyHash, String fingerprint, String ownerToken, Duration lease, Duration ttl) {
      if (failClaim) {
        throw failure;
      }
      return delegate.claim(keyHash, fingerprint, ownerToken, lease, ttl);
    }

    @Override
    public WriteResult complete(String keyHash, String ownerToken, long fencingToken, byte[] result, Duration ttl) {
      if (failComplete) {
        throw failure;
      }
      return delegate.complete(keyHash, ownerToken, fencingToken, result, ttl);
    }

    @Override
    public WriteResult release(String keyHash, String ownerToken, long fencingToken) {
      if (failRelease) {
        throw failure;
      }
      return delegate.release(keyHash, ownerToken, fencingToken);
    }

    @Override
    public WriteResult renew(String keyHash, String ownerToken, long fencingToken, Duration lease) {
      if (failRenew) {
        throw failure;
      }
      return delegate.renew(keyHash, ownerToken, fencingToken, lease);
    }

    @Override
    public Optional<IdempotencyRecord> read(String keyHash) {
      return delegate.read(keyHash);
    }

    @Override
    public boolean delete(String keyHash) {
      return delegate.delete(keyHash);
    }

    @Override
    public int purgeExpired(int limit) {
      return delegate.purgeExpired(limit);
    }

    @Override
    public int maxResultBytes() {
      return delegate.maxResultBytes();
    }
  }
}
