package dev.bulwark.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/*
 * A policy's hot state word, alone on its cache lines.
 *
 * Some policies CAS one word on every call from every calling thread (the bulkhead's count, the rate
 * limiter's theoretical arrival time, the concurrency limiter's in-flight count), so that word's cache line
 * moves between cores on every call. Left where HotSpot puts it, it shares a line with fields the call path
 * only reads (the clock, the config, listener flags); each CAS on one core then makes the other cores miss on
 * those reads too. Padding in one place costs 256 bytes per policy instance and removes that: HotSpot lays out
 * a superclass's fields before its subclass's, so padding through inheritance (as JCTools does) keeps 128
 * bytes of nothing on each side of the word, which also covers adjacent-line prefetching. The benchmarks that
 * showed it, and PaddedStateLayoutTest (JOL) that checks the layout, are named in docs/benchmarks.md.
 */

/** Padding before the state word: 128 bytes. */
abstract class PaddedStatePadBefore {
  @SuppressWarnings("unused")
  private long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}

/** The state word. */
abstract class PaddedStateField extends PaddedStatePadBefore {
  /** The subclass's hot word; its meaning and bit layout are documented by the subclass. */
  protected volatile long state;
}

/**
 * Base class of a policy whose hot state is one 64-bit word CASed by every call: the word {@link #state},
 * with 128 bytes of padding on each side so that no other field shares its cache line (or the adjacent
 * prefetched one). Read it directly (a volatile read) or through {@link #STATE}.
 */
public abstract class PaddedState extends PaddedStateField {
  /** A VarHandle on {@link #state}, for CAS, atomic add and weaker accesses by subclasses. */
  protected static final VarHandle STATE;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(PaddedStateField.class, "state", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @SuppressWarnings("unused")
  private long p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p30, p31, p32, p33, p34, p35;

  /** For subclasses. */
  protected PaddedState() {}
}
