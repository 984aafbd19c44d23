package dev.lookout.filters.internal.metrics;

import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The {@code /metrics} endpoint: prometheus-metrics' own servlet, which registers the JVM metrics on
 * the first scrape instead of at deployment — their registration loads some 200 classes and takes
 * a noticeable part of startup, and nothing reads them before a scrape. Internal.
 */
public final class MetricsServlet extends PrometheusMetricsServlet {
  private static final long serialVersionUID = 1L;

  private final transient PrometheusRegistry registry;
  private final boolean jvmMetrics;
  private volatile boolean jvmRegistered;

  public MetricsServlet(PrometheusRegistry registry, boolean jvmMetrics) {
    super(registry);
    this.registry = registry;
    this.jvmMetrics = jvmMetrics;
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    if (jvmMetrics && !jvmRegistered) {
      registerJvmMetrics();
    }
    super.doGet(request, response);
  }

  private synchronized void registerJvmMetrics() {
    if (!jvmRegistered) {
      // registers once per registry; the registry lives and dies with this web application's class loader
      JvmMetrics.builder().register(registry);
      jvmRegistered = true;
    }
  }
}
