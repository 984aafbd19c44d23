package dev.lookout.jdbc.internal;

import dev.lookout.filters.internal.LookoutRuntime;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

/**
 * Reads the {@code lookout.db.*} settings at deployment, after Lookout's runtime started, so that a
 * bad value stops the deployment naming the setting. Declared by lookout-jdbc's
 * {@code web-fragment.xml}. Internal.
 */
public final class DbStartupListener implements ServletContextListener {

  @Override
  public void contextInitialized(ServletContextEvent event) {
    LookoutRuntime runtime = LookoutRuntime.current();
    if (runtime != null) {
      DbTelemetry.bind(runtime);
    }
  }
}
