package dev.lookout.filters.internal;

import dev.lookout.filters.health.HealthCheck;
import dev.lookout.filters.health.HealthChecks;
import dev.lookout.filters.internal.client.OutboundCalls;
import dev.lookout.filters.internal.config.ConfigurationException;
import dev.lookout.filters.internal.config.LookoutConfig;
import dev.lookout.filters.internal.config.LookoutSettings;
import dev.lookout.filters.internal.exposure.EndpointExposure;
import dev.lookout.filters.internal.health.DataSourceHealthCheck;
import dev.lookout.filters.internal.health.HealthEvaluator;
import dev.lookout.filters.internal.health.HealthStatusGauges;
import dev.lookout.filters.internal.metrics.HttpMetrics;
import dev.lookout.filters.internal.metrics.PrometheusScheduler;
import dev.lookout.filters.internal.pipeline.RequestIdPolicy;
import dev.lookout.filters.internal.tracing.ServerSpans;
import dev.lookout.filters.internal.tracing.TracingSdk;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.ServletContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Everything Lookout holds for one web application, from deployment to undeploy: its settings, the
 * metrics registry, the OpenTelemetry SDK, the request pipeline, the health evaluator, and what to
 * close. It wires these together; the per-request work is {@link RequestPipeline}'s. Internal.
 */
public final class LookoutRuntime {

  /** Context attribute under which the runtime is kept. */
  static final String ATTRIBUTE = "dev.lookout.runtime";

  private static final Logger LOG = LogManager.getLogger("lookout");

  /**
   * The running runtime of the web application this class was loaded for (Lookout's jars belong
   * in WEB-INF/lib, so each web application has its own copy of this field).
   */
  private static volatile LookoutRuntime current;

  private final LookoutSettings settings;
  private final ServiceInfo service;
  private final PrometheusRegistry registry;
  private final TracingSdk tracing;
  private final RequestPipeline pipeline;
  private final OutboundCalls outboundCalls;
  private final HealthEvaluator healthEvaluator; // null when health is off
  private final EndpointExposure exposure;
  private final List<Runnable> closers = new CopyOnWriteArrayList<>();
  private final boolean managedByListener;
  private volatile boolean closed;

  private LookoutRuntime(ServletContext context, LookoutSettings settings, boolean managedByListener) {
    this.settings = settings;
    this.managedByListener = managedByListener;
    this.service = ServiceInfo.of(settings, context);
    this.registry = PrometheusRegistry.defaultRegistry;
    ClassLoader loader = webappClassLoader(context);
    List<HealthCheck> loadedChecks = settings.healthEnabled ? loadChecks(settings, loader) : List.of();

    // Settings are valid and checks loaded: from here on, register things (and undo them on close).
    try {
      // First: it checks its own settings before it registers its counter.
      this.exposure = EndpointExposure.from(settings.source(), settings.metricsEnabled ? registry : null);
      closers.add(exposure::close);
      LogHooks logHooks = LogHooks.find(loader);
      logHooks.settingsLoaded(settings.logSettings);
      logHooks.serviceStarted(service);
      closers.add(logHooks::webappStopped);
      String logProblem = logHooks.startupProblem();
      if (logProblem != null) {
        throw new ConfigurationException(logProblem);
      }

      this.tracing = settings.tracingEnabled ? TracingSdk.create(service, System.getenv()) : TracingSdk.off();
      closers.add(tracing::close);

      HttpMetrics metrics = null;
      RequestIdPolicy.Rejections rejections = RequestIdPolicy.Rejections.NONE;
      if (settings.metricsEnabled) {
        closers.add(() -> PrometheusScheduler.stopIfOwnedBy(loader));
        metrics = new HttpMetrics(registry, settings.endpointLimit, settings.durationBuckets());
        closers.add(metrics::unregister);
        rejections = registerIdRejections();
        registerAppInfo();
        Collector dropped = logHooks.droppedEventsCollector();
        if (dropped != null) {
          register(dropped);
        }
        Collector errorsDropped = logHooks.errorEventsDroppedCollector();
        if (errorsDropped != null) {
          register(errorsDropped);
        }
      }
      Histogram clientDuration = null;
      if (settings.metricsEnabled) {
        clientDuration = OutboundCalls.newDurationHistogram();
        register(clientDuration);
      }
      this.outboundCalls =
          new OutboundCalls(
              settings.requestIdHeader,
              settings.correlationIdHeader,
              settings.tracingEnabled ? tracing.openTelemetry().getPropagators().getTextMapPropagator() : null,
              tracing.tracer("dev.lookout.client"),
              clientDuration);
      this.pipeline =
          new RequestPipeline(
              settings, new RequestIdPolicy(rejections), new ServerSpans(tracing), tracing.exporting(), metrics, logHooks);

      if (settings.healthEnabled) {
        List<HealthCheck> registered = HealthChecks.registered(context);
        HealthStatusGauges gauges = null;
        if (settings.metricsEnabled) {
          gauges = new HealthStatusGauges(registry);
          closers.add(gauges::unregister);
        }
        HealthStatusGauges g = gauges;
        this.healthEvaluator =
            new HealthEvaluator(
                () -> {
                  List<HealthCheck> all = new ArrayList<>(loadedChecks);
                  all.addAll(registered);
                  return all;
                },
                settings.healthTimeout,
                settings.healthCacheTtl,
                settings.healthThreads,
                "lookout-health-",
                g == null ? (p, r) -> {} : g::update);
        closers.add(healthEvaluator::shutdown);
      } else {
        this.healthEvaluator = null;
      }
    } catch (RuntimeException | Error e) {
      runClosers(); // a half-built runtime leaves nothing registered behind
      throw e;
    }
  }

