package dev.bulwark.timeout;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where synchronous timed calls run: a virtual thread per call on JDK 21 and later (found through method
 * handles, since the core compiles for Java 17), otherwise a cached pool of daemon threads that die after 30
 * seconds idle.
 */
final class TimeoutThreads {
  private static final String PREFIX = "bulwark-timeout-";
  private static final ExecutorService VIRTUAL = virtualThreadPerTaskExecutor();

  private TimeoutThreads() {}

  /** Returns the default executor, created on first use. */
  static Executor defaultExecutor() {
    return VIRTUAL != null ? VIRTUAL : PlatformHolder.POOL;
  }

  /** Tells whether this runtime gives each synchronous timed call a virtual thread. */
  static boolean usesVirtualThreads() {
    return VIRTUAL != null;
  }

  /**
   * {@code Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(PREFIX, 0).factory())}, or {@code null}
   * where virtual threads do not exist (or are a disabled preview).
   */
  static ExecutorService virtualThreadPerTaskExecutor() {
    try {
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      Class<?> builder = Class.forName("java.lang.Thread$Builder");
      Class<?> ofVirtual = Class.forName("java.lang.Thread$Builder$OfVirtual");
      MethodHandle newBuilder = lookup.findStatic(Thread.class, "ofVirtual", MethodType.methodType(ofVirtual));
      MethodHandle name =
          lookup.findVirtual(builder, "name", MethodType.methodType(builder, String.class, long.class));
      MethodHandle factory = lookup.findVirtual(builder, "factory", MethodType.methodType(ThreadFactory.class));
      MethodHandle perTask = lookup.findStatic(Executors.class, "newThreadPerTaskExecutor",
          MethodType.methodType(ExecutorService.class, ThreadFactory.class));
      Object named = name.invoke(newBuilder.invoke(), PREFIX, 0L);
      ThreadFactory threads = (ThreadFactory) factory.invoke(named);
      return (ExecutorService) perTask.invoke(threads);
    } catch (Throwable unavailable) { // absent before JDK 21; UnsupportedOperationException as a disabled preview
      return null;
    }
  }

  private static final class PlatformHolder {
    static final ThreadPoolExecutor POOL = create();

    private static ThreadPoolExecutor create() {
      AtomicLong count = new AtomicLong();
      ThreadFactory threads = runnable -> {
        Thread thread = new Thread(runnable, PREFIX + count.getAndIncrement());
        thread.setDaemon(true);
        return thread;
      };
      return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), threads);
    }
  }
}
