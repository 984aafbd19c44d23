package dev.lookout.log4j2;

import dev.lookout.log4j2.internal.DropCounters;
import dev.lookout.log4j2.internal.RequestBuffers;
import java.util.Map;
import org.apache.logging.log4j.status.StatusLogger;

/**
 * The decoupled seam through which {@code lookout-filters} tells this module about requests (see
 * {@code docs/contracts.md}). Safe to call whatever the Log4j2 configuration: without a
 * {@link LookoutSamplingFilter} the calls do nothing; they never throw.
 */
public final class RequestLogHooks {

  private static volatile String[] service = new String[3];

  private RequestLogHooks() {}

  /** A request ended: write its buffered events if it failed ({@code status >= 500}), else discard them. */
  public static void requestEnded(String requestId, int status) {
    try {
      LookoutSamplingFilter f = LookoutSamplingFilter.current();
      RequestBuffers b = f == null ? null : f.buffers();
      if (b != null && requestId != null) {
        b.requestEnded(requestId, status);
      }
    } catch (RuntimeException e) {
      StatusLogger.getLogger().warn("Lookout request-end hook failed", e);
    }
  }

  /** Dropped events so far: level → reason → count (monotonic). */
  public static Map<String, Map<String, Long>> droppedEventCounts() {
    try {
      return DropCounters.snapshot();
    } catch (RuntimeException e) {
      return Map.of();
    }
  }

  /**
   * The web application is being undeployed: stop this module's own thread (the sampling summary),
   * so that nothing of it outlives the deployment even when nobody stops Log4j's context.
   */
  public static void webappStopped() {
    try {
      LookoutSamplingFilter f = LookoutSamplingFilter.current();
      if (f != null) {
        f.stopSummary();
      }
    } catch (RuntimeException e) {
      StatusLogger.getLogger().warn("Lookout webapp-stopped hook failed", e);
    }
  }

  /** The service the web application runs as, shown in every JSON line's {@code service} object. */
  public static void serviceStarted(String name, String version, String environment) {
    service = new String[] {name, version, environment};
  }

  /** name, version, environment as last announced (entries may be null). */
  public static String[] service() {
    return service;
  }
}
