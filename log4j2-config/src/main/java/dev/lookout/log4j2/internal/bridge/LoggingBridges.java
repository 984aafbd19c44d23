package dev.lookout.log4j2.internal.bridge;

import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import java.util.Set;
import org.apache.logging.log4j.status.StatusLogger;

/**
 * Installs the routing of {@code java.util.logging} into the web application's Log4j2, and removes
 * it when the web application stops. As a {@code ServletContainerInitializer} it runs before any
 * listener or servlet; containers that run no initializers (an embedded Jetty without annotation
 * support) still start the same class as the listener of this module's {@code web-fragment.xml}.
 * The second of the two finds the routing installed and does nothing. SLF4J and Commons Logging
 * need nothing at run time: their bindings are found on the class path. Internal.
 */
public final class LoggingBridges implements ServletContainerInitializer, ServletContextListener {

  private JulRouting installed; // by this instance, as the fragment's listener

  @Override
  public void onStartup(Set<Class<?>> classes, ServletContext context) {
    JulRouting jul = install(context);
    if (jul != null) {
      context.addListener(new Uninstall(jul));
    }
  }

  @Override
  public void contextInitialized(ServletContextEvent event) {
    installed = install(event.getServletContext());
  }

  @Override
  public void contextDestroyed(ServletContextEvent event) {
    if (installed != null) {
      installed.close();
      installed = null;
    }
  }

  private static JulRouting install(ServletContext context) {
    try {
      ClassLoader loader = context.getClassLoader();
      return JulRouting.install(loader != null ? loader : Thread.currentThread().getContextClassLoader());
    } catch (RuntimeException | LinkageError e) {
      StatusLogger.getLogger().warn("Lookout: java.util.logging is not routed into Log4j2", e);
      return null;
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
