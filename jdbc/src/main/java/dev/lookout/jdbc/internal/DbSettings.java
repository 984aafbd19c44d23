package dev.lookout.jdbc.internal;

import dev.lookout.filters.internal.config.LookoutConfig;
import dev.lookout.filters.internal.config.Settings;

/**
 * The {@code lookout.db.*} settings, read and checked once per web application. Internal.
 *
 * @param slowNanos statements slower than this log {@code slow_query}; 0: off
 * @param repeatedThreshold a statement run more often than this in one request logs {@code db_repeated_query}; 0: off
 */
record DbSettings(
    boolean enabled,
    long slowNanos,
    int slowLogPerMinute,
    int repeatedThreshold,
    boolean captureParameters,
    int tableLimit,
    boolean transactionSpans) {

  static DbSettings from(LookoutConfig config) {
    return new DbSettings(
        config.getBoolean(Settings.DB_ENABLED),
        config.getDuration(Settings.DB_SLOW_THRESHOLD).toNanos(),
        config.getInt(Settings.DB_SLOW_LOG_PER_MINUTE, 0, 100_000),
        config.getInt(Settings.DB_REPEATED_QUERY_THRESHOLD, 0, 1_000_000),
        config.getBoolean(Settings.DB_CAPTURE_PARAMETERS),
        config.getInt(Settings.DB_TABLE_LIMIT, 1, 10_000),
        config.getBoolean(Settings.DB_TRANSACTION_SPANS));
  }
}
