package dev.lookout.filters.internal.tracing;

import dev.lookout.filters.internal.FailOpen;
import dev.lookout.filters.internal.ServiceInfo;
import dev.lookout.filters.internal.config.ConfigurationException;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.resources.ResourceBuilder;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * OpenTelemetry for one web application: an SDK configured the standard way ({@code OTEL_*},
 * {@code otel.*}), or — when the OpenTelemetry Java agent is attached — the agent's own spans,
 * which Lookout then only enriches. Internal.
 */
public final class Tracing {

  /** How spans come to be for this web application. */
  public enum Mode {
    /** Tracing switched off: no spans, no trace IDs. */
    OFF,
    /** Lookout's SDK creates one SERVER span per request. */
    SDK,
    /** The agent creates the SERVER span; Lookout adds the route and reads the IDs. */
    AGENT
  }

  static final AttributeKey<String> HTTP_REQUEST_METHOD = AttributeKey.stringKey("http.request.method");
  static final AttributeKey<String> HTTP_REQUEST_METHOD_ORIGINAL = AttributeKey.stringKey("http.request.method_original");
  static final AttributeKey<String> URL_PATH = AttributeKey.stringKey("url.path");
  static final AttributeKey<String> URL_QUERY = AttributeKey.stringKey("url.query");
  static final AttributeKey<String> URL_SCHEME = AttributeKey.stringKey("url.scheme");
  public static final AttributeKey<String> HTTP_ROUTE = AttributeKey.stringKey("http.route");
  static final AttributeKey<Long> HTTP_RESPONSE_STATUS_CODE = AttributeKey.longKey("http.response.status_code");
  static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  static final AttributeKey<String> CLIENT_ADDRESS = AttributeKey.stringKey("client.address");
  static final AttributeKey<String> USER_AGENT = AttributeKey.stringKey("user_agent.original");
  static final AttributeKey<String> NETWORK_PROTOCOL_VERSION = AttributeKey.stringKey("network.protocol.version");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  private static final Logger LOG = LogManager.getLogger("lookout");

  private static final TextMapGetter<HttpServletRequest> HEADERS =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(HttpServletRequest carrier) {
          return Collections.list(carrier.getHeaderNames());
        }

