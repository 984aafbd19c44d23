package dev.lookout.log4j2.internal.bridge;

import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.apache.logging.log4j.jul.Log4jBridgeHandler;
import org.apache.logging.log4j.status.StatusLogger;

/**
 * Routes the {@code java.util.logging} records of one web application into its Log4j2 context,
 * through log4j-jul's {@link Log4jBridgeHandler}. Internal.
 *
 * <p>JUL is one JVM-wide tree in Jetty and WildFly (per class loader in Tomcat's JULI), so the
 * handler goes on the root logger but only takes records logged on a thread whose context class
 * loader is this web application's (or a child of it): other web applications and the container
 * keep their own routing. {@link #close()} removes it, so nothing of the web application stays
 * reachable from the JVM-wide tree after undeploy. JUL levels are left as they are, except those of
 * the loggers the web application's Log4j2 configuration names below INFO ({@link JulLevels}),
 * given back at undeploy.
 */
public final class JulRouting implements AutoCloseable {

  private static final String BRIDGE = "org.apache.logging.log4j.jul.Log4jBridgeHandler";
  private static final String LOG4J_MANAGER = "org.apache.logging.log4j.jul.LogManager";

  private final Logger root;
  private final ScopedHandler handler;
  private final JulLevels levels; // null: none set

  private JulRouting(Logger root, ScopedHandler handler, JulLevels levels) {
    this.root = root;
    this.handler = handler;
    this.levels = levels;
  }

  /**
   * Installs the routing for the web application whose class loader is {@code webapp}; null when
   * JUL already reaches Log4j2 (log4j-jul's LogManager, or a bridge handler configured by hand).
   */
  public static JulRouting install(ClassLoader webapp) {
    if (LOG4J_MANAGER.equals(LogManager.getLogManager().getClass().getName())) {
      return null;
    }
    Logger root = Logger.getLogger("");
    for (Handler h : root.getHandlers()) {
      if (BRIDGE.equals(h.getClass().getName()) || h instanceof ScopedHandler) {
        return null;
      }
    }
    ScopedHandler handler = new ScopedHandler(webapp, new Log4jBridgeHandler(false, null, false));
    root.addHandler(handler);
    return new JulRouting(root, handler, followLevels(webapp));
  }

  private static JulLevels followLevels(ClassLoader webapp) {
    try {
      org.apache.logging.log4j.spi.LoggerContext context = org.apache.logging.log4j.LogManager.getContext(webapp, false);
      return context instanceof org.apache.logging.log4j.core.LoggerContext core ? JulLevels.follow(core, webapp) : null;
    } catch (RuntimeException | LinkageError e) {
      // the records still flow at JUL's own levels
      StatusLogger.getLogger().warn("Lookout: java.util.logging levels not set from the Log4j2 configuration", e);
      return null;
    }
  }

  /** The handler this routing added (for tests and diagnostics). */
  Handler handler() {
    return handler;
  }

  @Override
  public void close() {
    root.removeHandler(handler);
    handler.close();
    if (levels != null) {
      levels.close();
    }
  }

  /** Publishes only the records of one web application's threads. */
  static final class ScopedHandler extends Handler {
    private volatile ClassLoader owner;
    private final Log4jBridgeHandler bridge;

    ScopedHandler(ClassLoader owner, Log4jBridgeHandler bridge) {
      this.owner = owner;
      this.bridge = bridge;
    }

    @Override
    public void publish(LogRecord record) {
      ClassLoader own = owner;
      if (own == null || record == null || !isLoggable(record)) {
        return;
      }
      for (ClassLoader c = Thread.currentThread().getContextClassLoader(); c != null; c = c.getParent()) {
        if (c == own) {
          try {
            bridge.publish(record);
          } catch (RuntimeException | LinkageError e) {
            // fail-open: a broken bridge must never break the code that logged
            StatusLogger.getLogger().warn("Lookout: a java.util.logging record could not be routed", e);
          }
          return;
        }
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
      owner = null;
      bridge.close();
    }
  }
}
