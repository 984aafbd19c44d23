package dev.lookout.filters.internal;

import dev.lookout.filters.LookoutAttributes;
import dev.lookout.filters.health.HealthCheck;
import dev.lookout.filters.health.HealthChecks;
import dev.lookout.filters.health.HealthProbe;
import dev.lookout.filters.internal.access.AccessLog;
import dev.lookout.filters.internal.access.QueryMasker;
import dev.lookout.filters.internal.access.TrustedProxies;
import dev.lookout.filters.internal.config.ConfigurationException;
import dev.lookout.filters.internal.config.LookoutConfig;
import dev.lookout.filters.internal.config.Settings;
import dev.lookout.filters.internal.health.DataSourceHealthCheck;
import dev.lookout.filters.internal.health.HealthEvaluator;
import dev.lookout.filters.internal.health.HealthReport;
import dev.lookout.filters.internal.metrics.HttpMethods;
import dev.lookout.filters.internal.metrics.HttpMetrics;
import dev.lookout.filters.internal.metrics.PathNormalizer;
import dev.lookout.filters.internal.metrics.PrometheusScheduler;
import dev.lookout.filters.internal.tracing.Tracing;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.MappingMatch;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;

/**
 * Everything Lookout holds for one web application: settings, metrics, access log, health checks.
 * Created once per {@link ServletContext}, closed on undeploy. Internal.
 */
public final class LookoutRuntime {

  /** Context attribute under which the runtime is kept. */
  static final String ATTRIBUTE = "dev.lookout.runtime";

  public static final String MDC_REQUEST_ID = "request_id";
  public static final String MDC_CORRELATION_ID = "correlation_id";
  public static final String MDC_LOG_ALL = "log_all";
  public static final String MDC_TRACE_ID = "trace_id";
  public static final String MDC_SPAN_ID = "span_id";
  public static final String MDC_TRACE_FLAGS = "trace_flags";

  private static final Logger LOG = LogManager.getLogger("lookout");

  final LookoutConfig config;
  final ServiceInfo service;
  final PrometheusRegistry registry;
  final boolean requestIdsEnabled;
  final String requestIdHeader;
  final String correlationIdHeader;
  final HttpMetrics metrics; // null when metrics are off
  final AccessLog accessLog; // null when the access log is off
  final boolean accessLogLookoutEndpoints;
  final boolean pathNormalizer;
  final String metricsPath;
  final boolean jvmMetrics;
  final String healthPath;
  final String healthPathPattern;
  final String forceLogHeader; // null when off
  final byte[] forceLogToken;
  final LogHooks logHooks;
  final Tracing tracing;
  final QueryMasker masker;
  final TrustedProxies proxies;
  private final HealthEvaluator healthEvaluator; // null when health is off
  private final List<HealthCheck> loadedChecks;
  private final List<Runnable> closers = new ArrayList<>();
  private final ClassLoader loader;
  private static final java.util.concurrent.ConcurrentHashMap<ClassLoader, LookoutRuntime> RUNNING =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final CounterDataPoint rejectedRequestIds;
  private final CounterDataPoint rejectedCorrelationIds;

