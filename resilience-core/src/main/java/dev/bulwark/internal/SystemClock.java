package dev.bulwark.internal;

import dev.bulwark.Clock;

/** The clock backed by {@link System#nanoTime()}: the one place in the core that reads it. */
public enum SystemClock implements Clock {
  /** The single instance. */
  INSTANCE;

  @Override
  public long nanoTime() {
    return System.nanoTime();
  }
}
