package dev.bulwark.retry;

import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/** Delegates to the calling thread's {@link ThreadLocalRandom}: uncontended, and safe to share. */
enum ThreadLocalRandomGenerator implements RandomGenerator {
  INSTANCE;

  @Override
  public long nextLong() {
    return ThreadLocalRandom.current().nextLong();
  }

  @Override
  public long nextLong(long bound) {
    return ThreadLocalRandom.current().nextLong(bound);
  }

  @Override
  public long nextLong(long origin, long bound) {
    return ThreadLocalRandom.current().nextLong(origin, bound);
  }

  @Override
  public double nextDouble() {
    return ThreadLocalRandom.current().nextDouble();
  }
}
