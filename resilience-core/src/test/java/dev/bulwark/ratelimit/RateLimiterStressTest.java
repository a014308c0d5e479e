package dev.bulwark.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Many threads deciding at once. Virtual time stands still within a round and moves between rounds, so the
 * exact number of permits a round may admit is known from the sequential model: concurrency must admit
 * exactly that many, never more, never fewer (no decision lost, none duplicated), including when rounds
 * straddle rebases, and while the rate is changed concurrently.
 */
class RateLimiterStressTest {
  private static final int THREADS = 6;

  private interface Round {
    void run(int thread, ThreadLocalRandom random) throws Exception;
  }

  private static void rounds(int count, Runnable between, Round round) throws Exception {
    CyclicBarrier start = new CyclicBarrier(THREADS);
    CyclicBarrier end = new CyclicBarrier(THREADS, between);
    ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int id = t;
      Thread thread = new Thread(() -> {
        try {
          ThreadLocalRandom random = ThreadLocalRandom.current();
          for (int r = 0; r < count; r++) {
            start.await();
            round.run(id, random);
            end.await();
          }
        } catch (Throwable e) {
          failures.add(e);
          start.reset();
          end.reset();
        }
      });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join(TimeUnit.SECONDS.toMillis(120));
      assertThat(thread.isAlive()).isFalse();
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void eachRoundAdmitsExactlyWhatTheModelAdmitsAcrossRebases() throws Exception {
    ManualClock clock = new ManualClock();
    // a rate kept exact in ticks of 1/999,999,937 ns: the base moves every 0.29 s of virtual time
    RateLimiterConfig config = RateLimiterConfig.builder().limitForPeriod(999_999_937).burstCapacity(2_000).build();
    RateLimiter limiter = RateLimiter.builder("stress").config(config).clock(clock).build();
    GcraModel model = new GcraModel(config, clock.nanoTime());
    AtomicLong admitted = new AtomicLong();
    long[] expected = new long[1];
    List<String> mismatches = new ArrayList<>();
    long[] gaps = {0, 700, 1_999, 100_000_000, 288_230_377, 3, 1_000};
    int[] round = {0};
    Runnable check = () -> {
      // all threads are parked at the barrier: compare, then move time for the next round
      long now = clock.nanoTime();
      long modelAdmits = 0;
      while (model.tryAcquire(1, now) == 0) {
        modelAdmits++;
      }
      if (admitted.getAndSet(0) != modelAdmits) {
        mismatches.add("round " + round[0] + ": expected " + modelAdmits);
      }
      expected[0] += modelAdmits;
      clock.advance(gaps[round[0]++ % gaps.length]);
    };
    rounds(40, check, (thread, random) -> {
      // hammer until refused several times in a row: at a frozen instant, a refusal is final
      int refusals = 0;
      while (refusals < 3) {
        if (limiter.tryAcquire(1) == 0) {
          admitted.incrementAndGet();
          refusals = 0;
        } else {
          refusals++;
        }
      }
    });
    assertThat(mismatches).isEmpty();
    assertThat(expected[0]).isGreaterThan(2_000);
  }

  @Test
  void concurrentRateChangesNeverAdmitMoreThanTheLargestBurstAtOneInstant() throws Exception {
    ManualClock clock = new ManualClock();
    RateLimiterConfig small = RateLimiterConfig.builder().limitForPeriod(7).period(Duration.ofMillis(3))
        .burstCapacity(30).build();
    RateLimiterConfig large = RateLimiterConfig.builder().limitForPeriod(1_000).burstCapacity(100).build();
    RateLimiter limiter = RateLimiter.builder("stress").config(small).clock(clock).build();
    AtomicLong admitted = new AtomicLong();
    List<Long> perRound = new ArrayList<>();
    Runnable between = () -> {
      perRound.add(admitted.getAndSet(0));
      clock.advance(Duration.ofSeconds(10)); // long enough to refill fully whatever the rate
    };
    rounds(30, between, (thread, random) -> {
      for (int i = 0; i < 400; i++) {
        if (thread == 0 && i % 20 == 0) {
          limiter.changeConfig(random.nextBoolean() ? small : large);
        } else if (limiter.tryAcquire(1 + random.nextInt(3)) == 0) {
          admitted.incrementAndGet();
        }
      }
    });
    // each round starts full; permits owed carry over as a count, so at one instant no more than the
    // largest burst is ever admitted (each success above took 1 to 3 permits: count requests, bound by 100)
    assertThat(perRound).allSatisfy(n -> assertThat(n).isBetween(1L, 100L));
  }
}
