package dev.lookout.log4j2.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.spi.LoggerContext;
import org.apache.logging.log4j.status.StatusLogger;

/**
 * The {@code lookout.*} settings as this module reads them, by the rule every Lookout module
 * follows: context parameter, overridden by the system property of the same name, overridden by
 * the environment variable ({@code lookout.log.format} ↔ {@code LOOKOUT_LOG_FORMAT}).
 *
 * <p>Log4j2 is often configured before the web application starts, when only system properties
 * and the environment are known. When {@code lookout-filters} starts, it hands over every value
 * resolved from all three sources; if one differs from what the configuration was built with, the
 * configuration is rebuilt, so a context parameter is honoured too, never accepted and ignored.
 * Internal.
 */
public final class LogSettings {

  /** The defaults of the settings this module reads (a test checks them against lookout-filters'). */
  public static final Map<String, String> DEFAULTS =
      Map.ofEntries(
          Map.entry("lookout.log.format", "json"),
          Map.entry("lookout.log.level", "INFO"),
          Map.entry("lookout.log.sampling.warn-rate", "0.5"),
          Map.entry("lookout.log.sampling.info-rate", "0.1"),
          Map.entry("lookout.log.sampling.debug-rate", "0"),
          Map.entry("lookout.log.sampling.info-per-second", "100"),
          Map.entry("lookout.log.sampling.duplicate-window-seconds", "60"),
          Map.entry("lookout.log.buffer.request-bytes", "65536"),
          Map.entry("lookout.log.buffer.total-bytes", "16777216"),
          Map.entry("lookout.log.summary-interval-seconds", "60"),
          Map.entry("lookout.log.redact-keys", Redactor.DEFAULT_KEYS),
          Map.entry("lookout.log.redact-patterns", "false"),
          Map.entry("lookout.access-log.masked-parameters", "password,passwd,pwd,secret,token,apikey,api_key,key,auth,authorization,session,signature,sig,credential,code"),
          Map.entry("lookout.errors.enabled", "true"),
          Map.entry("lookout.errors.event-level", "ERROR"),
          Map.entry("lookout.errors.breadcrumb-level", "INFO"),
          Map.entry("lookout.errors.sample-rate", "1.0"),
          Map.entry("lookout.errors.queue-size", "100"));

  /** Names read before lookout-filters existed, kept working with a warning. */
  private static final Map<String, String> DEPRECATED_ENV =
      Map.of("lookout.log.format", "LOG_FORMAT", "lookout.log.level", "LOG_LEVEL");

  private static volatile Map<String, String> handedOver = Map.of();
  /** What each setting resolved to when last read, to know whether a hand-over changes anything. */
  private static final Map<String, String> used = new ConcurrentHashMap<>();

  private LogSettings() {}

  /** A setting's value, or its default ({@link #DEFAULTS}, else null). */
  public static String get(String name) {
    String v = resolve(name);
    if (v == null) {
      v = DEFAULTS.get(name);
    }
    if (v != null) {
      used.put(name, v);
    }
    return v;
  }

  private static String resolve(String name) {
    String v = handedOver.get(name);
    if (v != null) {
      return v.trim();
    }
    v = System.getenv(environmentVariableOf(name));
    if (v == null) {
      v = System.getProperty(name);
    }
    if (v == null) {
      String old = DEPRECATED_ENV.get(name);
      if (old != null && (v = System.getenv(old)) != null) {
        StatusLogger.getLogger()
            .warn("Lookout: {} is deprecated; set {} instead", old, environmentVariableOf(name));
      }
    }
    return v == null || v.isBlank() ? null : v.trim();
  }

  /**
   * lookout-filters resolved the settings from all sources: from now on they are the answer. If
   * the Log4j2 configuration was built from other values, it is rebuilt.
   */
  public static void handOver(Map<String, String> values) {
    handedOver = Map.copyOf(values);
    boolean changed = false;
    for (Map.Entry<String, String> e : used.entrySet()) {
      String now = get(e.getKey());
      if (!now.equals(e.getValue())) {
        changed = true;
      }
    }
    if (changed) {
      try {
        LoggerContext context = LogManager.getContext(false);
        if (context instanceof org.apache.logging.log4j.core.LoggerContext core) {
          core.reconfigure();
        }
      } catch (RuntimeException | LinkageError e) {
        StatusLogger.getLogger().warn("Lookout could not apply the web application's log settings", e);
      }
    }
  }

  /** The web application that handed its settings over is gone: back to properties and environment. */
  public static void forgetHandOver() {
    handedOver = Map.of();
  }

  static String environmentVariableOf(String name) {
    StringBuilder sb = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      sb.append(c == '.' || c == '-' ? '_' : Character.toUpperCase(c));
    }
    return sb.toString();
  }
}
