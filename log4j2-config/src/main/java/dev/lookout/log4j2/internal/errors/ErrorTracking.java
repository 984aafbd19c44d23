package dev.lookout.log4j2.internal.errors;

/**
 * The error tracker's part of each request (a per-request scope, the failed request's event):
 * called by {@code RequestLogHooks} at each step of a request. Without an error tracker
 * configured, every step does nothing. Internal.
 */
public final class ErrorTracking {

  private ErrorTracking() {}

  /** A request starts; returns the tracker's state for it, or null. */
  public static Object start(String requestId) {
    return null;
  }

  /** A thread takes the request up; returns a token for {@link #suspend}, or null. */
  public static Object resume(Object state) {
    return null;
  }

  /** That thread lets the request go. */
  public static void suspend(Object token) {}

  /** The request is completing (before its access event). */
  public static void completing(
      Object state, String requestId, int status, String method, String endpoint, Throwable failure, String errorType) {}

  /** The request ended. */
  public static void end(Object state) {}

  /** The web application is going away. */
  public static void webappStopped() {}
}
