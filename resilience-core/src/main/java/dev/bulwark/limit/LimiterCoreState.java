package dev.bulwark.limit;

/*
 * The admission word of a LimiterCore (see its notes), alone on its cache line.
 *
 * Every admission and every release CASes it, from every calling thread, so its line moves between cores on
 * every call. Without padding it shared a line with fields the call path only reads (the window's end, the
 * sampling threshold, the probe start, the classifier's slow-call duration; JOL showed them at offsets 16 to
 * 64 beside it at 32), and each CAS made the other cores miss on those reads too. HotSpot lays out a
 * superclass's fields before its subclass's, so padding through inheritance (as JCTools does) keeps 128 bytes
 * of nothing on each side of the word, which also covers adjacent-line prefetching.
 */
abstract class LimiterCorePadBefore {
  @SuppressWarnings("unused")
  private long p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15;
}

abstract class LimiterCoreState extends LimiterCorePadBefore {
  /** The packed admission word: in-flight count, top of the free-slot stack, ABA tag (see LimiterCore). */
  volatile long state;
}

abstract class LimiterCorePadAfter extends LimiterCoreState {
  @SuppressWarnings("unused")
  private long p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p30, p31, p32, p33, p34, p35;
}
