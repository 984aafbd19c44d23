package dev.lookout.filters.internal.client;

import dev.lookout.filters.internal.FailOpen;
import dev.lookout.filters.internal.metrics.HttpMethods;
import dev.lookout.filters.internal.pipeline.CurrentRequest;
import dev.lookout.filters.internal.RequestObservation;
import dev.lookout.filters.internal.config.LookoutConfig;
import dev.lookout.filters.internal.config.LookoutSettings;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.snapshots.Unit;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import org.apache.logging.log4j.ThreadContext;

/**
 * Outbound HTTP calls of one web application: the one place that writes Lookout's headers (the
 * configured request/correlation ID headers and the W3C context of the SDK in use), opens the
 * CLIENT span with Lookout's own SDK, and records {@code http_client_request_duration_seconds}.
 * Made by the runtime, so it is off with metrics or tracing off and unregistered on undeploy.
 * Internal.
 */
public final class OutboundCalls {

  private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  private static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  private static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  private static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
  private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
  private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  /** Most distinct {@code server_address} label values; later ones are {@code OTHER}. */
  static final int SERVER_LIMIT = 100;

  private final String requestIdHeader;
  private final String correlationIdHeader;
  private final TextMapPropagator propagator; // null: no tracing, or the global one (standalone)
  private final boolean globalPropagator;
  private final Tracer tracer; // null: no CLIENT spans of ours (off, or the agent's)
  private final Histogram duration; // null: metrics off
  private final ConcurrentHashMap<String, DistributionDataPoint> series = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Boolean> servers = new ConcurrentHashMap<>();
  private final AtomicInteger serverCount = new AtomicInteger();

  public OutboundCalls(
      String requestIdHeader,
      String correlationIdHeader,
      TextMapPropagator propagator,
      Tracer tracer,
      Histogram duration) {
    this(requestIdHeader, correlationIdHeader, propagator, false, tracer, duration);
  }

  private OutboundCalls(
      String requestIdHeader,
      String correlationIdHeader,
      TextMapPropagator propagator,
      boolean globalPropagator,
      Tracer tracer,
      Histogram duration) {
    this.requestIdHeader = requestIdHeader;
    this.correlationIdHeader = correlationIdHeader;
    this.propagator = propagator;
    this.globalPropagator = globalPropagator;
    this.tracer = tracer;
    this.duration = duration;
  }

  private static volatile OutboundCalls standalone;

  /**
   * Outside a web application Lookout observes (a batch job's JAX-RS client, say): headers only,
   * with the header names from system properties and environment and the global propagators.
   */
  public static OutboundCalls standalone() {
    OutboundCalls s = standalone;
    if (s == null) {
      Map<String, String> props = new HashMap<>();
      for (String name : System.getProperties().stringPropertyNames()) {
        if (name.startsWith("lookout.")) {
          props.put(name, System.getProperty(name));
        }
      }
      LookoutSettings settings = LookoutSettings.from(LookoutConfig.load(k -> null, List.of(), props, System.getenv()));
      s = new OutboundCalls(settings.requestIdHeader, settings.correlationIdHeader, null, true, null, null);
      standalone = s;
    }
    return s;
  }

  /** The histogram Lookout registers when metrics are on. */
  public static Histogram newDurationHistogram() {
    return Histogram.builder()
        .name("http_client_request_duration_seconds")
        .help("Outbound HTTP calls, by method, server and status code")
        .unit(Unit.SECONDS)
        .labelNames("method", "server_address", "status_code")
        .classicOnly()
        .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
        .build();
  }

  /** Headers only (no span, no timing): IDs of the current request and the current trace context. */
  public void writeHeaders(BiConsumer<String, String> header) {
    writeHeaders(Context.current(), header);
  }

  private void writeHeaders(Context context, BiConsumer<String, String> header) {
    TextMapPropagator p = globalPropagator ? GlobalOpenTelemetry.getPropagators().getTextMapPropagator() : propagator;
    if (p != null) {
      try {
        p.inject(context, header, (carrier, key, value) -> carrier.accept(key, value));
      } catch (RuntimeException | LinkageError e) {
        FailOpen.report("writing trace context headers", e);
      }
    }
    RequestObservation current = CurrentRequest.get();
    String requestId = current != null ? current.requestId() : ThreadContext.get("request_id");
    if (requestId != null) {
      header.accept(requestIdHeader, requestId);
    }
    String correlationId = current != null ? current.correlationId() : ThreadContext.get("correlation_id");
    if (correlationId != null) {
      header.accept(correlationIdHeader, correlationId);
    }
  }

