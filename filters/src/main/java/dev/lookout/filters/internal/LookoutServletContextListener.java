package dev.lookout.filters.internal;

import dev.lookout.filters.internal.config.LookoutSettings;
import dev.lookout.filters.internal.config.Settings;
import dev.lookout.filters.internal.health.HealthServlet;
import dev.lookout.filters.internal.metrics.MetricsServlet;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import java.util.EnumSet;
import java.util.Set;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Registers Lookout in a web application: declared by Lookout's {@code web-fragment.xml}, it reads
 * the settings, adds the filter before all others and the metrics and health servlets at their
 * configured paths, and releases everything on undeploy. Internal.
 */
public final class LookoutServletContextListener implements ServletContextListener {

  static final String FILTER_NAME = "lookout";
  static final String METRICS_SERVLET_NAME = "lookout-metrics";
  static final String HEALTH_SERVLET_NAME = "lookout-health";

  private static final Logger LOG = LogManager.getLogger("lookout");

  private LookoutRuntime runtime;

  @Override
  public void contextInitialized(ServletContextEvent event) {
    ServletContext context = event.getServletContext();
    // Read once; a bad setting throws here and fails the deployment, naming the setting.
    LookoutSettings settings = LookoutRuntime.loadSettings(context);
    if (!settings.enabled) {
      LOG.info("Lookout is switched off for {} (lookout.enabled=false)", context.getContextPath());
      return;
    }
    runtime = LookoutRuntime.create(context, settings);

    FilterRegistration.Dynamic filter = context.addFilter(FILTER_NAME, new LookoutFilter(runtime));
    if (filter == null) {
      LOG.warn(
          "Lookout: a filter named '{}' is already declared; leaving it as declared (it must be"
              + " mapped to /* for REQUEST and ASYNC, first in the chain)",
          FILTER_NAME);
    } else {
      filter.setAsyncSupported(true);
      // isMatchAfter=false: before every filter declared in web.xml and other fragments
      filter.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC), false, "/*");
    }

    if (!settings.metricsPath.isEmpty()) {
      addServlet(
          context,
          METRICS_SERVLET_NAME,
          new MetricsServlet(runtime.registry(), settings.jvmMetrics, runtime.exposure()),
          Settings.METRICS_PATH.name(),
          settings.metricsPath);
    }
    if (!settings.healthPath.isEmpty()) {
      addServlet(
          context,
          HEALTH_SERVLET_NAME,
          new HealthServlet(runtime.healthEvaluator(), runtime.exposure()),
          Settings.HEALTH_PATH.name(),
          settings.healthPath,
          settings.healthPath + "/*");
    }
    LOG.info(
        "Lookout observes {} (service={}, version={}, environment={}): metrics at {}, health at {}",
        context.getContextPath().isEmpty() ? "/" : context.getContextPath(),
        runtime.service().name(),
        runtime.service().version(),
        runtime.service().environment(),
        settings.metricsPath.isEmpty() ? "(off)" : settings.metricsPath,
        settings.healthPath.isEmpty() ? "(off)" : settings.healthPath);
  }

  private static void addServlet(
      ServletContext context, String name, jakarta.servlet.Servlet servlet, String pathSetting, String... patterns) {
    ServletRegistration.Dynamic registration = context.addServlet(name, servlet);
    if (registration == null) {
      LOG.warn(
          "Lookout: a servlet named '{}' is already declared; Lookout's endpoint is not added (set {} to"
              + " serve it at another path, or rename that servlet)",
          name,
          pathSetting);
      return;
    }
    registration.setAsyncSupported(true);
    Set<String> conflicts = registration.addMapping(patterns);
    if (!conflicts.isEmpty()) {
      // the application's servlet answers there, without Lookout's exposure rules
      LOG.warn(
          "Lookout: the application maps its own servlet at {}, which shadows Lookout's {}; move"
              + " Lookout's endpoint with {} (or the application's servlet)",
          conflicts,
          name,
          pathSetting);
    }
  }

  @Override
  public void contextDestroyed(ServletContextEvent event) {
    if (runtime != null) {
      runtime.close(event.getServletContext());
      runtime = null;
    }
  }
}
