package dev.lookout.log4j2.internal.errors;

import org.apache.logging.log4j.Level;

/**
 * The error-tracking settings, parsed and checked once when the configuration starts. Internal.
 *
 * @param eventLevel {@code lookout.errors.event-level}: the least severe level that becomes an event
 * @param breadcrumbLevel {@code lookout.errors.breadcrumb-level}: the least severe level kept as a breadcrumb
 * @param sampleRate {@code lookout.errors.sample-rate}: share of events sent
 * @param queueSize {@code lookout.errors.queue-size}: events waiting to be sent; more are dropped
 */
record ErrorSettings(Level eventLevel, Level breadcrumbLevel, double sampleRate, int queueSize) {

  /** Parses the raw values; a bad one throws naming its setting. */
  static ErrorSettings parse(String eventLevel, String breadcrumbLevel, String sampleRate, String queueSize) {
    Level event = level("lookout.errors.event-level", eventLevel, "ERROR");
    Level crumb = level("lookout.errors.breadcrumb-level", breadcrumbLevel, "INFO");
    if (!event.isMoreSpecificThan(Level.WARN)) {
      throw new IllegalArgumentException(
          "lookout.errors.event-level must be WARN, ERROR or FATAL, not '" + eventLevel + "'");
    }
    double rate;
    try {
      rate = Double.parseDouble(blankTo(sampleRate, "1.0"));
    } catch (NumberFormatException e) {
      rate = Double.NaN;
    }
    if (!(rate > 0 && rate <= 1)) {
      throw new IllegalArgumentException(
          "lookout.errors.sample-rate must be a number in (0, 1], not '" + sampleRate + "'");
    }
    int queue;
    try {
      queue = Integer.parseInt(blankTo(queueSize, "100"));
    } catch (NumberFormatException e) {
      queue = -1;
    }
    if (queue < 1 || queue > 10_000) {
      throw new IllegalArgumentException(
          "lookout.errors.queue-size must be an integer from 1 to 10000, not '" + queueSize + "'");
    }
    return new ErrorSettings(event, crumb, rate, queue);
  }

  private static Level level(String name, String raw, String fallback) {
    Level l = Level.toLevel(blankTo(raw, fallback), null);
    if (l == null || l == Level.OFF || l == Level.ALL) {
      throw new IllegalArgumentException(
          name + " must be a Log4j level (TRACE, DEBUG, INFO, WARN, ERROR, FATAL), not '" + raw + "'");
    }
    return l;
  }

  private static String blankTo(String s, String fallback) {
    return s == null || s.isBlank() ? fallback : s.trim();
  }
}
