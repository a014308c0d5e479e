package dev.bulwark.internal;

import dev.bulwark.Sleeper;
import java.util.concurrent.locks.LockSupport;

/** Parks the calling thread until the time is up; spurious wake-ups park again. Virtual-thread friendly. */
public enum ParkingSleeper implements Sleeper {
  /** The single instance. */
  INSTANCE;

  @Override
  public void sleep(long nanos) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException();
    }
    if (nanos <= 0) {
      return;
    }
    long deadline = SystemClock.INSTANCE.nanoTime() + nanos;
    for (long remaining = nanos; remaining > 0; remaining = deadline - SystemClock.INSTANCE.nanoTime()) {
      LockSupport.parkNanos(this, remaining);
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
    }
  }
}
