package dev.bulwark.timeout;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Run by {@link TimeoutThreadsTest} on a newer JDK: reports whether a synchronous timed call runs on a
 * virtual thread, and whether that thread is interrupted at expiry.
 */
public final class VirtualThreadProbe {
  private VirtualThreadProbe() {}

  /**
   * Prints {@code virtual=..., usesVirtualThreads=..., interrupted=...}.
   *
   * @param args ignored
   * @throws Exception if the probe fails
   */
  public static void main(String[] args) throws Exception {
    Timeout timeout = Timeout.of("probe", Duration.ofMillis(200));
    Object virtual = timeout.call(() -> Thread.class.getMethod("isVirtual").invoke(Thread.currentThread()));
    boolean[] interrupted = {false};
    try {
      timeout.call(() -> {
        while (!Thread.currentThread().isInterrupted()) {
          LockSupport.park();
        }
        interrupted[0] = true;
        return null;
      });
    } catch (TimeoutExceededException expected) {
      // the caller returns at expiry; give the interrupted worker a moment to record it
      for (int i = 0; i < 1000 && !interrupted[0]; i++) {
        Thread.sleep(5);
      }
    }
    System.out.println("virtual=" + virtual + ", usesVirtualThreads=" + TimeoutThreads.usesVirtualThreads()
        + ", interrupted=" + interrupted[0]);
  }
}
