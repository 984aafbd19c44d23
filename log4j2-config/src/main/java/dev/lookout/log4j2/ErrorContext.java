package dev.lookout.log4j2;

import dev.lookout.log4j2.internal.errors.ErrorTracking;

/**
 * What the application may add to the error events of the current request (see
 * {@code docs/errors.md}). Without error tracking, or outside a request, calls do nothing.
 */
public final class ErrorContext {

  private ErrorContext() {}

  /**
   * Names the user of the current request in its error events, by an opaque id only (never an
   * email or a name: nothing else about the user is sent).
   *
   * @param id the application's user id, or null to clear it
   * @return whether the id was recorded (false outside a request or when error tracking is off)
   */
  public static boolean setUser(String id) {
    try {
      return ErrorTracking.setUser(id);
    } catch (RuntimeException e) {
      return false;
    }
  }
}