  private LookoutRuntime(ServletContext context, LookoutConfig config) {
    this.config = config;
    this.service = ServiceInfo.of(config, context);
    this.registry = PrometheusRegistry.defaultRegistry;
    ClassLoader loader = webappClassLoader(context);
    this.loader = loader;

    this.requestIdsEnabled = config.getBoolean(Settings.REQUEST_ID_ENABLED);
    this.requestIdHeader = headerName(config, Settings.REQUEST_ID_HEADER);
    this.correlationIdHeader = headerName(config, Settings.CORRELATION_ID_HEADER);

    boolean metricsOn = config.getBoolean(Settings.METRICS_ENABLED);
    this.metricsPath = metricsOn ? config.getPath(Settings.METRICS_PATH) : "";
    this.jvmMetrics = metricsOn && config.getBoolean(Settings.METRICS_JVM);
    this.pathNormalizer = config.getBoolean(Settings.METRICS_PATH_NORMALIZER);
    int endpointLimit = config.getInt(Settings.METRICS_ENDPOINT_LIMIT, 1, 10_000);
    double[] buckets = buckets(config);

    boolean healthOn = config.getBoolean(Settings.HEALTH_ENABLED);
    this.healthPath = healthOn ? config.getPath(Settings.HEALTH_PATH) : "";
    this.healthPathPattern = healthPath.isEmpty() ? "" : healthPath + "/*";

    boolean accessOn = config.getBoolean(Settings.ACCESS_LOG_ENABLED);
    this.accessLogLookoutEndpoints = config.getBoolean(Settings.ACCESS_LOG_PROBES);
    this.masker = new QueryMasker(config.getList(Settings.ACCESS_LOG_MASKED_PARAMETERS));
    this.proxies =
        new TrustedProxies(
            config.getList(Settings.ACCESS_LOG_TRUSTED_PROXIES), Settings.ACCESS_LOG_TRUSTED_PROXIES.name());

    String forceHeader = config.get(Settings.LOG_FORCE_HEADER);
    String forceToken = config.get(Settings.LOG_FORCE_TOKEN);
    if (!forceHeader.isEmpty() && forceToken.length() < 16) {
      throw LookoutConfig.invalid(
          Settings.LOG_FORCE_TOKEN,
          forceToken.isEmpty() ? "" : "(hidden)",
          "a secret of at least 16 characters when lookout.log.force-header is set");
    }
    this.forceLogHeader = forceHeader.isEmpty() ? null : forceHeader;
    this.forceLogToken = forceToken.getBytes(StandardCharsets.UTF_8);

    Duration timeout = config.getDuration(Settings.HEALTH_TIMEOUT);
    Duration ttl = config.getDuration(Settings.HEALTH_CACHE_TTL);
    int threads = config.getInt(Settings.HEALTH_THREADS, 1, 64);
    String dataSource = config.get(Settings.HEALTH_DATASOURCE);
    if (timeout.isZero()) {
      throw LookoutConfig.invalid(Settings.HEALTH_TIMEOUT, "0", "a duration greater than zero");
    }
    boolean tracingOn = config.getBoolean(Settings.TRACING_ENABLED);

    // All settings are valid: from here on, register things.
    this.logHooks = LogHooks.find(loader);
    logHooks.serviceStarted(service);
    closers.add(logHooks::webappStopped);
    this.tracing = tracingOn ? Tracing.create(service, System.getenv()) : Tracing.off();
    closers.add(tracing::close);

    if (metricsOn) {
      closers.add(() -> PrometheusScheduler.stopIfOwnedBy(loader));
      this.metrics = new HttpMetrics(registry, endpointLimit, buckets);
      closers.add(metrics::unregister);
      Counter rejected =
          Counter.builder()
              .name("lookout_request_id_rejected_total")
              .help("Incoming request or correlation IDs that were not valid and were replaced")
              .labelNames("header")
              .build();
      registry.register(rejected);
      closers.add(() -> registry.unregister(rejected));
      this.rejectedRequestIds = rejected.labelValues(requestIdHeader);
      this.rejectedCorrelationIds = rejected.labelValues(correlationIdHeader);
      Info appInfo =
          Info.builder()
              .name("app_info")
              .help("The service Lookout observes; always 1")
              .labelNames("service", "version", "environment")
              .build();
      appInfo.setLabelValues(service.name(), service.version(), service.environment());
      registry.register(appInfo);
      closers.add(() -> registry.unregister(appInfo));
      Collector dropped = logHooks.droppedEventsCollector();
      if (dropped != null) {
        registry.register(dropped);
        closers.add(() -> registry.unregister(dropped));
      }
    } else {
      this.metrics = null;
      this.rejectedRequestIds = null;
      this.rejectedCorrelationIds = null;
    }

    this.accessLog = accessOn ? new AccessLog(masker) : null;

    if (healthOn) {
      List<HealthCheck> loaded = new ArrayList<>();
      if (!dataSource.isEmpty()) {
        loaded.add(new DataSourceHealthCheck(dataSource, timeout));
      }
      loaded.addAll(serviceLoadedChecks(loader));
      this.loadedChecks = Collections.unmodifiableList(loaded);
      List<HealthCheck> registered = HealthChecks.registered(context);
      HealthStatusGauges gauges = metricsOn ? new HealthStatusGauges(registry, closers) : null;
      this.healthEvaluator =
          new HealthEvaluator(
              () -> {
                List<HealthCheck> all = new ArrayList<>(loadedChecks);
                all.addAll(registered);
                return all;
              },
              timeout,
              ttl,
              threads,
              "lookout-health-",
              gauges == null ? (p, r) -> {} : gauges::update);
      closers.add(healthEvaluator::shutdown);
    } else {
      this.loadedChecks = List.of();
      this.healthEvaluator = null;
    }
  }

