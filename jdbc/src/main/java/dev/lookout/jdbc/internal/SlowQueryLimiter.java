package dev.lookout.jdbc.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * At most N {@code slow_query} lines per minute, without a lock: a fixed one-minute window whose
 * counter is reset by whichever thread first sees the next minute. Internal.
 */
final class SlowQueryLimiter {

  private static final long MINUTE_NANOS = 60_000_000_000L;

  private final int perMinute;
  private final AtomicLong window = new AtomicLong(Long.MIN_VALUE);
  private final AtomicInteger used = new AtomicInteger();
  private final AtomicLong skipped = new AtomicLong();
  private final java.util.function.LongSupplier clock;

  SlowQueryLimiter(int perMinute) {
    this(perMinute, System::nanoTime);
  }

  SlowQueryLimiter(int perMinute, java.util.function.LongSupplier clock) {
    this.perMinute = perMinute;
    this.clock = clock;
  }

  /**
   * Asks to log one line: returns -1 when it must be left out (and counts it), else how many were
   * left out since the last line that was logged.
   */
  long tryAcquire() {
    long minute = Math.floorDiv(clock.getAsLong(), MINUTE_NANOS);
    long w = window.get();
    if (w != minute && window.compareAndSet(w, minute)) {
      used.set(0);
    }
    if (used.incrementAndGet() > perMinute) {
      skipped.incrementAndGet();
      return -1;
    }
    return skipped.getAndSet(0);
  }
}
