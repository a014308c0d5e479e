package dev.bulwark.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.CallNotPermittedException;
import dev.bulwark.Permit;
import dev.bulwark.PermitPolicy;
import dev.bulwark.PolicyKind;
import dev.bulwark.testing.ManualClock;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class PermitCallsTest {
  private final ManualClock clock = new ManualClock();
  private final Recording policy = new Recording();

  /** Admits while {@code open}, logging every report. */
  final class Recording implements PermitPolicy, Permit {
    final List<String> reports = new ArrayList<>();
    boolean admit = true;

    @Override
    public String name() {
      return "recording";
    }

    @Override
    public PolicyKind kind() {
      return PolicyKind.BULKHEAD;
    }

    @Override
    public Permit tryAcquirePermit() {
      return admit ? this : null;
    }

    @Override
    public Permit acquirePermit() {
      if (!admit) {
        throw new CallNotPermittedException(PolicyKind.BULKHEAD, "recording", 7);
      }
      return this;
    }

    @Override
    public <T> T call(Callable<? extends T> callable) throws Exception {
      return PermitCalls.call(this, clock, callable);
    }

    @Override
    public <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<? extends T>> supplier) {
      return PermitCalls.callAsync(this, clock, supplier);
    }

    @Override
    public void onSuccess(long durationNanos) {
      reports.add("success " + durationNanos);
    }

    @Override
    public void onResult(long durationNanos, Object result) {
      reports.add("result " + durationNanos + " " + result);
    }

    @Override
    public void onFailure(long durationNanos, Throwable failure) {
      reports.add("failure " + durationNanos + " " + failure.getClass().getSimpleName());
    }

    @Override
    public void release() {
      reports.add("release");
    }
  }

  @Test
  void syncCallsReportTheResultAndTheDuration() throws Exception {
    String result = policy.call(() -> {
      clock.advance(40);
      return "ok";
    });
    assertThat(result).isEqualTo("ok");
    assertThat(policy.reports).containsExactly("result 40 ok");
  }

  @Test
  void syncFailuresAreReportedAndRethrownUnchanged() {
    IOException io = new IOException();
    assertThatThrownBy(() -> policy.call(() -> {
      clock.advance(3);
      throw io;
    })).isSameAs(io);
    assertThat(policy.reports).containsExactly("failure 3 IOException");
  }

  @Test
  void syncRejectionsNeverRunTheCall() {
    policy.admit = false;
    assertThatThrownBy(() -> policy.call(() -> {
      throw new AssertionError("must not run");
    })).isInstanceOf(CallNotPermittedException.class);
    assertThat(policy.reports).isEmpty();
  }

  @Test
  void asyncCallsReportOnceWhenTheStageCompletes() {
    CompletableFuture<String> underlying = new CompletableFuture<>();
    CompletableFuture<String> result = policy.callAsync(() -> underlying).toCompletableFuture();
    assertThat(policy.reports).isEmpty();

    clock.advance(25);
    underlying.complete("later");

    assertThat(result.join()).isEqualTo("later");
    assertThat(policy.reports).containsExactly("result 25 later");
  }

  @Test
  void asyncFailuresAreUnwrappedAndReported() {
    CompletableFuture<String> underlying = new CompletableFuture<>();
    CompletableFuture<String> result = policy.callAsync(() -> underlying.thenApply(s -> s)).toCompletableFuture();
    underlying.completeExceptionally(new IOException("io"));

    assertThatThrownBy(result::join).isInstanceOf(CompletionException.class).hasCauseInstanceOf(IOException.class);
    assertThat(policy.reports).containsExactly("failure 0 IOException");
  }

  @Test
  void aSupplierThatThrowsOrReturnsNullFailsTheStage() {
    CompletableFuture<Object> thrown = policy.callAsync(() -> {
      throw new IllegalStateException("no stage");
    }).toCompletableFuture();
    CompletableFuture<Object> nulled = policy.callAsync(() -> null).toCompletableFuture();

    assertThat(thrown).isCompletedExceptionally();
    assertThat(nulled).isCompletedExceptionally();
    assertThat(policy.reports).containsExactly("failure 0 IllegalStateException", "failure 0 NullPointerException");
  }

  @Test
  void asyncRejectionsFailTheStageWithoutCallingTheSupplier() {
    policy.admit = false;
    CompletableFuture<Object> result = policy.callAsync(() -> {
      throw new AssertionError("must not run");
    }).toCompletableFuture();
    assertThatThrownBy(result::join).hasCauseInstanceOf(CallNotPermittedException.class);
  }

  @Test
  void cancellingTheReturnedStageReleasesThePermitOnceAndCancelsTheWork() {
    CompletableFuture<String> underlying = new CompletableFuture<>();
    CompletableFuture<String> result = policy.callAsync(() -> underlying).toCompletableFuture();

    assertThat(result.cancel(true)).isTrue();
    underlying.complete("too late");

    assertThat(underlying).isCancelled();
    assertThat(policy.reports).containsExactly("release");
    result.cancel(true);
    assertThat(policy.reports).containsExactly("release");
  }

  @Test
  void aCancelledUnderlyingStageReleasesInsteadOfRecordingAFailure() {
    CompletableFuture<String> underlying = new CompletableFuture<>();
    CompletableFuture<String> result = policy.callAsync(() -> underlying).toCompletableFuture();
    underlying.cancel(false);

    assertThat(result).isCompletedExceptionally();
    assertThatThrownBy(result::join).isInstanceOf(CancellationException.class);
    assertThat(policy.reports).containsExactly("release");
  }
}
