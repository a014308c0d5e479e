package dev.bulwark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class PipelineTest {

  /** A policy that records when calls enter and leave it. */
  static final class Tracing implements Policy {
    final String name;
    final PolicyKind kind;
    final List<String> log;

    Tracing(PolicyKind kind, String name, List<String> log) {
      this.kind = kind;
      this.name = name;
      this.log = log;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public PolicyKind kind() {
      return kind;
    }

    @Override
    public <T> T call(Callable<? extends T> callable) throws Exception {
      log.add("enter " + name);
      try {
        return callable.call();
      } finally {
        log.add("leave " + name);
      }
    }

    @Override
    public <T> CompletionStage<T> callAsync(Supplier<? extends CompletionStage<? extends T>> supplier) {
      log.add("enter " + name);
      return supplier.get().<T>thenApply(v -> v).whenComplete((v, t) -> log.add("leave " + name));
    }
  }

  private final List<String> log = new ArrayList<>();
  private final Tracing timeout = new Tracing(PolicyKind.TIMEOUT, "timeout", log);
  private final Tracing bulkhead = new Tracing(PolicyKind.BULKHEAD, "bulkhead", log);
  private final Tracing breaker = new Tracing(PolicyKind.CIRCUIT_BREAKER, "breaker", log);
  private final Tracing retry = new Tracing(PolicyKind.RETRY, "retry", log);
  private final Tracing fallback = new Tracing(PolicyKind.FALLBACK, "fallback", log);

  @Test
  void ofNestsInTheDocumentedOrderWhateverTheArgumentOrder() throws Exception {
    Pipeline pipeline = Pipeline.of(timeout, breaker, fallback, bulkhead, retry);
    assertThat(pipeline.policies()).containsExactly(fallback, retry, breaker, bulkhead, timeout);
    assertThat(pipeline.kind()).isEqualTo(PolicyKind.FALLBACK);
    assertThat(pipeline.name())
        .isEqualTo("pipeline[fallback:fallback > retry:retry > circuit_breaker:breaker > bulkhead:bulkhead"
            + " > timeout:timeout]");

    String result = pipeline.call(() -> {
      log.add("call");
      return "ok";
    });

    assertThat(result).isEqualTo("ok");
    assertThat(log).containsExactly("enter fallback", "enter retry", "enter breaker", "enter bulkhead",
        "enter timeout", "call", "leave timeout", "leave bulkhead", "leave breaker", "leave retry",
        "leave fallback");
  }

  @Test
  void policiesOfOneKindKeepTheirOrderAndInOrderKeepsEverything() throws Exception {
    Tracing second = new Tracing(PolicyKind.CIRCUIT_BREAKER, "second", log);
    assertThat(Pipeline.of(second, timeout, breaker).policies()).containsExactly(second, breaker, timeout);
    assertThat(Pipeline.inOrder(timeout, retry).policies()).containsExactly(timeout, retry);

    Pipeline.inOrder(timeout, retry).run(() -> log.add("call"));
    assertThat(log).containsExactly("enter timeout", "enter retry", "call", "leave retry", "leave timeout");
  }

  @Test
  void decoratedFunctionsNestOnceAndCallManyTimes() throws Exception {
    Pipeline pipeline = Pipeline.of(breaker, retry);
    Supplier<String> supplier = pipeline.decorate(() -> "s");
    Callable<String> callable = pipeline.decorateCallable(() -> "c");
    Runnable runnable = pipeline.decorateRunnable(() -> log.add("r"));

    assertThat(supplier.get()).isEqualTo("s");
    assertThat(callable.call()).isEqualTo("c");
    runnable.run();
    assertThat(pipeline.get(() -> "g")).isEqualTo("g");

    assertThat(log).filteredOn("enter retry"::equals).hasSize(4);
    assertThat(log).filteredOn("enter breaker"::equals).hasSize(4);
  }

  @Test
  void asyncCallsNestInTheSameOrder() {
    Pipeline pipeline = Pipeline.of(bulkhead, retry);
    CompletionStage<String> stage = pipeline.decorateAsync(() -> {
      log.add("call");
      return CompletableFuture.completedFuture("async");
    }).get();

    assertThat(stage.toCompletableFuture().join()).isEqualTo("async");
    assertThat(log).containsExactly("enter retry", "enter bulkhead", "call", "leave bulkhead", "leave retry");
    assertThat(pipeline.callAsync(() -> CompletableFuture.completedFuture(1)).toCompletableFuture().join())
        .isEqualTo(1);
  }

  @Test
  void checkedExceptionsPassThroughUnchangedEvenThroughSuppliers() {
    Pipeline pipeline = Pipeline.of(breaker);
    IOException io = new IOException("disk");
    assertThatThrownBy(() -> pipeline.call(() -> {
      throw io;
    })).isSameAs(io);
    Callable<Object> failing = () -> {
      throw io;
    };
    assertThatThrownBy(() -> pipeline.decorateCallable(failing).call()).isSameAs(io);
    assertThat(log).containsExactly("enter breaker", "leave breaker", "enter breaker", "leave breaker");
  }

  @Test
  void anEmptyPipelineJustCalls() throws Exception {
    Pipeline empty = Pipeline.of();
    assertThat(empty.call(() -> 42)).isEqualTo(42);
    assertThat(empty.policies()).isEmpty();
    assertThatThrownBy(empty::kind).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void nullsAreRefused() {
    assertThatThrownBy(() -> Pipeline.of((Policy[]) null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Pipeline.of(breaker, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("policies must not contain null");
    assertThatThrownBy(() -> Pipeline.of(breaker).call(null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Pipeline.of(breaker).decorate(null)).isInstanceOf(NullPointerException.class);
  }
}
