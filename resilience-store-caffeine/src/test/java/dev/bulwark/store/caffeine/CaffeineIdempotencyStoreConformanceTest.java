package dev.bulwark.store.caffeine;

import dev.bulwark.Clock;
import dev.bulwark.idempotency.IdempotencyStore;
import dev.bulwark.idempotency.conformance.IdempotencyStoreConformance;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Caffeine store passes the conformance kit. Its clock is the system clock plus an offset that
 * {@link #advanceStoreTime(Duration)} moves, so time passes both for real and on demand.
 */
class CaffeineIdempotencyStoreConformanceTest extends IdempotencyStoreConformance {
  private final AtomicLong offset = new AtomicLong();
  private CaffeineIdempotencyStore caffeine;

  @Override
  protected IdempotencyStore createStore() {
    Clock system = Clock.system();
    caffeine = CaffeineIdempotencyStore.builder()
        .clock(() -> system.nanoTime() + offset.get())
        .maxResultBytes(256 * 1024)
        .build();
    return caffeine;
  }

  @Override
  protected void advanceStoreTime(Duration duration) {
    offset.addAndGet(duration.toNanos());
  }

  @Override
  protected boolean isStored(String keyHash) {
    return caffeine.holds(keyHash);
  }
}
