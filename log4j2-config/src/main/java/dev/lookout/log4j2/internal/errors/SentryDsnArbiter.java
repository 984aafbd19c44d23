package dev.lookout.log4j2.internal.errors;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.logging.log4j.core.config.Node;
import org.apache.logging.log4j.core.config.arbiters.Arbiter;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginBuilderAttribute;
import org.apache.logging.log4j.core.config.plugins.PluginBuilderFactory;
import org.apache.logging.log4j.status.StatusLogger;

/**
 * Keeps its children (the {@code LookoutSentry} appender and its reference) only when error
 * tracking can and should run: {@code enabled} is true, a DSN is configured where the Sentry SDK
 * looks for one ({@code SENTRY_DSN}, the {@code sentry.dsn} system property, {@code dsn} in
 * {@code sentry.properties}) and the SDK is deployed. It reads no Sentry class, so without a DSN
 * nothing of the SDK is loaded. Internal.
 *
 * <pre>{@code
 * <LookoutSentryArbiter enabled="${lookout:errors.enabled}"> ... </LookoutSentryArbiter>
 * }</pre>
 */
@Plugin(name = "LookoutSentryArbiter", category = Node.CATEGORY, elementType = Arbiter.ELEMENT_TYPE, deferChildren = true, printObject = true)
public final class SentryDsnArbiter implements Arbiter {

  private final boolean condition;

  private SentryDsnArbiter(boolean condition) {
    this.condition = condition;
  }

  @Override
  public boolean isCondition() {
    return condition;
  }

  @PluginBuilderFactory
  public static Builder newBuilder() {
    return new Builder();
  }

  /** {@code enabled}: {@code lookout.errors.enabled}. */
  public static final class Builder implements org.apache.logging.log4j.core.util.Builder<SentryDsnArbiter> {
    @PluginBuilderAttribute private String enabled = "true";

    public Builder setEnabled(String enabled) {
      this.enabled = enabled;
      return this;
    }

    @Override
    public SentryDsnArbiter build() {
      String e = enabled == null ? "true" : enabled.trim();
      if (!e.equalsIgnoreCase("true") && !e.equalsIgnoreCase("false")) {
        ErrorTracking.failedToStart("lookout.errors.enabled must be true or false, not '" + enabled + "'");
        return new SentryDsnArbiter(false);
      }
      return new SentryDsnArbiter(Boolean.parseBoolean(e) && dsnConfigured() && sdkPresent());
    }
  }

  static ClassLoader loader() {
    ClassLoader l = Thread.currentThread().getContextClassLoader();
    return l != null ? l : SentryDsnArbiter.class.getClassLoader();
  }

  static boolean sdkPresent() {
    ClassLoader own = SentryDsnArbiter.class.getClassLoader();
    boolean present =
        own.getResource("io/sentry/Sentry.class") != null
            && own.getResource("io/sentry/log4j2/SentryAppender.class") != null;
    if (!present) {
      StatusLogger.getLogger()
          .warn("Lookout error tracking is off: a Sentry DSN is set but io.sentry:sentry-log4j2 is not deployed with the application");
    }
    return present;
  }

  /** Whether a non-empty DSN is configured where the SDK reads one (an empty one disables the SDK). */
  static boolean dsnConfigured() {
    String dsn = System.getenv("SENTRY_DSN");
    if (dsn == null) {
      dsn = System.getProperty("sentry.dsn");
    }
    if (dsn == null) {
      dsn = fromProperties();
    }
    return dsn != null && !dsn.isBlank();
  }

  private static String fromProperties() {
    String file = System.getProperty("sentry.properties.file");
    if (file == null) {
      file = System.getenv("SENTRY_PROPERTIES_FILE");
    }
    Properties p = new Properties();
    try {
      if (file != null && Files.isRegularFile(Path.of(file))) {
        try (InputStream in = Files.newInputStream(Path.of(file))) {
          p.load(in);
          if (p.getProperty("dsn") != null) {
            return p.getProperty("dsn");
          }
        }
      }
      try (InputStream in = loader().getResourceAsStream("sentry.properties")) {
        if (in != null) {
          p.load(in);
          if (p.getProperty("dsn") != null) {
            return p.getProperty("dsn");
          }
        }
      }
      Path local = Path.of("sentry.properties");
      if (Files.isRegularFile(local)) {
        try (InputStream in = Files.newInputStream(local)) {
          p.load(in);
          return p.getProperty("dsn");
        }
      }
    } catch (IOException | RuntimeException e) {
      StatusLogger.getLogger().warn("Lookout error tracking: could not read sentry.properties", e);
    }
    return null;
  }
}
