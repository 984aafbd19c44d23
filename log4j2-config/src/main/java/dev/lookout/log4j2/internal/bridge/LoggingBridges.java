package dev.lookout.log4j2.internal.bridge;

import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.util.Set;
import org.apache.logging.log4j.status.StatusLogger;

/**
 * Installs, before any listener or servlet of the web application starts, the routing of
 * {@code java.util.logging} into Log4j2, and removes it when the web application stops. SLF4J and
 * Commons Logging need nothing at run time: their bindings are found on the class path. Internal.
 */
public final class LoggingBridges implements ServletContainerInitializer {

  @Override
  public void onStartup(Set<Class<?>> classes, ServletContext context) {
    JulRouting jul;
    try {
      ClassLoader loader = context.getClassLoader();
      jul = JulRouting.install(loader != null ? loader : Thread.currentThread().getContextClassLoader());
    } catch (RuntimeException | LinkageError e) {
      StatusLogger.getLogger().warn("Lookout: java.util.logging is not routed into Log4j2", e);
      return;
    }
    if (jul != null) {
      context.addListener(new Uninstall(jul));
    }
  }

  /** Removes the routing at undeploy. */
  static final class Uninstall implements ServletContextListener {
    private final JulRouting jul;

    Uninstall(JulRouting jul) {
      this.jul = jul;
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
      jul.close();
    }
  }
}
