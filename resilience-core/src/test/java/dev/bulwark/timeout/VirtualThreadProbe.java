package dev.bulwark.timeout;

import dev.bulwark.ContextPropagator;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Run by {@link TimeoutThreadsTest} on a newer JDK: reports whether a synchronous timed call runs on a
 * virtual thread, whether that thread is interrupted at expiry, and whether it sees the caller's context.
 */
public final class VirtualThreadProbe {
  private VirtualThreadProbe() {}

  /**
   * Prints {@code virtual=..., usesVirtualThreads=..., interrupted=..., context=...}.
   *
   * @param args ignored
   * @throws Exception if the probe fails
   */
  public static void main(String[] args) throws Exception {
    // generous for the first call, which starts the virtual-thread machinery on a possibly busy machine
    Object virtual = Timeout.of("probe", Duration.ofSeconds(30))
        .call(() -> Thread.class.getMethod("isVirtual").invoke(Thread.currentThread()));
    Timeout timeout = Timeout.of("probe", Duration.ofMillis(200));
    AtomicBoolean interrupted = new AtomicBoolean();
    try {
      timeout.call(() -> {
        while (!Thread.currentThread().isInterrupted()) {
          LockSupport.park();
        }
        interrupted.set(true);
        return null;
      });
    } catch (TimeoutExceededException expected) {
      // the caller returns at expiry; give the interrupted worker a moment to record it
      long giveUp = System.nanoTime() + 5_000_000_000L;
      while (!interrupted.get() && System.nanoTime() < giveUp) {
        LockSupport.parkNanos(1_000_000);
      }
    }
    ThreadLocal<String> user = new ThreadLocal<>();
    Timeout propagating = Timeout.of("probe", TimeoutConfig.builder().timeout(Duration.ofSeconds(30))
        .contextPropagators(ContextPropagator.ofThreadLocal(user)).build());
    user.set("alice");
    Object context = propagating.call(() -> user.get() + "@virtual="
        + Thread.class.getMethod("isVirtual").invoke(Thread.currentThread()));
    System.out.println("virtual=" + virtual + ", usesVirtualThreads=" + TimeoutThreads.usesVirtualThreads()
        + ", interrupted=" + interrupted.get() + ", context=" + context);
  }
}
