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
 * reachable from the JVM-wide tree after undeploy. JUL levels are left as they are (changing them
 * would change them for every web application).
 */
public final class JulRouting implements AutoCloseable {

  private static final String BRIDGE = "org.apache.logging.log4j.jul.Log4jBridgeHandler";
  private static final String LOG4J_MANAGER = "org.apache.logging.log4j.jul.LogManager";

  private final Logger root;
  private final ScopedHandler handler;

  private JulRouting(Logger root, ScopedHandler handler) {
    this.root = root;
    this.handler = handler;
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
    return new JulRouting(root, handler);
  }

  /** The handler this routing added (for tests and diagnostics). */
  Handler handler() {
    return handler;
  }

  @Override
  public void close() {
    root.removeHandler(handler);
    handler.close();
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
