package dev.lookout.filters.internal.access;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.message.StringMapMessage;

/**
 * Writes the structured access-log events to the logger {@code lookout.access}. Internal.
 *
 * <p>Only allow-listed facts are logged: no header but {@code User-Agent}, the query with sensitive
 * values masked, every free-text value capped in length.
 */
public final class AccessLog {

  public static final String LOGGER_NAME = "lookout.access";

  private static final int MAX_PATH = 2048;
  private static final int MAX_TEXT = 512;

  private final Logger logger = LogManager.getLogger(LOGGER_NAME);
  private final QueryMasker masker;

  public AccessLog(QueryMasker masker) {
    this.masker = masker;
  }

  public boolean isStartedEnabled() {
    return logger.isDebugEnabled();
  }

  public boolean isCompletedEnabled(boolean failed) {
    return logger.isEnabled(failed ? Level.ERROR : Level.INFO);
  }

  public void started(String method, String path, String query) {
    StringMapMessage m = new StringMapMessage(4);
    m.with("event", "request_started");
    m.with("method", method);
    m.with("path", cap(path, MAX_PATH));
    if (query != null) {
      m.with("query", cap(masker.mask(query), MAX_PATH));
    }
    logger.debug(m);
  }

  /**
   * Logs {@code request_completed} at INFO, or {@code request_failed} at ERROR with the exception
   * when the application threw one.
   */
  public void completed(
      String method,
      String endpoint,
      String path,
      String query,
      int status,
      long durationNanos,
      String clientIp,
      String userAgent,
      String errorType,
      Throwable failure) {
    StringMapMessage m = new StringMapMessage(10);
    m.with("event", failure == null ? "request_completed" : "request_failed");
    m.with("method", method);
    m.with("endpoint", endpoint);
    m.with("path", cap(path, MAX_PATH));
    if (query != null) {
      m.with("query", cap(masker.mask(query), MAX_PATH));
    }
    m.with("status", status);
    m.with("duration_ms", durationMillis(durationNanos));
    if (clientIp != null) {
      m.with("client_ip", clientIp);
    }
    if (userAgent != null) {
      m.with("user_agent", cap(userAgent, MAX_TEXT));
    }
    if (errorType != null) {
      m.with("error_type", errorType);
    }
    if (failure == null) {
      logger.info(m);
    } else {
      logger.error(m, failure);
    }
  }

  /** Milliseconds, rounded to the microsecond. */
  static double durationMillis(long nanos) {
    return Math.max(0, (nanos + 500) / 1000) / 1000.0;
  }

  private static String cap(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "…";
  }
}
