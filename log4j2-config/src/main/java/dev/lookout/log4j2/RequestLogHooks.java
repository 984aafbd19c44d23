package dev.lookout.log4j2;

import dev.lookout.log4j2.internal.DropCounters;
import dev.lookout.log4j2.internal.LogSettings;
import dev.lookout.log4j2.internal.RequestState;
import dev.lookout.log4j2.internal.errors.ErrorTracking;
import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.status.StatusLogger;

/**
 * The seam through which {@code lookout-filters} tells this module about a web application and
 * its requests (see {@code docs/contracts.md}); this module has no dependency on the servlet
 * modules, which call these methods by name. Safe to call whatever the Log4j2 configuration:
 * without a {@link LookoutSamplingFilter} the calls keep no buffer; they never throw.
 */
public final class RequestLogHooks {

  private static volatile String[] service = new String[3];

  private RequestLogHooks() {}

  // ---- the web application --------------------------------------------------------------------

  /** Every {@code lookout.log.*} setting as lookout-filters resolved it from all its sources. */
  public static void settingsLoaded(Map<String, String> settings) {
    try {
      LogSettings.handOver(settings);
    } catch (RuntimeException e) {
      StatusLogger.getLogger().warn("Lookout settings hook failed", e);
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

  /**
   * The web application is being undeployed: stop this module's own threads (the sampling summary,
   * the error tracker), so that nothing of it outlives the deployment.
   */
  public static void webappStopped() {
    try {
      LookoutSamplingFilter f = LookoutSamplingFilter.current();
      if (f != null) {
        f.stopSummary();
      }
      ErrorTracking.webappStopped();
      LogSettings.forgetHandOver();
    } catch (RuntimeException | LinkageError e) {
      StatusLogger.getLogger().warn("Lookout webapp-stopped hook failed", e);
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

  /** Error events that never reached the error tracker's endpoint: reason → count (monotonic). */
  public static Map<String, Long> errorEventDropCounts() {
    try {
      return ErrorTracking.droppedEventCounts();
    } catch (RuntimeException | LinkageError e) {
      return Map.of();
    }
  }

  /**
   * Why this module's configuration cannot run as set (a bad DSN or {@code lookout.errors.*}
   * value, naming it), or null; lookout-filters fails the deployment with it. Configures Log4j2
   * first if nothing did yet.
   */
  public static String startupProblem() {
    try {
      org.apache.logging.log4j.LogManager.getContext(false);
      return ErrorTracking.startupProblem();
    } catch (RuntimeException | LinkageError e) {
      StatusLogger.getLogger().warn("Lookout startup-check hook failed", e);
      return null;
    }
  }

  // ---- one request ----------------------------------------------------------------------------

  /**
   * A request starts (on its thread, with its log context set).
   *
   * @param samplingKey what its log sample is decided by: the trace ID, else the request ID
   * @param keepAll keep every event: forced logging, or a sampled trace that is exported
   * @return the request's state, handed back to the calls below
   */
  public static Object requestStarted(String requestId, String samplingKey, boolean keepAll) {
    try {
      LookoutSamplingFilter f = LookoutSamplingFilter.current();
      RequestState state =
          f != null ? f.newRequest(requestId, samplingKey, keepAll) : RequestState.unsampled(requestId);
      state.errorState = ErrorTracking.start(requestId);
      return state;
    } catch (RuntimeException | LinkageError e) {
      StatusLogger.getLogger().warn("Lookout request-start hook failed", e);
      return null;
    }
  }

  /** This thread carries the request now; returns what to hand to {@link #requestSuspended}. */
  public static Object requestResumed(Object state) {
    if (!(state instanceof RequestState s)) {
      return null;
    }
    try {
      RequestState previous = RequestState.enter(s);
      Object error = s.errorState == null ? null : ErrorTracking.resume(s.errorState);
      return previous == null && error == null ? s : new Resumed(previous, error);
    } catch (RuntimeException | LinkageError e) {
      StatusLogger.getLogger().warn("Lookout request-resume hook failed", e);
      return null;
    }
  }

  /** The thread lets the request go (token from {@link #requestResumed}). */
  public static void requestSuspended(Object token) {
    try {
      if (token instanceof Resumed r) {
        if (r.error != null) {
          ErrorTracking.suspend(r.error);
        }
        RequestState.restore(r.previous);
      } else if (token != null) {
        RequestState.restore(null);
      }
    } catch (RuntimeException | LinkageError e) {
      StatusLogger.getLogger().warn("Lookout request-suspend hook failed", e);
    }
  }

  /**
   * The request is completing, before its access event: its buffered events are written (a 5xx,
   * or it logged an ERROR) or discarded, and the error tracker may report the failed request.
   */
  public static void requestCompleting(
      Object state, String requestId, int status, String method, String endpoint, Throwable failure, String errorType) {
    if (!(state instanceof RequestState s)) {
      return;
    }
    try {
      s.complete(failure != null ? Math.max(status, 500) : status);
      if (s.errorState != null) {
        ErrorTracking.completing(s.errorState, requestId, status, method, endpoint, failure, errorType);
      }
    } catch (RuntimeException | LinkageError e) {
      StatusLogger.getLogger().warn("Lookout request-completing hook failed", e);
    }
  }

  /**
   * Whether the request's closing INFO event (its access event) is in the sample; when not, it
   * is counted as dropped here, so the caller need not build it.
   */
  public static boolean requestKeepsInfo(Object state) {
    if (!(state instanceof RequestState s)) {
      return true;
    }
    try {
      LookoutSamplingFilter f = LookoutSamplingFilter.current();
      if (f == null || f.keepsInfo(s)) {
        return true;
      }
      DropCounters.count(Level.INFO, DropCounters.SAMPLED);
      return false;
    } catch (RuntimeException | LinkageError e) {
      return true;
    }
  }

  /** The request ended (after its access event): what was held for it is released. */
  public static void requestEnded(Object state) {
    if (!(state instanceof RequestState s)) {
      return;
    }
    try {
      s.discard();
      if (s.errorState != null) {
        ErrorTracking.end(s.errorState);
      }
    } catch (RuntimeException | LinkageError e) {
      StatusLogger.getLogger().warn("Lookout request-end hook failed", e);
    }
  }

  /** What {@link #requestResumed} replaced on the thread. */
  private record Resumed(RequestState previous, Object error) {}
}