  /** Creates the runtime of a web application from its settings; fails fast on a bad setting. */
  public static synchronized LookoutRuntime create(ServletContext context) {
    Object existing = context.getAttribute(ATTRIBUTE);
    if (existing instanceof LookoutRuntime r) {
      return r;
    }
    LookoutRuntime runtime = new LookoutRuntime(context, loadConfig(context));
    context.setAttribute(ATTRIBUTE, runtime);
    if (runtime.loader != null) {
      RUNNING.put(runtime.loader, runtime);
    }
    return runtime;
  }

  /** The runtime of this web application, created on first use (when no listener created it). */
  public static LookoutRuntime get(ServletContext context) {
    Object existing = context.getAttribute(ATTRIBUTE);
    return existing instanceof LookoutRuntime r ? r : create(context);
  }

  /** Whether Lookout is switched on for this web application, read without creating anything. */
  public static boolean isEnabled(ServletContext context) {
    return loadConfig(context).getBoolean(Settings.ENABLED);
  }

  private static LookoutConfig loadConfig(ServletContext context) {
    return LookoutConfig.load(
        context::getInitParameter,
        Collections.list(context.getInitParameterNames()),
        systemProperties(),
        System.getenv());
  }

  /** Unregisters metrics and stops threads (on undeploy). */
  public void close(ServletContext context) {
    if (loader != null) {
      RUNNING.remove(loader, this);
    }
    for (int i = closers.size() - 1; i >= 0; i--) {
      try {
        closers.get(i).run();
      } catch (RuntimeException e) {
        LOG.warn("Lookout: error while shutting down", e);
      }
    }
    context.removeAttribute(ATTRIBUTE);
  }

  public HealthEvaluator healthEvaluator() {
    if (healthEvaluator == null) {
      throw new ConfigurationException("Lookout health probes are switched off (lookout.health.enabled=false)");
    }
    return healthEvaluator;
  }

  public String metricsPath() {
    return metricsPath;
  }

  /** Whether the JVM metrics are exposed (registered on the first scrape). */
  public boolean jvmMetrics() {
    return jvmMetrics;
  }

  public String healthPath() {
    return healthPath;
  }

  /** The running runtime of this thread's web application, or null. */
  public static LookoutRuntime current() {
    ClassLoader l = Thread.currentThread().getContextClassLoader();
    while (l != null) {
      LookoutRuntime r = RUNNING.get(l);
      if (r != null) {
        return r;
      }
      l = l.getParent();
    }
    return null;
  }

  public LookoutConfig config() {
    return config;
  }

  /** Lookout's own tracer, or null when tracing is off or the agent makes the spans. */
  public io.opentelemetry.api.trace.Tracer tracer(String scope) {
    return tracing.mode() == Tracing.Mode.SDK ? tracing.openTelemetry().getTracer(scope) : null;
  }

  public io.opentelemetry.api.OpenTelemetry openTelemetry() {
    return tracing.mode() == Tracing.Mode.SDK ? tracing.openTelemetry() : io.opentelemetry.api.OpenTelemetry.noop();
  }

  public boolean agentPresent() {
    return tracing.mode() == Tracing.Mode.AGENT;
  }

