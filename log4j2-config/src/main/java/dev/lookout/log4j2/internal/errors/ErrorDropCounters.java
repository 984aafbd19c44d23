package dev.lookout.log4j2.internal.errors;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Error events that never reached the tracker's endpoint, by reason: the Sentry SDK's own discard
 * reasons ({@code queue_overflow}, {@code network_error}, {@code sample_rate}, …, a fixed set) and
 * Lookout's {@code request_limit}. Internal.
 */
final class ErrorDropCounters {

  static final String REQUEST_LIMIT = "request_limit";
  /** The SDK's reasons are an enum; the cap only guards against a future SDK inventing many. */
  private static final int MAX_REASONS = 32;

  private static final ConcurrentHashMap<String, LongAdder> COUNTS = new ConcurrentHashMap<>();

  private ErrorDropCounters() {}

  static void count(String reason, long n) {
    LongAdder a = COUNTS.get(reason);
    if (a == null) {
      if (COUNTS.size() >= MAX_REASONS) {
        reason = "other";
      }
      a = COUNTS.computeIfAbsent(reason, k -> new LongAdder());
    }
    a.add(n);
  }

  static Map<String, Long> snapshot() {
    Map<String, Long> out = new TreeMap<>();
    COUNTS.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }
}
