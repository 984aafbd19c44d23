package dev.lookout.filters.internal.tracing;

import dev.lookout.filters.internal.ServiceInfo;
import dev.lookout.filters.internal.config.ConfigurationException;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.Context;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.resources.ResourceBuilder;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * OpenTelemetry for one web application: an SDK configured the standard way ({@code OTEL_*},
 * {@code otel.*}) with Lookout's defaults, built at deployment and shut down at undeploy — or,
 * when the OpenTelemetry Java agent is attached, nothing of Lookout's own (the agent makes the
 * spans). Per-request spans are {@link ServerSpans}' job. Internal.
 */
public final class TracingSdk {

  /** How spans come to be for this web application. */
  public enum Mode {
    /** Tracing switched off: no spans, no trace IDs. */
    OFF,
    /** Lookout's SDK creates one SERVER span per request. */
    SDK,
    /** The agent creates the SERVER span; Lookout adds the route and reads the IDs. */
    AGENT
  }

  private static final Logger LOG = LogManager.getLogger("lookout");

  private final Mode mode;
  private final OpenTelemetry sdk; // SDK mode only: an OpenTelemetrySdk, or TracesOnly
  private final boolean exporting;
  private final boolean spansRead;

  private TracingSdk(Mode mode, OpenTelemetry sdk) {
    this(mode, sdk, false, mode == Mode.AGENT);
  }

  private TracingSdk(Mode mode, OpenTelemetry sdk, boolean exporting, boolean spansRead) {
    this.mode = mode;
    this.sdk = sdk;
    this.exporting = exporting;
    this.spansRead = spansRead;
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

  public static TracingSdk off() {
    return new TracingSdk(Mode.OFF, null);
  }

  /**
   * The agent's spans if it is attached, else a new SDK from the standard configuration with
   * Lookout's defaults: service identity from Lookout's settings, and no exporter (spans still made,
   * so that trace IDs reach logs and exemplars) unless one is configured.
   */
  public static TracingSdk create(ServiceInfo service, Map<String, String> environment) {
    if (agentAttached()) {
      LOG.info("Lookout: the OpenTelemetry Java agent is attached; using its spans, creating no SDK");
      return new TracingSdk(Mode.AGENT, null);
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
    OpenTelemetry sdk;
    // Only a configured SDK can have processors or exporters that read what a span holds.
    boolean configured = otelConfigured(environment);
    try {
      sdk = configured ? configure(service, defaults) : unconfigured(service);
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
    return new TracingSdk(Mode.SDK, sdk, exporting, configured);
  }

  /**
   * The SDK when nothing of OpenTelemetry is configured: what autoconfiguration builds from Lookout's
   * defaults (W3C trace context and baggage, parent-based always-on sampling, no exporter), built
   * directly, because autoconfiguration's SPI scanning costs about 100 ms of startup. Autoconfigure
   * SPI extensions in the WAR (resource providers, customizers) take effect once any {@code OTEL_*}
   * or {@code otel.*} setting is present. Traces only: with no exporter, the SDK's meter and logger
   * providers would record nothing anyone reads, so they stay the API's no-ops and the classes of
   * the SDK's metrics and logs parts are never loaded.
   */
  private static OpenTelemetry unconfigured(ServiceInfo service) {
    return new TracesOnly(
        SdkTracerProvider.builder()
            .setResource(
                Resource.getDefault()
                    .merge(Resource.builder().put("service.name", service.name()).build())
                    .merge(lookoutResource(service)))
            .addSpanProcessor(new KeepSpansProcessor())
            .setMeterProvider(() -> SelfMetricsOff.PROVIDER)
            .build(),
        ContextPropagators.create(
            TextMapPropagator.composite(W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance())));
  }

  /** An OpenTelemetry of a tracer provider and propagators; meters and logs are the API's no-ops. */
  static final class TracesOnly implements OpenTelemetry {
    private final SdkTracerProvider tracerProvider;
    private final ContextPropagators propagators;

    TracesOnly(SdkTracerProvider tracerProvider, ContextPropagators propagators) {
      this.tracerProvider = tracerProvider;
      this.propagators = propagators;
    }

    @Override
    public TracerProvider getTracerProvider() {
      return tracerProvider;
    }

    @Override
    public ContextPropagators getPropagators() {
      return propagators;
    }

    CompletableResultCode shutdown() {
      return tracerProvider.shutdown();
    }

    @Override
    public String toString() {
      return "TracesOnly{tracerProvider=" + tracerProvider + ", propagators=" + propagators + "}";
    }
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
        CompletableResultCode done =
            sdk instanceof TracesOnly t ? t.shutdown() : ((OpenTelemetrySdk) sdk).shutdown();
        done.join(10, TimeUnit.SECONDS);
      } catch (RuntimeException e) {
        LOG.warn("Lookout: the OpenTelemetry SDK did not shut down cleanly", e);
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

  /**
   * The OpenTelemetry instance in use: Lookout's SDK, the global one (bridged to the agent) under
   * the agent, the no-op one when tracing is off.
   */
  public OpenTelemetry openTelemetry() {
    if (sdk != null) {
      return sdk;
    }
    return mode == Mode.AGENT ? GlobalOpenTelemetry.get() : OpenTelemetry.noop();
  }

  /** A tracer of Lookout's own SDK, or null when tracing is off or the agent makes the spans. */
  public Tracer tracer(String scope) {
    return sdk == null ? null : sdk.getTracer(scope);
  }

  /**
   * Whether spans leave the process (an exporter is configured): only then does a sampled trace
   * decide that all of a request's logs are kept, so that logs and exported traces agree.
   */
  public boolean exporting() {
    return exporting;
  }

  /**
   * Whether anything can read a span's name, attributes and status: false only for the SDK built
   * without any OpenTelemetry setting, whose one processor ignores spans. Then spans carry just
   * their IDs (for logs and exemplars), and describing them would be allocation nobody sees.
   */
  public boolean spansRead() {
    return spansRead;
  }
}