  /** Runs at undeploy, in reverse order of registration. */
  public synchronized void onClose(Runnable closer) {
    closers.add(closer);
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  public ServiceInfo service() {
    return service;
  }

  // ---- per request ------------------------------------------------------------------------

  /** Starts observing a request: IDs, response headers, attributes, in-progress gauge. */
  RequestObservation start(HttpServletRequest request, HttpServletResponse response) {
    long startNanos = System.nanoTime();
    String method = request.getMethod();
    int methodIndex = HttpMethods.indexOf(method);
    boolean traced = tracing.mode() != Tracing.Mode.OFF;
    // Read once for the span and the access log: Jetty builds the remote address string per call.
    String clientAddress =
        traced || accessLog != null
            ? proxies.clientAddress(request.getRemoteAddr(), request.getHeader("X-Forwarded-For"))
            : null;
    Tracing.RequestSpan span = null;
    if (traced) {
      span = tracing.start(request, method, HttpMethods.label(methodIndex), masker.mask(request.getQueryString()), clientAddress);
    }
    String requestId = null;
    String correlationId = null;
    if (requestIdsEnabled) {
      String incoming = request.getHeader(requestIdHeader);
      if (incoming != null && RequestIds.isValid(incoming)) {
        requestId = incoming;
      } else {
        if (incoming != null && rejectedRequestIds != null) {
          rejectedRequestIds.inc();
        }
        // One ID finds both the logs and the trace of a request that came without one.
        requestId = span != null ? span.traceId() : RequestIds.generate();
      }
      String incomingCorrelation = request.getHeader(correlationIdHeader);
      if (incomingCorrelation != null && RequestIds.isValid(incomingCorrelation)) {
        correlationId = incomingCorrelation;
        response.setHeader(correlationIdHeader, correlationId);
      } else {
        if (incomingCorrelation != null && rejectedCorrelationIds != null) {
          rejectedCorrelationIds.inc();
        }
        correlationId = requestId;
      }
      response.setHeader(requestIdHeader, requestId);
      request.setAttribute(LookoutAttributes.REQUEST_ID, requestId);
      request.setAttribute(LookoutAttributes.CORRELATION_ID, correlationId);
    }
    String pattern = mappingPattern(request);
    boolean logged =
        accessLog != null
            && (accessLogLookoutEndpoints
                || pattern == null
                || !(pattern.equals(metricsPath) || pattern.equals(healthPath) || pattern.equals(healthPathPattern)));
    RequestObservation observation =
        new RequestObservation(
            this,
            request,
            response,
            startNanos,
            methodIndex,
            requestId,
            correlationId,
            pattern,
            logged,
            forceLogging(request),
            clientAddress,
            span);
    request.setAttribute(LookoutAttributes.OBSERVATION, observation);
    if (metrics != null) {
      metrics.requestStarted(methodIndex);
    }
    return observation;
  }

  private boolean forceLogging(HttpServletRequest request) {
    if (forceLogHeader == null) {
      return false;
    }
    String value = request.getHeader(forceLogHeader);
    return value != null && MessageDigest.isEqual(value.getBytes(StandardCharsets.UTF_8), forceLogToken);
  }

  /** The endpoint label of a finished request: never a raw path unless the normaliser is on. */
  String endpoint(RequestObservation o, int status) {
    Object route = o.request.getAttribute(LookoutAttributes.ROUTE);
    if (route instanceof String s && !s.isEmpty()) {
      return s;
    }
    if (status == 404) {
      return HttpMetrics.NOT_FOUND;
    }
    if (status >= 300 && status < 400) {
      return HttpMetrics.REDIRECTION;
    }
    String pattern = o.mappingPattern;
    if (pathNormalizer && (pattern == null || pattern.equals("/") || pattern.endsWith("/*"))) {
      String uri = o.request.getRequestURI();
      String contextPath = o.request.getContextPath();
      String path = uri.startsWith(contextPath) ? uri.substring(contextPath.length()) : uri;
      return PathNormalizer.normalize(path);
    }
    return pattern != null ? pattern : HttpMetrics.UNKNOWN;
  }

  private static String mappingPattern(HttpServletRequest request) {
    HttpServletMapping mapping = request.getHttpServletMapping();
    if (mapping == null) {
      return null;
    }
    MappingMatch match = mapping.getMappingMatch();
    if (match == null) {
      return null;
    }
    switch (match) {
      case CONTEXT_ROOT:
      case DEFAULT:
        return "/";
      case EXACT:
      case PATH:
      case EXTENSION:
        String p = mapping.getPattern();
        return p == null || p.isEmpty() ? null : p;
      default:
        return null;
    }
  }

  /**
   * A per-thread scratch map: the request's keys go into the log context in one {@code putAll},
   * one copy of Log4j's copy-on-write map instead of one per key.
   */
  private static final ThreadLocal<java.util.HashMap<String, String>> LOG_CONTEXT_SCRATCH =
      ThreadLocal.withInitial(() -> new java.util.HashMap<>(16));

  /** Puts the request's IDs in the log context (the caller saved and restores the previous context). */
  void putLogContext(RequestObservation o) {
    java.util.HashMap<String, String> keys = LOG_CONTEXT_SCRATCH.get();
    if (o.requestId != null) {
      keys.put(MDC_REQUEST_ID, o.requestId);
      keys.put(MDC_CORRELATION_ID, o.correlationId);
    }
    if (o.forceLogging) {
      keys.put(MDC_LOG_ALL, "true");
    }
    if (o.span != null) {
      keys.put(MDC_TRACE_ID, o.span.traceId());
      keys.put(MDC_SPAN_ID, o.span.spanId());
      keys.put(MDC_TRACE_FLAGS, o.span.sampled() ? "01" : "00");
    }
    try {
      if (!keys.isEmpty()) {
        ThreadContext.putAll(keys);
      }
    } finally {
      keys.clear();
    }
  }

  /** The route for span names and {@code http.route}: null for the fixed labels. */
  static String routeOf(String endpoint) {
    return endpoint == HttpMetrics.NOT_FOUND
            || endpoint == HttpMetrics.REDIRECTION
            || endpoint == HttpMetrics.UNKNOWN
            || endpoint == HttpMetrics.OTHER
        ? null
        : endpoint;
  }

  // ---- helpers ------------------------------------------------------------------------------

  private static java.util.Map<String, String> systemProperties() {
    java.util.Map<String, String> out = new java.util.HashMap<>();
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

  private static String headerName(LookoutConfig config, dev.lookout.filters.internal.config.Setting setting) {
    String v = config.get(setting);
    if (v.isEmpty()) {
      throw LookoutConfig.invalid(setting, v, "an HTTP header name");
    }
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      boolean token =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!token) {
        throw LookoutConfig.invalid(setting, v, "an HTTP header name");
      }
    }
    return v;
  }

