package dev.lookout.filters.internal.pipeline;

import java.util.HashMap;
import java.util.Map;

/** What one request did in the database: statement count, time, repeats per statement text. Internal. */
public final class RequestDbActivity {

  private static final int DISTINCT_LIMIT = 64;

  private int statements;
  private long nanos;
  private Map<String, Integer> counts;

  /** Adds one statement; returns how often this statement text ran in this request so far. */
  public synchronized int recordStatement(String sanitizedStatement, long nanos) {
    statements++;
    this.nanos += nanos;
    if (counts == null) {
      counts = new HashMap<>();
    }
    Integer n = counts.get(sanitizedStatement);
    if (n == null) {
      if (counts.size() >= DISTINCT_LIMIT) {
        return 1;
      }
      n = 0;
    }
    counts.put(sanitizedStatement, n + 1);
    return n + 1;
  }

  public synchronized int statements() {
    return statements;
  }

  public synchronized long nanos() {
    return nanos;
  }
}
