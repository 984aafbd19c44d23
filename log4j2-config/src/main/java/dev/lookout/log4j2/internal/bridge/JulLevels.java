package dev.lookout.log4j2.internal.bridge;

import java.beans.PropertyChangeEvent;
import java.beans.PropertyChangeListener;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.jul.LevelTranslator;
import org.apache.logging.log4j.status.StatusLogger;

/**
 * Lowers the JUL level of the loggers that the web application's Log4j2 configuration names at a
 * level more verbose than INFO, so that their {@code FINE} and finer records reach the bridge; puts
 * them back at undeploy. Internal.
 *
 * <p>Only loggers named in the configuration, never the JUL root, and only those that have no JUL
 * level of their own (set by the container's logging configuration or another web application):
 * the rest of the JVM-wide tree keeps its levels. Log4j's own {@code propagateLevels} is not used
 * because it sets every configured logger, the root included, and clears every other JUL
 * logger's level. Re-applied when the configuration is rebuilt. Only where JUL is the JDK's own
 * (Jetty, embedded containers) or Tomcat's JULI (one tree per web application); another log
 * manager (JBoss Log Manager in WildFly) owns its levels.
 */
final class JulLevels implements PropertyChangeListener {

  private static final String JDK_MANAGER = "java.util.logging.LogManager";
  private static final String JULI_MANAGER = "org.apache.juli.ClassLoaderLogManager";

  private final LoggerContext context;
  private final ClassLoader webapp; // JULI picks the tree by the thread's context class loader
  // Strong references: JUL holds its loggers weakly, and a collected logger would lose its level.
  private final List<Logger> lowered = new ArrayList<>();
  private final List<Level> levels = new ArrayList<>();

  private JulLevels(LoggerContext context, ClassLoader webapp) {
    this.context = context;
    this.webapp = webapp;
  }

  /** Applies the levels of this context's configuration and follows its changes; null where JUL is not ours to set. */
  static JulLevels follow(LoggerContext context, ClassLoader webapp) {
    String manager = LogManager.getLogManager().getClass().getName();
    if (context == null || !(JDK_MANAGER.equals(manager) || JULI_MANAGER.equals(manager))) {
      return null;
    }
    JulLevels levels = new JulLevels(context, webapp);
    context.addPropertyChangeListener(levels);
    levels.apply(context.getConfiguration());
    return levels;
  }

  @Override
  public void propertyChange(PropertyChangeEvent event) {
    if (LoggerContext.PROPERTY_CONFIG.equals(event.getPropertyName()) && event.getNewValue() instanceof Configuration c) {
      try {
        apply(c);
      } catch (RuntimeException | LinkageError e) {
        StatusLogger.getLogger().warn("Lookout: java.util.logging levels not set from the new configuration", e);
      }
    }
  }

  private synchronized void apply(Configuration config) {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(webapp);
    try {
      restore();
      if (config != null) {
        lower(config);
      }
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  private void lower(Configuration config) {
    for (LoggerConfig logger : config.getLoggers().values()) {
      String name = logger.getName();
      org.apache.logging.log4j.Level level = logger.getLevel();
      if (name == null || name.isEmpty() || level == null || level.isMoreSpecificThan(org.apache.logging.log4j.Level.INFO)) {
        continue; // the root, or INFO and quieter: JUL's default already lets those records through
      }
      Level wanted = LevelTranslator.toJavaLevel(level);
      Logger jul = Logger.getLogger(name);
      if (wanted == null || jul.getLevel() != null || effectiveLevel(jul) <= wanted.intValue()) {
        continue; // its own level is someone else's choice, or it is verbose enough already
      }
      jul.setLevel(wanted);
      lowered.add(jul);
      levels.add(wanted);
    }
    if (!lowered.isEmpty()) {
      StatusLogger.getLogger().debug("Lookout: java.util.logging levels lowered for {} loggers", lowered.size());
    }
  }

  private static int effectiveLevel(Logger jul) {
    for (Logger l = jul; l != null; l = l.getParent()) {
      Level level = l.getLevel();
      if (level != null) {
        return level.intValue();
      }
    }
    return Level.INFO.intValue();
  }

  /** Stops following the configuration and gives back the levels set (those nobody changed since). */
  synchronized void close() {
    context.removePropertyChangeListener(this);
    apply(null);
  }

  private void restore() {
    for (int i = 0; i < lowered.size(); i++) {
      Logger jul = lowered.get(i);
      if (levels.get(i).equals(jul.getLevel())) {
        jul.setLevel(null);
      }
    }
    lowered.clear();
    levels.clear();
  }
}