  private static double[] buckets(LookoutConfig config) {
    List<String> parts = config.getList(Settings.METRICS_DURATION_BUCKETS);
    double[] out = new double[parts.size()];
    try {
      for (int i = 0; i < out.length; i++) {
        out[i] = Double.parseDouble(parts.get(i));
        if (!(out[i] > 0) || (i > 0 && out[i] <= out[i - 1]) || Double.isInfinite(out[i])) {
          throw new NumberFormatException();
        }
      }
    } catch (NumberFormatException e) {
      out = new double[0];
    }
    if (out.length == 0) {
      throw LookoutConfig.invalid(
          Settings.METRICS_DURATION_BUCKETS,
          config.get(Settings.METRICS_DURATION_BUCKETS),
          "increasing positive numbers of seconds, e.g. 0.05,0.1,0.5,1");
    }
    return out;
  }

  private static List<HealthCheck> serviceLoadedChecks(ClassLoader loader) {
    List<HealthCheck> out = new ArrayList<>();
    java.util.Iterator<HealthCheck> it = ServiceLoader.load(HealthCheck.class, loader).iterator();
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
    return out;
  }

  /** The {@code lookout_health_status} and {@code lookout_health_check_status} gauges. */
  private static final class HealthStatusGauges {
    private final Gauge probeStatus;
    private final Gauge checkStatus;
    HealthStatusGauges(PrometheusRegistry registry, List<Runnable> closers) {
      probeStatus =
          Gauge.builder()
              .name("lookout_health_status")
              .help("Result of the last evaluation of a health probe: 1 UP, 0 DOWN")
              .labelNames("probe")
              .build();
      checkStatus =
          Gauge.builder()
              .name("lookout_health_check_status")
              .help("Result of the last run of a health check: 1 UP, 0 DOWN")
              .labelNames("check")
              .build();
      registry.register(probeStatus);
      registry.register(checkStatus);
      closers.add(() -> registry.unregister(probeStatus));
      closers.add(() -> registry.unregister(checkStatus));
    }

    void update(HealthProbe probe, HealthReport report) {
      if (probe != null) {
        probeStatus.labelValues(probeLabel(probe)).set(report.up() ? 1 : 0);
      }
      for (HealthReport.CheckOutcome c : report.checks()) {
        checkStatus.labelValues(c.name()).set(c.up() ? 1 : 0);
      }
    }

    private static String probeLabel(HealthProbe p) {
      switch (p) {
        case LIVENESS:
          return "live";
        case READINESS:
          return "ready";
        default:
          return "started";
      }
    }
  }
}
