package dev.bulwark.spring.aop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class FallbackMethodsTest {

  static class Base {
    String inherited(int id, IOException e) {
      return "base io " + id;
    }
  }

  static class Service extends Base {
    public String fetch(int id) {
      return "real";
    }

    String byType(int id, IOException e) {
      return "io";
    }

    String byType(int id, FileNotFoundException e) {
      return "file not found";
    }

    String byType(int id, RuntimeException e) {
      return "runtime";
    }

    String byType(int id) {
      return "any";
    }

    String onlyIo(int id, IOException e) {
      return "only io";
    }

    static String staticFallback(int id, Exception e) {
      return "static " + id;
    }

    Object wrongReturn(int id) {
      return "x";
    }

    String wrongParameters(long id, String extra) {
      return "x";
    }

    String notAThrowable(int id, String reason) {
      return "x";
    }

    String ambiguous(Integer id) {
      return "boxed";
    }

    public void run(String s) {}

    void runFallback(String s, Exception e) {}

    String runFallbackWithResult(String s) {
      return "x";
    }

    public CompletableFuture<List<String>> fetchAsync(String q) {
      return CompletableFuture.completedFuture(List.of("real"));
    }

    List<String> plainValue(String q, Exception e) {
      return List.of("plain " + q);
    }

    CompletionStage<List<String>> stage(String q, IllegalStateException e) {
      return CompletableFuture.completedFuture(List.of("stage " + e.getMessage()));
    }

    String wrongAsync(String q) {
      return "x";
    }
  }

  static final Method FETCH = method("fetch", int.class);
  static final Method RUN = method("run", String.class);
  static final Method FETCH_ASYNC = method("fetchAsync", String.class);

  static Method method(String name, Class<?>... types) {
    try {
      return Service.class.getMethod(name, types);
    } catch (NoSuchMethodException e) {
      throw new AssertionError(e);
    }
  }

  static FallbackMethods resolve(Method method, String name) {
    return FallbackMethods.resolve(method, Service.class, name, "@Test(name = \"t\")");
  }

  @Test
  void theMostSpecificExceptionTypeWinsAndTheUntypedOneTakesTheRest() throws Throwable {
    FallbackMethods fallbacks = resolve(FETCH, "byType");
    Service target = new Service();
    Object[] args = {7};
    assertThat(fallbacks.recover(target, args, new FileNotFoundException())).isEqualTo("file not found");
    assertThat(fallbacks.recover(target, args, new IOException())).isEqualTo("io");
    assertThat(fallbacks.recover(target, args, new IllegalStateException())).isEqualTo("runtime");
    assertThat(fallbacks.recover(target, args, new Exception())).isEqualTo("any");
  }

  @Test
  void aFailureNoFallbackTakesPassesThroughUnchanged() {
    FallbackMethods fallbacks = resolve(FETCH, "onlyIo");
    IllegalStateException failure = new IllegalStateException("boom");
    assertThatThrownBy(() -> fallbacks.recover(new Service(), new Object[] {1}, failure)).isSameAs(failure);
  }

  @Test
  void fallbacksMayBeInheritedOrStatic() throws Throwable {
    assertThat(resolve(FETCH, "inherited").recover(new Service(), new Object[] {3}, new IOException()))
        .isEqualTo("base io 3");
    assertThat(resolve(FETCH, "staticFallback").recover(new Service(), new Object[] {4}, new Exception()))
        .isEqualTo("static 4");
  }

  @Test
  void aParameterMayAcceptTheArgumentThroughBoxing() throws Throwable {
    assertThat(resolve(FETCH, "ambiguous").recover(new Service(), new Object[] {4}, new Exception()))
        .isEqualTo("boxed");
  }

  @Test
  void aMissingFallbackNamesTheMethodAndTheSignatureExpected() {
    assertThatThrownBy(() -> resolve(FETCH, "nowhere"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Fallback method 'nowhere' named by @Test(name = \"t\") on "
            + Service.class.getName() + ".fetch(int) does not exist. Expected in " + Service.class.getName()
            + ": java.lang.String nowhere(int) or java.lang.String nowhere(int, Throwable)"
            + " (or a subtype of Throwable in last place)");
  }

  @Test
  void anIncompatibleFallbackSaysWhatDoesNotFit() {
    assertThatThrownBy(() -> resolve(FETCH, "wrongReturn"))
        .hasMessageContaining("Fallback method 'wrongReturn'")
        .hasMessageContaining("does not fit: Object wrongReturn(int): returns Object, expected String");
    assertThatThrownBy(() -> resolve(FETCH, "wrongParameters"))
        .hasMessageContaining("parameter 1 is long, which does not accept int");
    assertThatThrownBy(() -> resolve(FETCH, "notAThrowable"))
        .hasMessageContaining("the last parameter is String, expected Throwable or a subtype");
    assertThatThrownBy(() -> resolve(RUN, "runFallbackWithResult"))
        .hasMessageContaining("returns String, expected void");
  }

  @Test
  void voidMethodsTakeVoidFallbacks() throws Throwable {
    assertThat(resolve(RUN, "runFallback").recover(new Service(), new Object[] {"s"}, new Exception())).isNull();
  }

  @Test
  void asyncFallbacksReturnAStageOrAPlainValue() {
    Service target = new Service();
    FallbackMethods plain = resolve(FETCH_ASYNC, "plainValue");
    CompletionStage<Object> failed = CompletableFuture.failedFuture(new CompletionException(new IOException()));
    assertThat(plain.recoverAsync(failed, target, new Object[] {"q"}).toCompletableFuture().join())
        .isEqualTo(List.of("plain q"));

    FallbackMethods stage = resolve(FETCH_ASYNC, "stage");
    assertThat(stage.recoverAsync(CompletableFuture.failedFuture(new IllegalStateException("late")), target,
        new Object[] {"q"}).toCompletableFuture().join()).isEqualTo(List.of("stage late"));
    CompletableFuture<Object> untouched = CompletableFuture.completedFuture(List.of("real"));
    assertThat(stage.recoverAsync(untouched, target, new Object[] {"q"}).toCompletableFuture().join())
        .isEqualTo(List.of("real"));
  }

  @Test
  void anAsyncFallbackMustFitTheStagesValue() {
    assertThatThrownBy(() -> resolve(FETCH_ASYNC, "wrongAsync"))
        .hasMessageContaining("returns String, expected a CompletionStage or List")
        .hasMessageContaining("CompletableFuture<java.util.List<java.lang.String>> (or java.util.List<java.lang.String>)");
  }
}
