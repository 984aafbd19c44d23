package dev.lookout.filters.internal.pipeline;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * What one request did in the database: statement count and time, and how often each statement
 * text ran (for N+1 detection). Thread-safe and lock-free, because statements of an async request
 * may run on several threads; a request that runs no statement allocates nothing here. Internal.
 */
public final class RequestDbActivity {

  /** Most distinct statement texts counted per request; later new ones are not counted by text. */
  static final int DISTINCT_STATEMENTS = 64;

  private static final AtomicLongFieldUpdater<RequestDbActivity> COUNT =
      AtomicLongFieldUpdater.newUpdater(RequestDbActivity.class, "count");
  private static final AtomicLongFieldUpdater<RequestDbActivity> NANOS =
      AtomicLongFieldUpdater.newUpdater(RequestDbActivity.class, "nanos");

  private volatile long count;
  private volatile long nanos;
  private volatile Table table;

  /**
   * Adds one executed statement.
   *
   * @param sanitizedStatement the statement with its literals replaced (the same text for the same
   *     template), or null when unknown
   * @return how often this statement text ran in this request so far, this one included; 0 when
   *     the text was not counted (null, or the request already ran too many distinct texts)
   */
  public int recordStatement(String sanitizedStatement, long durationNanos) {
    COUNT.incrementAndGet(this);
    NANOS.addAndGet(this, Math.max(0, durationNanos));
    if (sanitizedStatement == null) {
      return 0;
    }
    Table t = table;
    if (t == null) {
      synchronized (this) { // once per request that runs statements, not per statement
        t = table;
        if (t == null) {
          t = new Table();
          table = t;
        }
      }
    }
    return t.increment(sanitizedStatement);
  }

  /** Statements executed in this request. */
  public int statements() {
    return (int) Math.min(Integer.MAX_VALUE, count);
  }

  /** Time spent executing them, in nanoseconds (overlapping statements add up). */
  public long nanos() {
    return nanos;
  }

  /** Open addressing over a fixed array: bounded, lock-free, no per-statement allocation. */
  private static final class Table {
    private final AtomicReferenceArray<String> keys = new AtomicReferenceArray<>(DISTINCT_STATEMENTS * 2);
    private final AtomicIntegerArray counts = new AtomicIntegerArray(DISTINCT_STATEMENTS * 2);
    private volatile int distinct;

    int increment(String key) {
      int mask = DISTINCT_STATEMENTS * 2 - 1;
      int i = mix(key.hashCode()) & mask;
      for (int probe = 0; probe <= mask; probe++, i = (i + 1) & mask) {
        String k = keys.get(i);
        if (k == null) {
          if (distinct >= DISTINCT_STATEMENTS) {
            return 0;
          }
          if (keys.compareAndSet(i, null, key)) {
            distinct++; // racy by design: the cap may be passed by a few, never unboundedly
            return counts.incrementAndGet(i);
          }
          k = keys.get(i);
        }
        if (k.equals(key)) {
          return counts.incrementAndGet(i);
        }
      }
      return 0;
    }

    private static int mix(int h) {
      h ^= h >>> 16;
      h *= 0x85ebca6b;
      h ^= h >>> 13;
      return h;
    }
  }
}
