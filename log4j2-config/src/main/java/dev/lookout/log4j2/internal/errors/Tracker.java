package dev.lookout.log4j2.internal.errors;

/**
 * What {@link ErrorTracking} needs from an error tracker, in types of this module only, so that
 * {@link ErrorTracking} links no Sentry class when Sentry is absent or off. Internal.
 */
interface Tracker {

  /** The request failed ({@code status >= 500} or {@code failure}): send its one event now. */
  void completing(RequestErrors request, int status, String method, String endpoint, Throwable failure, String errorType);

  /** The request ended without {@link #completing}: send what it held. */
  void abandoned(RequestErrors request);

  /** Closes the SDK: its threads stop, queued events are given a short time to leave. */
  void close();
}
