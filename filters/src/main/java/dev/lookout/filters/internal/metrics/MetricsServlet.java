package dev.lookout.filters.internal.metrics;

import dev.lookout.filters.internal.exposure.EndpointExposure;
import dev.lookout.filters.internal.exposure.EndpointGuard;
import io.prometheus.metrics.exporter.servlet.jakarta.PrometheusMetricsServlet;
import io.prometheus.metrics.instrumentation.jvm.JvmBufferPoolMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmClassLoadingMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmCompilationMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmGarbageCollectorMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmNativeMemoryMetrics;
import io.prometheus.metrics.instrumentation.jvm.JvmRuntimeInfoMetric;
import io.prometheus.metrics.instrumentation.jvm.JvmThreadsMetrics;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * The {@code /metrics} endpoint: prometheus-metrics' own servlet behind Lookout's exposure rules
 * (404 to a caller that may not see it, as if the path did not exist), a bound on concurrent scrapes
 * (503 with {@code Retry-After} past it) and a plain 4xx for methods and headers it does not serve.
 * It builds the exporter and registers the JVM metrics on the first scrape instead of at deployment
 * — the exporter's formats and the JVM metrics load a few hundred classes and take a noticeable part
 * of startup, and nothing reads them before a scrape. Internal.
 */
public final class MetricsServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  private final transient PrometheusRegistry registry;
  private final boolean jvmMetrics;
  private final transient EndpointExposure exposure;
  private transient volatile PrometheusMetricsServlet exporter; // built by the first scrape

  /**
   * Registries that have the JVM metrics: once each, as JvmMetrics itself guards it, since a second
   * registration of the same names fails (a second metrics servlet on the same registry: a web.xml
   * declaration, a redeploy into a shared registry, tests).
   */
  private static final Set<PrometheusRegistry> JVM_REGISTERED =
      Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

  public MetricsServlet(PrometheusRegistry registry, boolean jvmMetrics, EndpointExposure exposure) {
    this.registry = registry;
    this.jvmMetrics = jvmMetrics;
    this.exposure = exposure;
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws ServletException, IOException {
    EndpointExposure.Reason denied = exposure.check(EndpointGuard.caller(request));
    if (denied != null) {
      exposure.countDenied(EndpointExposure.Endpoint.METRICS, denied);
      response.sendError(HttpServletResponse.SC_NOT_FOUND);
      return;
    }
    if (EndpointGuard.rejected(request, response)) {
      return;
    }
    String debug = request.getParameter("debug");
    if (debug != null && !debug.equals("text") && !debug.equals("openmetrics") && !debug.equals("prometheus-protobuf")) {
      // the exporter would answer 500 and echo the value
      EndpointGuard.plain(response, 400, "debug must be text, openmetrics or prometheus-protobuf");
      return;
    }
    if (!exposure.beginScrape()) {
      exposure.countDenied(EndpointExposure.Endpoint.METRICS, EndpointExposure.Reason.BUSY);
      response.setHeader("Retry-After", "1");
      EndpointGuard.plain(response, 503, "Too many scrapes at once");
      return;
    }
    try {
      PrometheusMetricsServlet e = exporter;
      if (e == null) {
        e = firstScrape();
      }
      // the exporter's public entry point: it dispatches to its doGet
      e.service((ServletRequest) request, (ServletResponse) response);
    } finally {
      exposure.endScrape();
    }
  }

  private synchronized PrometheusMetricsServlet firstScrape() {
    // Only scrapes get here, and only until the first one has finished: no request thread of the
    // application ever waits for this monitor.
    if (exporter == null) {
      if (jvmMetrics && JVM_REGISTERED.add(registry)) {
        // What JvmMetrics registers, but for JvmMemoryPoolAllocationMetrics: that one adds a listener
        // to the JVM-wide garbage collector MXBeans and cannot remove it, so after an undeploy the
        // listener would keep this web application's class loader and fail at every GC. The other
        // collectors live in this registry, which lives and dies with the web application's class loader.
        JvmThreadsMetrics.builder().register(registry);
        JvmBufferPoolMetrics.builder().register(registry);
        JvmClassLoadingMetrics.builder().register(registry);
        JvmCompilationMetrics.builder().register(registry);
        JvmGarbageCollectorMetrics.builder().register(registry);
        JvmMemoryMetrics.builder().register(registry);
        JvmNativeMemoryMetrics.builder().register(registry);
        JvmRuntimeInfoMetric.builder().register(registry);
        ProcessMetrics.builder().register(registry);
      }
      exporter = new PrometheusMetricsServlet(registry);
    }
    return exporter;
  }
}
