package dev.bulwark.idempotency;

import dev.bulwark.Clock;
import dev.bulwark.idempotency.conformance.IdempotencyStoreConformance;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-memory store passes the conformance kit. Its clock is the system clock plus an offset that
 * {@link #advanceStoreTime(Duration)} moves, so time passes both for real (the real-time lease test) and on
 * demand.
 */
class InMemoryIdempotencyStoreConformanceTest extends IdempotencyStoreConformance {
  private final AtomicLong offset = new AtomicLong();
  private InMemoryIdempotencyStore inMemory;

  @Override
  protected IdempotencyStore createStore() {
    Clock system = Clock.system();
    Clock clock = () -> system.nanoTime() + offset.get();
    inMemory = InMemoryIdempotencyStore.builder().clock(clock).maxResultBytes(256 * 1024).build();
    return inMemory;
  }

  @Override
  protected void advanceStoreTime(Duration duration) {
    offset.addAndGet(duration.toNanos());
  }

  @Override
  protected boolean isStored(String keyHash) {
    return inMemory.holds(keyHash);
  }
}
