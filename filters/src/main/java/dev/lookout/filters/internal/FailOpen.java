package dev.lookout.filters.internal;

import java.util.concurrent.ConcurrentHashMap;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Reports a failure inside Lookout without ever disturbing the request: logged once per place
 * (with its stack trace), then only counted. Internal.
 */
public final class FailOpen {

  private static final Logger LOG = LogManager.getLogger("lookout");
  private static final ConcurrentHashMap<String, Boolean> REPORTED = new ConcurrentHashMap<>();

  private FailOpen() {}

  public static void report(String where, Throwable t) {
    try {
      if (REPORTED.putIfAbsent(where, Boolean.TRUE) == null) {
        LOG.warn(
            "Lookout failed in {} and carried on without it; the application's request is not affected."
                + " Further failures here are not logged.",
            where,
            t);
      }
    } catch (Throwable ignored) {
      // logging itself failed: nothing more we can safely do
    }
    if (t instanceof VirtualMachineError vme) {
      throw vme; // never swallow OutOfMemoryError and friends
    }
  }
}