  // ---- lifecycle -------------------------------------------------------------------------------

  /**
   * Creates the runtime of a web application from its settings (the listener does this at
   * deployment); fails fast on a bad setting.
   */
  static synchronized LookoutRuntime create(ServletContext context, LookoutSettings settings) {
    Object existing = context.getAttribute(ATTRIBUTE);
    return existing instanceof LookoutRuntime r ? r : install(context, settings, true);
  }

  private static LookoutRuntime install(ServletContext context, LookoutSettings settings, boolean managedByListener) {
    LookoutRuntime runtime = new LookoutRuntime(context, settings, managedByListener);
    context.setAttribute(ATTRIBUTE, runtime);
    current = runtime;
    return runtime;
  }

  /**
   * The runtime of this web application for a filter or servlet declared in {@code web.xml}: the
   * listener's, or — when Lookout's fragment is excluded — one created now and closed when the
   * component that created it is destroyed; null when Lookout is switched off.
   */
  public static synchronized LookoutRuntime get(ServletContext context) {
    Object existing = context.getAttribute(ATTRIBUTE);
    if (existing instanceof LookoutRuntime r) {
      return r;
    }
    LookoutSettings settings = loadSettings(context);
    return settings.enabled ? install(context, settings, false) : null;
  }

  /** A filter or servlet that may have created the runtime is destroyed: close it if it did. */
  public static synchronized void componentDestroyed(ServletContext context) {
    Object existing = context.getAttribute(ATTRIBUTE);
    if (existing instanceof LookoutRuntime r && !r.managedByListener) {
      r.close(context);
    }
  }

  /** Reads and validates the settings of a web application (once per deployment). */
  static LookoutSettings loadSettings(ServletContext context) {
    return LookoutSettings.from(
        LookoutConfig.load(
            context::getInitParameter,
            Collections.list(context.getInitParameterNames()),
            systemProperties(),
            System.getenv()));
  }

  /** Unregisters metrics and stops threads (on undeploy); idempotent. */
  public synchronized void close(ServletContext context) {
    if (closed) {
      return;
    }
    closed = true;
    runClosers();
    context.removeAttribute(ATTRIBUTE);
    if (current == this) {
      current = null;
    }
  }

  private void runClosers() {
    for (int i = closers.size() - 1; i >= 0; i--) {
      try {
        closers.get(i).run();
      } catch (RuntimeException e) {
        LOG.warn("Lookout: error while shutting down", e);
      }
    }
    closers.clear();
  }

  // ---- for the other parts of Lookout (servlets, lookout-jaxrs, lookout-jdbc, flows) ----------

  /**
   * The running runtime of this class loader's web application, or null (not started yet,
   * undeployed, or switched off). Look it up when needed, not once: a DataSource may be built
   * before the runtime starts.
   */
  public static LookoutRuntime current() {
    return current;
  }

