package dev.lookout.log4j2.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.apache.logging.log4j.Level;

/** Counts of dropped events by level and reason; allocation-free to increment. Internal. */
public final class DropCounters {

  public static final int SAMPLED = 0;
  public static final int RATE_LIMITED = 1;
  public static final int DUPLICATE = 2;
  public static final int BUFFER_EVICTED = 3;

  private static final String[] REASONS = {"sampled", "rate_limited", "duplicate", "buffer_evicted"};
  /** WARN, INFO, DEBUG, TRACE: the levels that can be dropped. */
  private static final String[] LEVELS = {"WARN", "INFO", "DEBUG", "TRACE"};

  private static final LongAdder[][] COUNTS = new LongAdder[LEVELS.length][REASONS.length];

  static {
    for (int l = 0; l < LEVELS.length; l++) {
      for (int r = 0; r < REASONS.length; r++) {
        COUNTS[l][r] = new LongAdder();
      }
    }
  }

  private DropCounters() {}

  static int levelIndex(Level level) {
    int i = level.intLevel();
    if (i <= Level.WARN.intLevel()) {
      return 0;
    }
    if (i <= Level.INFO.intLevel()) {
      return 1;
    }
    if (i <= Level.DEBUG.intLevel()) {
      return 2;
    }
    return 3;
  }

  public static void count(Level level, int reason) {
    COUNTS[levelIndex(level)][reason].increment();
  }

  /** level → reason → count, for every combination seen so far (monotonic). */
  public static Map<String, Map<String, Long>> snapshot() {
    Map<String, Map<String, Long>> out = new LinkedHashMap<>();
    for (int l = 0; l < LEVELS.length; l++) {
      Map<String, Long> byReason = new LinkedHashMap<>();
      for (int r = 0; r < REASONS.length; r++) {
        long v = COUNTS[l][r].sum();
        if (v > 0) {
          byReason.put(REASONS[r], v);
        }
      }
      if (!byReason.isEmpty()) {
        out.put(LEVELS[l], byReason);
      }
    }
    return out;
  }
}
