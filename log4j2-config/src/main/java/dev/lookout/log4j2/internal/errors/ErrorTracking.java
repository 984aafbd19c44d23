package dev.lookout.log4j2.internal.errors;

import java.util.Map;
import org.apache.logging.log4j.status.StatusLogger;

/**
 * The request side of error tracking, called through {@code RequestLogHooks}; a few field reads
 * when error tracking is off, and never throws. Internal.
 *
 * <p>Error tracking is on when the ready configuration's {@code LookoutSentry} appender started
 * (only with a DSN and the Sentry SDK deployed). Each request gets a {@link RequestErrors} that
 * holds its breadcrumbs and its error events until the request's outcome is known; it is
 * current on a thread between {@link #start}/{@link #resume} and {@link #end}/{@link #suspend}.
 */
public final class ErrorTracking {

  private static final ThreadLocal<RequestErrors> CURRENT = new ThreadLocal<>();
  /** Token of a {@link #resume} on a thread that had no request. */
  private static final Object NONE = new Object();

  private static volatile Tracker tracker;
  private static volatile String startupProblem;

  private ErrorTracking() {}

  static void install(Tracker t) {
    tracker = t;
    startupProblem = null;
  }

  static void uninstall(Tracker t) {
    if (tracker == t) {
      tracker = null;
    }
  }

  /** A setting or DSN that stopped error tracking from starting; the deployment should fail. */
  static void failedToStart(String problem) {
    startupProblem = problem;
    StatusLogger.getLogger().error("Lookout error tracking: {}", problem);
  }

  /** Why error tracking could not start (naming the setting), or null. */
  public static String startupProblem() {
    return startupProblem;
  }

  public static boolean isOn() {
    return tracker != null;
  }

  static boolean isCurrent(Tracker t) {
    return tracker == t;
  }

  /** Sets the user id of the request on this thread; false outside a request or when off. */
  public static boolean setUser(String id) {
    RequestErrors r = current();
    if (r == null) {
      return false;
    }
    r.setUserId(id);
    return true;
  }

  /** The request on this thread, or null (not in a request, or error tracking off). */
  static RequestErrors current() {
    RequestErrors r = CURRENT.get();
    return r == null || r.isEnded() ? null : r;
  }

  /**
   * A request starts; returns its state, null when off. It becomes current on a thread by
   * {@link #resume} (lookout-filters resumes the request on its own thread too).
   */
  public static Object start(String requestId) {
    if (tracker == null || requestId == null) {
      return null;
    }
    return new RequestErrors(requestId);
  }

  /** Another thread takes the request up; returns the token for {@link #suspend}. */
  public static Object resume(Object state) {
    if (!(state instanceof RequestErrors r)) {
      return null;
    }
    RequestErrors previous = CURRENT.get();
    CURRENT.set(r);
    return previous == null ? NONE : previous;
  }

  /** The thread lets the request go; restores what it had before {@link #resume}. */
  public static void suspend(Object token) {
    if (token == null) {
      return;
    }
    if (token instanceof RequestErrors previous) {
      CURRENT.set(previous);
    } else {
      CURRENT.remove();
    }
  }

  /** The request's outcome is known (before its access event): a failed request's event is sent. */
  public static void completing(
      Object state, String requestId, int status, String method, String endpoint, Throwable failure, String errorType) {
    Tracker t = tracker;
    if (t == null || !(state instanceof RequestErrors r)) {
      return;
    }
    try {
      t.completing(r, status, method, endpoint, failure, errorType);
    } catch (Throwable e) {
      report(e);
    }
  }

  /** The request is over (after its access event): its state is released. */
  public static void end(Object state) {
    if (!(state instanceof RequestErrors r)) {
      return;
    }
    try {
      Tracker t = tracker;
      if (t != null && !r.isCompleted()) {
        t.abandoned(r);
      }
    } catch (Throwable e) {
      report(e);
    } finally {
      r.end();
      if (CURRENT.get() == r) {
        CURRENT.remove();
      }
    }
  }

  /** The web application is going away: close the SDK (its threads stop). */
  public static void webappStopped() {
    Tracker t = tracker;
    tracker = null;
    if (t != null) {
      try {
        t.close();
      } catch (Throwable e) {
        report(e);
      }
    }
  }

  /** Dropped error events: reason → count (monotonic); empty when off. */
  public static Map<String, Long> droppedEventCounts() {
    return ErrorDropCounters.snapshot();
  }

  static void report(Throwable e) {
    StatusLogger.getLogger().warn("Lookout error tracking failed (the request is not affected)", e);
  }
}