        @Override
        public String get(HttpServletRequest carrier, String key) {
          return carrier == null ? null : carrier.getHeader(key);
        }
      };

  private final Mode mode;
  private final OpenTelemetrySdk sdk; // SDK mode only
  private final Tracer tracer; // SDK mode only
  private final TextMapPropagator propagator;

  private Tracing(Mode mode, OpenTelemetrySdk sdk) {
    this.mode = mode;
    this.sdk = sdk;
    this.tracer = sdk == null ? null : sdk.getTracer("dev.lookout.filters");
    this.propagator = sdk == null ? null : sdk.getPropagators().getTextMapPropagator();
  }

  private static volatile Boolean agent;

  /** Whether the OpenTelemetry Java agent is attached to this JVM (checked once). */
  public static boolean agentAttached() {
    Boolean a = agent;
    if (a == null) {
      a = AgentDetector.agentAttached();
      agent = a;
    }
    return a;
  }

  public static Tracing off() {
    return new Tracing(Mode.OFF, null);
  }

  /**
   * The agent's spans if it is attached, else a new SDK from the standard configuration with
   * Lookout's defaults: service identity from Lookout's settings, and no exporter (spans still made,
   * so that trace IDs reach logs and exemplars) unless one is configured.
   */
  public static Tracing create(ServiceInfo service, Map<String, String> environment) {
    if (agentAttached()) {
      LOG.info("Lookout: the OpenTelemetry Java agent is attached; using its spans, creating no SDK");
      return new Tracing(Mode.AGENT, null);
    }
    Map<String, String> defaults = new HashMap<>();
    defaults.put("otel.service.name", service.name());
    defaults.put("otel.metrics.exporter", "none");
    defaults.put("otel.logs.exporter", "none");
    // Lookout ships the HTTP sender only; the SDK's own default (grpc) would fail without a gRPC stack.
    defaults.put("otel.exporter.otlp.protocol", "http/protobuf");
    boolean exporting = exporterConfigured(environment);
    if (!exporting) {
      defaults.put("otel.traces.exporter", "none");
    }
    OpenTelemetrySdk sdk;
    try {
      sdk = otelConfigured(environment) ? configure(service, defaults) : unconfigured(service);
    } catch (io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException e) {
      // same simple name as Lookout's own ConfigurationException, hence qualified
      Throwable cause = e;
      while (cause.getCause() != null && cause.getCause() != cause) {
        cause = cause.getCause();
      }
      String detail = cause.getMessage() == null ? cause.toString() : cause.getMessage();
      String hint =
          detail.contains("GrpcSenderProvider")
              ? " Lookout exports OTLP over HTTP: leave OTEL_EXPORTER_OTLP_PROTOCOL unset or set it to"
                  + " http/protobuf (for grpc add io.opentelemetry:opentelemetry-exporter-sender-okhttp to the WAR)."
              : "";
      throw new ConfigurationException(
          "Lookout: the OpenTelemetry settings (OTEL_* / otel.*) are not valid: " + detail + "." + hint
              + " To run without tracing set lookout.tracing.enabled=false.");
    }
    try {
      // Application code calling GlobalOpenTelemetry / Span.current() sees Lookout's SDK. The API
      // classes live in this web application's class loader, so a redeploy starts afresh.
      GlobalOpenTelemetry.set(sdk);
    } catch (IllegalStateException e) {
      LOG.info("Lookout: GlobalOpenTelemetry was already set; Lookout's spans use its own SDK");
    }
    return new Tracing(Mode.SDK, sdk);
  }

  /**
   * The SDK when nothing of OpenTelemetry is configured: what autoconfiguration builds from Lookout's
   * defaults (W3C trace context and baggage, parent-based always-on sampling, no exporter), built
   * directly, because autoconfiguration's SPI scanning costs about 100 ms of startup. Autoconfigure
   * SPI extensions in the WAR (resource providers, customizers) take effect once any {@code OTEL_*}
   * or {@code otel.*} setting is present.
   */
  private static OpenTelemetrySdk unconfigured(ServiceInfo service) {
    return OpenTelemetrySdk.builder()
        .setTracerProvider(
            SdkTracerProvider.builder()
                .setResource(
                    Resource.getDefault()
                        .merge(Resource.builder().put("service.name", service.name()).build())
                        .merge(lookoutResource(service)))
                .addSpanProcessor(new KeepSpansProcessor())
                .build())
        .setPropagators(
            ContextPropagators.create(
                TextMapPropagator.composite(
                    W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance())))
        .build();
  }

  /** {@code service.version} and {@code deployment.environment.name} from Lookout's settings, when known. */
  private static Resource lookoutResource(ServiceInfo service) {
    ResourceBuilder b = Resource.builder();
    if (!"unknown".equals(service.version())) {
      b.put("service.version", service.version());
    }
    if (!"unknown".equals(service.environment())) {
      b.put("deployment.environment.name", service.environment());
    }
    return b.build();
  }

  /** Whether any OpenTelemetry setting is present ({@code OTEL_*} variable or {@code otel.*} property). */
  static boolean otelConfigured(Map<String, String> environment) {
    for (String name : environment.keySet()) {
      if (name.startsWith("OTEL_")) {
        return true;
      }
    }
    for (String name : System.getProperties().stringPropertyNames()) {
      if (name.startsWith("otel.")) {
        return true;
      }
    }
    return false;
  }

  private static OpenTelemetrySdk configure(ServiceInfo service, Map<String, String> defaults) {
    return AutoConfiguredOpenTelemetrySdk.builder()
            .addPropertiesSupplier(() -> defaults)
            .addResourceCustomizer(
                // the application's own settings (OTEL_RESOURCE_ATTRIBUTES) win over ours
                (resource, config) -> lookoutResource(service).merge(resource))
            .addTracerProviderCustomizer(
                (tracerProvider, config) ->
                    // Without any processor the SDK makes no real spans, and requests would get no
                    // trace IDs for logs and exemplars: this one keeps them real and costs nothing.
                    tracerProvider.addSpanProcessor(new KeepSpansProcessor()))
            .disableShutdownHook()
            .build()
            .getOpenTelemetrySdk();
  }

  static boolean exporterConfigured(Map<String, String> environment) {
    String[] env = {"OTEL_TRACES_EXPORTER", "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"};
    String[] props = {"otel.traces.exporter", "otel.exporter.otlp.endpoint", "otel.exporter.otlp.traces.endpoint"};
    for (int i = 0; i < env.length; i++) {
      if (environment.get(env[i]) != null || System.getProperty(props[i]) != null) {
        return true;
      }
    }
    return false;
  }

  public Mode mode() {
    return mode;
  }

  /** Flushes and stops the SDK (on undeploy); nothing to do for the agent's. */
  public void close() {
    if (sdk != null) {
      try {
        sdk.shutdown().join(10, TimeUnit.SECONDS);
      } catch (RuntimeException e) {
        LOG.warn("Lookout: the OpenTelemetry SDK did not shut down cleanly", e);
      }
    }
  }

  /**
   * The span of a starting request: a new SERVER span (SDK), or the agent's current one; null when
   * tracing is off or something failed (fail-open).
   */
  public RequestSpan start(
      HttpServletRequest request, String method, String methodLabel, String maskedQuery, String clientAddress) {
    try {
      if (mode == Mode.AGENT) {
        Span current = Span.current();
        return current.getSpanContext().isValid() ? new RequestSpan(current, Context.current(), false) : null;
      }
      if (mode == Mode.OFF) {
        return null;
      }
      Context parent = propagator.extract(Context.root(), request, HEADERS);
      boolean known = !"_OTHER".equals(methodLabel);
      var builder =
          tracer
              .spanBuilder(known ? method : "HTTP")
              .setSpanKind(SpanKind.SERVER)
              .setParent(parent)
              .setAttribute(HTTP_REQUEST_METHOD, methodLabel)
              .setAttribute(URL_PATH, request.getRequestURI())
              .setAttribute(URL_SCHEME, request.getScheme())
              .setAttribute(SERVER_ADDRESS, request.getServerName())
              .setAttribute(SERVER_PORT, (long) request.getServerPort());
      if (!known) {
        builder.setAttribute(HTTP_REQUEST_METHOD_ORIGINAL, method);
      }
      if (maskedQuery != null) {
        builder.setAttribute(URL_QUERY, maskedQuery);
      }
      if (clientAddress != null) {
        builder.setAttribute(CLIENT_ADDRESS, clientAddress);
      }
      String ua = request.getHeader("User-Agent");
      if (ua != null) {
        builder.setAttribute(USER_AGENT, ua.length() > 512 ? ua.substring(0, 512) : ua);
      }
      String protocol = request.getProtocol();
      if (protocol != null && protocol.startsWith("HTTP/")) {
        builder.setAttribute(NETWORK_PROTOCOL_VERSION, protocol.substring(5));
      }
      Span span = builder.startSpan();
      if (!span.getSpanContext().isValid()) {
        return null;
      }
      return new RequestSpan(span, parent.with(span), true);
    } catch (RuntimeException | LinkageError e) {
      FailOpen.report("starting a span", e);
      return null;
    }
  }

  /** The span of one request and the context to make current around the application. */
  public static final class RequestSpan {
    final Span span;
    final Context context;
    final boolean owned;

    RequestSpan(Span span, Context context, boolean owned) {
      this.span = span;
      this.context = context;
      this.owned = owned;
    }

    public Context context() {
      return context;
    }

    public String traceId() {
      return span.getSpanContext().getTraceId();
    }

    public String spanId() {
      return span.getSpanContext().getSpanId();
    }

    public boolean sampled() {
      return span.getSpanContext().isSampled();
    }

    /**
     * Ends the request's span: route, status, error. For the agent's span only the route (and the
     * name it implies) is added; the agent ends its span itself.
     *
     * @param route a route template, or null when only a fixed label is known
     */
    public void finish(String methodLabel, String route, int status, Throwable failure, String errorType) {
      try {
        if (route != null) {
          span.setAttribute(HTTP_ROUTE, route);
          span.updateName(("_OTHER".equals(methodLabel) ? "HTTP" : methodLabel) + " " + route);
        }
        if (!owned) {
          return;
        }
        span.setAttribute(HTTP_RESPONSE_STATUS_CODE, (long) status);
        if (failure != null) {
          span.recordException(failure);
          span.setAttribute(ERROR_TYPE, failure.getClass().getName());
          span.setStatus(StatusCode.ERROR);
        } else if (status >= 500) {
          span.setAttribute(ERROR_TYPE, errorType != null ? errorType : Integer.toString(status));
          span.setStatus(StatusCode.ERROR);
        }
        span.end();
      } catch (RuntimeException | LinkageError e) {
        FailOpen.report("ending a span", e);
      }
    }
  }

  /** A span processor that needs nothing: its presence alone makes the SDK create real spans. */
  static final class KeepSpansProcessor implements io.opentelemetry.sdk.trace.SpanProcessor {
    @Override
    public void onStart(Context parentContext, io.opentelemetry.sdk.trace.ReadWriteSpan span) {}

    @Override
    public boolean isStartRequired() {
      return false;
    }

    @Override
    public void onEnd(io.opentelemetry.sdk.trace.ReadableSpan span) {}

    @Override
    public boolean isEndRequired() {
      return false;
    }
  }

  /** The OpenTelemetry instance in use (the SDK, or the global one bridged to the agent). */
  public OpenTelemetry openTelemetry() {
    return sdk != null ? sdk : GlobalOpenTelemetry.get();
  }
}
