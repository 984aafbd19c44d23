package dev.lookout.filters.internal.access;

import dev.lookout.filters.internal.RequestObservation;
import dev.lookout.filters.internal.pipeline.RequestOutcome;
import dev.lookout.filters.internal.pipeline.RequestSink;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.message.StringMapMessage;

/**
 * Writes the structured access-log events to the logger {@code lookout.access}: {@code
 * request_started} (DEBUG) and, as a request sink, {@code request_completed} (INFO) or {@code
 * request_failed} (ERROR, with the exception). Internal.
 *
 * <p>Only allow-listed facts are logged: no header but {@code User-Agent}, the query with sensitive
 * values masked, every free-text value capped in length.
 */
public final class AccessLog implements RequestSink {

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

  @Override
  public String name() {
    return "writing the access log";
  }

  /**
   * Logs {@code request_completed} at INFO, or {@code request_failed} at ERROR with the exception
   * when the application threw one. The message is built only when it will be written: the logger
   * level allows it and the log module's request-end decision keeps it.
   */
  @Override
  public void requestCompleted(RequestObservation o, RequestOutcome outcome) {
    Throwable failure = outcome.failure();
    if (!o.accessLogged() || !isCompletedEnabled(failure != null) || (failure == null && !o.accessEventKept())) {
      return;
    }
    HttpServletRequest request = o.request();
    StringMapMessage m = new StringMapMessage(12);
    m.with("event", failure == null ? "request_completed" : "request_failed");
    m.with("method", outcome.method());
    m.with("endpoint", outcome.endpoint());
    m.with("path", cap(request.getRequestURI(), MAX_PATH));
    String query = request.getQueryString();
    if (query != null) {
      m.with("query", cap(masker.mask(query), MAX_PATH));
    }
    m.with("status", outcome.status());
    m.with("duration_ms", durationMillis(outcome.durationNanos()));
    if (outcome.dbStatements() > 0) {
      m.with("db_queries", outcome.dbStatements());
      m.with("db_time_ms", durationMillis(outcome.dbNanos()));
    }
    String clientIp = o.clientAddress();
    if (clientIp != null) {
      m.with("client_ip", clientIp);
    }
    String userAgent = request.getHeader("User-Agent");
    if (userAgent != null) {
      m.with("user_agent", cap(userAgent, MAX_TEXT));
    }
    if (outcome.errorType() != null) {
      m.with("error_type", outcome.errorType());
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
