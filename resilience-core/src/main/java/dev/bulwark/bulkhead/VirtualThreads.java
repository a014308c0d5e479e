package dev.bulwark.bulkhead;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ThreadFactory;

/**
 * Virtual threads, found at run time: the core compiles for Java 17, where {@code Thread.ofVirtual()} does
 * not exist. On Java 21 and later the handles below resolve and {@link #SUPPORTED} is true. (Java 19 and 20
 * had the API as a preview, which throws unless enabled; they are treated as unsupported.)
 */
final class VirtualThreads {
  private VirtualThreads() {}

  private static final MethodHandle OF_VIRTUAL;
  private static final MethodHandle NAME;
  private static final MethodHandle FACTORY;
  static final boolean SUPPORTED;

  static {
    MethodHandle ofVirtual = null;
    MethodHandle name = null;
    MethodHandle factory = null;
    if (Runtime.version().feature() >= 21) {
      try {
        MethodHandles.Lookup lookup = MethodHandles.publicLookup();
        Class<?> builder = Class.forName("java.lang.Thread$Builder");
        Class<?> ofVirtualType = Class.forName("java.lang.Thread$Builder$OfVirtual");
        ofVirtual = lookup.findStatic(Thread.class, "ofVirtual", MethodType.methodType(ofVirtualType));
        name = lookup.findVirtual(builder, "name", MethodType.methodType(builder, String.class, long.class));
        factory = lookup.findVirtual(builder, "factory", MethodType.methodType(ThreadFactory.class));
      } catch (ReflectiveOperationException | RuntimeException e) {
        ofVirtual = null;
      }
    }
    OF_VIRTUAL = ofVirtual;
    NAME = name;
    FACTORY = factory;
    SUPPORTED = ofVirtual != null;
  }

  /**
   * Returns a factory of unstarted virtual threads named {@code prefix0}, {@code prefix1}, ...
   *
   * @param prefix the thread-name prefix
   * @return the factory
   * @throws UnsupportedOperationException before Java 21
   */
  static ThreadFactory factory(String prefix) {
    if (!SUPPORTED) {
      throw new UnsupportedOperationException("virtual threads need Java 21 or later, running on Java "
          + Runtime.version());
    }
    try {
      Object builder = OF_VIRTUAL.invoke();
      builder = NAME.invoke(builder, prefix, 0L);
      return (ThreadFactory) FACTORY.invoke(builder);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable e) {
      throw new IllegalStateException("could not create a virtual-thread factory", e);
    }
  }
}