  /** The settings, validated at deployment. */
  public LookoutSettings settings() {
    return settings;
  }

  /** The settings source, for a feature area that reads its own typed settings from it. */
  public LookoutConfig config() {
    return settings.source();
  }

  public ServiceInfo service() {
    return service;
  }

  /** Who may see the metrics endpoint and the health details. */
  public EndpointExposure exposure() {
    return exposure;
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  /** A tracer of Lookout's SDK, or null when tracing is off or the OpenTelemetry agent makes the spans. */
  public Tracer tracer(String scope) {
    return tracing.tracer(scope);
  }

  /** Lookout's OpenTelemetry (propagators included); the agent's under the agent; no-op when off. */
  public OpenTelemetry openTelemetry() {
    return tracing.openTelemetry();
  }

  /** Whether the OpenTelemetry Java agent is attached (it instruments clients and JDBC itself). */
  public boolean agentPresent() {
    return tracing.mode() == TracingSdk.Mode.AGENT;
  }

  /** Runs {@code closer} at undeploy (in reverse order of registration). */
  public void onClose(Runnable closer) {
    closers.add(closer);
  }

  /** Registers a collector in Lookout's registry and unregisters it at undeploy. */
  public void register(Collector collector) {
    registry.register(collector);
    closers.add(() -> registry.unregister(collector));
  }

  /** Outbound calls: headers, CLIENT spans and the client histogram of this web application. */
  public OutboundCalls outboundCalls() {
    return outboundCalls;
  }

  RequestPipeline pipeline() {
    return pipeline;
  }

  public HealthEvaluator healthEvaluator() {
    if (healthEvaluator == null) {
      throw new ConfigurationException("Lookout health probes are switched off (lookout.health.enabled=false)");
    }
    return healthEvaluator;
  }

  // ---- wiring helpers --------------------------------------------------------------------------

  private RequestIdPolicy.Rejections registerIdRejections() {
    Counter rejected =
        Counter.builder()
            .name("lookout_request_id_rejected_total")
            .help("Incoming request or correlation IDs that were not valid and were replaced")
            .labelNames("header")
            .build();
    register(rejected);
    CounterDataPoint requestIds = rejected.labelValues(settings.requestIdHeader);
    CounterDataPoint correlationIds = rejected.labelValues(settings.correlationIdHeader);
    return new RequestIdPolicy.Rejections() {
      @Override
      public void requestIdRejected() {
        requestIds.inc();
      }

      @Override
      public void correlationIdRejected() {
        correlationIds.inc();
      }
    };
  }

  private void registerAppInfo() {
    Info appInfo =
        Info.builder()
            .name("app_info")
            .help("The service Lookout observes; always 1")
            .labelNames("service", "version", "environment")
            .build();
    appInfo.setLabelValues(service.name(), service.version(), service.environment());
    register(appInfo);
  }

  private static List<HealthCheck> loadChecks(LookoutSettings settings, ClassLoader loader) {
    List<HealthCheck> out = new ArrayList<>();
    if (!settings.healthDataSource.isEmpty()) {
      out.add(new DataSourceHealthCheck(settings.healthDataSource, settings.healthTimeout));
    }
    Iterator<HealthCheck> it = ServiceLoader.load(HealthCheck.class, loader).iterator();
    while (true) {
      try {
        if (!it.hasNext()) {
          break;
        }
        out.add(it.next());
      } catch (ServiceConfigurationError e) {
        throw new ConfigurationException("Lookout could not load a health check: " + e.getMessage());
      }
    }
    return Collections.unmodifiableList(out);
  }

  private static Map<String, String> systemProperties() {
    Map<String, String> out = new HashMap<>();
    for (String name : System.getProperties().stringPropertyNames()) {
      if (name.startsWith("lookout.")) {
        out.put(name, System.getProperty(name));
      }
    }
    return out;
  }

  private static ClassLoader webappClassLoader(ServletContext context) {
    try {
      ClassLoader cl = context.getClassLoader();
      if (cl != null) {
        return cl;
      }
    } catch (SecurityException | UnsupportedOperationException e) {
      // fall through
    }
    return LookoutRuntime.class.getClassLoader();
  }
}