  /** Starts an outbound call: headers written, CLIENT span opened; end it with {@link Call#end} or {@link Call#fail}. */
  public Call start(String method, URI uri, BiConsumer<String, String> header) {
    String methodLabel = HttpMethods.label(HttpMethods.indexOf(method));
    Context context = Context.current();
    Span span = null;
    if (tracer != null) {
      try {
        span =
            tracer
                .spanBuilder("_OTHER".equals(methodLabel) ? "HTTP" : methodLabel)
                .setSpanKind(SpanKind.CLIENT)
                .setParent(context)
                .setAttribute(METHOD, methodLabel)
                .setAttribute(SERVER_ADDRESS, uri.getHost() == null ? "" : uri.getHost())
                .setAttribute(SERVER_PORT, (long) port(uri))
                .setAttribute(URL_FULL, withoutQuery(uri))
                .startSpan();
        context = context.with(span);
      } catch (RuntimeException | LinkageError e) {
        FailOpen.report("starting a client span", e);
      }
    }
    writeHeaders(context, header);
    return new Call(methodLabel, uri, span, System.nanoTime());
  }

  /** One outbound call in flight. */
  public final class Call {
    private final String method;
    private final URI uri;
    private final Span span;
    private final long startNanos;
    private boolean ended;

    Call(String method, URI uri, Span span, long startNanos) {
      this.method = method;
      this.uri = uri;
      this.span = span;
      this.startNanos = startNanos;
    }

    /** The call got a response with this status. */
    public void end(int status) {
      finish(status >= 100 && status < 600 ? Integer.toString(status) : "UNKNOWN", status, null);
    }

    /** The call failed without a response (connection refused, timeout …). */
    public void fail(Throwable failure) {
      finish("error", 0, failure);
    }

    private synchronized void finish(String statusLabel, int status, Throwable failure) {
      if (ended) {
        return;
      }
      ended = true;
      try {
        if (duration != null) {
          String server = server(uri);
          String key = method + ' ' + server + ' ' + statusLabel;
          DistributionDataPoint p = series.get(key);
          if (p == null) {
            p = duration.labelValues(method, server, statusLabel);
            series.putIfAbsent(key, p); // bounded: methods × (servers ≤ limit + 1) × statuses
          }
          p.observe((System.nanoTime() - startNanos) / 1e9);
        }
        if (span != null) {
          if (failure != null) {
            span.recordException(failure);
            span.setAttribute(ERROR_TYPE, failure.getClass().getName());
            span.setStatus(StatusCode.ERROR);
          } else {
            span.setAttribute(STATUS, (long) status);
            if (status >= 400) {
              span.setAttribute(ERROR_TYPE, Integer.toString(status));
              span.setStatus(StatusCode.ERROR);
            }
          }
          span.end();
        }
      } catch (RuntimeException | LinkageError e) {
        FailOpen.report("ending an outbound call", e);
      }
    }
  }

  /** host[:port], bounded: past {@link #SERVER_LIMIT} distinct servers, {@code OTHER}. */
  String server(URI uri) {
    String host = uri.getHost();
    if (host == null) {
      return "UNKNOWN";
    }
    String s = uri.getPort() < 0 ? host : host + ':' + uri.getPort();
    if (servers.containsKey(s)) {
      return s;
    }
    while (true) {
      int n = serverCount.get();
      if (n >= SERVER_LIMIT) {
        return "OTHER";
      }
      if (serverCount.compareAndSet(n, n + 1)) {
        if (servers.putIfAbsent(s, Boolean.TRUE) != null) {
          serverCount.decrementAndGet(); // another thread admitted it first
        }
        return s;
      }
    }
  }

  private static int port(URI uri) {
    return uri.getPort() > 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
  }

  /** The URL without its query: values may be secrets and are unbounded. */
  static String withoutQuery(URI uri) {
    String s = uri.toString();
    int q = s.indexOf('?');
    return q < 0 ? s : s.substring(0, q);
  }
}
