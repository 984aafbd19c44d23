package dev.lookout.jaxrs.internal;

import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.client.ClientResponseContext;
import jakarta.ws.rs.client.ClientResponseFilter;
import java.net.URI;
import java.util.concurrent.ConcurrentHashMap;
import dev.lookout.filters.internal.tracing.Tracing;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import org.apache.logging.log4j.ThreadContext;

/**
 * Outbound JAX-RS calls: carries the current request's {@code X-Request-ID} and {@code
 * X-Correlation-ID} and the W3C trace context to the next service, opens a CLIENT span (unless
 * the OpenTelemetry agent instruments the client itself), and records
 * {@code http_client_request_duration_seconds{method,server_address,status_code}}. Internal.
 */
@Priority(Priorities.HEADER_DECORATOR)
public final class ClientPropagationFilter implements ClientRequestFilter, ClientResponseFilter {

  private static final String START = "dev.lookout.client.start";
  private static final String SPAN = "dev.lookout.client.span";
  private static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
  private static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  private static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  private static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
  private static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
  private static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
  private static final int SERVER_LIMIT = 100;

  static final Histogram DURATION = register();
  private static final ConcurrentHashMap<String, Boolean> SERVERS = new ConcurrentHashMap<>();
  private static final ConcurrentHashMap<String, DistributionDataPoint> SERIES = new ConcurrentHashMap<>();

  private static Histogram register() {
    Histogram h =
        Histogram.builder()
            .name("http_client_request_duration_seconds")
            .help("Outbound HTTP calls made through the JAX-RS client, by method, server and status code")
            .unit(Unit.SECONDS)
            .labelNames("method", "server_address", "status_code")
            .classicOnly()
            .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
            .build();
    try {
      PrometheusRegistry.defaultRegistry.register(h);
    } catch (IllegalArgumentException | IllegalStateException e) {
      // already registered by another copy of this class in the same registry: record into ours unseen
    }
    return h;
  }

  @Override
  public void filter(ClientRequestContext request) {
    try {
      request.setProperty(START, System.nanoTime());
      String requestId = ThreadContext.get("request_id");
      if (requestId != null && !request.getHeaders().containsKey("X-Request-ID")) {
        request.getHeaders().putSingle("X-Request-ID", requestId);
      }
      String correlationId = ThreadContext.get("correlation_id");
      if (correlationId != null && !request.getHeaders().containsKey("X-Correlation-ID")) {
        request.getHeaders().putSingle("X-Correlation-ID", correlationId);
      }
      Context context = Context.current();
      if (!Tracing.agentAttached()) {
        String method = dev.lookout.filters.internal.metrics.HttpMethods.label(
            dev.lookout.filters.internal.metrics.HttpMethods.indexOf(request.getMethod()));
        URI uri = request.getUri();
        Span span =
            GlobalOpenTelemetry.getTracer("dev.lookout.jaxrs")
                .spanBuilder("_OTHER".equals(method) ? "HTTP" : method)
                .setSpanKind(SpanKind.CLIENT)
                .setParent(context)
                .setAttribute(METHOD, method)
                .setAttribute(SERVER_ADDRESS, uri.getHost() == null ? "" : uri.getHost())
                .setAttribute(SERVER_PORT, (long) (uri.getPort() > 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80))
                .setAttribute(URL_FULL, withoutQueryValues(uri))
                .startSpan();
        request.setProperty(SPAN, span);
        context = context.with(span);
      }
      GlobalOpenTelemetry.getPropagators()
          .getTextMapPropagator()
          .inject(context, request, (r, key, value) -> r.getHeaders().putSingle(key, value));
    } catch (RuntimeException | LinkageError e) {
      // fail-open: the call goes out without Lookout's headers
    }
  }

  @Override
  public void filter(ClientRequestContext request, ClientResponseContext response) {
    try {
      Object start = request.getProperty(START);
      if (!(start instanceof Long)) {
        return;
      }
      double seconds = (System.nanoTime() - (Long) start) / 1e9;
      String method = dev.lookout.filters.internal.metrics.HttpMethods.label(
          dev.lookout.filters.internal.metrics.HttpMethods.indexOf(request.getMethod()));
      String server = server(request.getUri());
      int status = response.getStatus();
      String key = method + ' ' + server + ' ' + status;
      DistributionDataPoint p = SERIES.get(key);
      if (p == null) {
        p = DURATION.labelValues(method, server, status >= 100 && status < 600 ? Integer.toString(status) : "UNKNOWN");
        if (SERIES.size() < 10_000) {
          SERIES.put(key, p);
        }
      }
      p.observe(seconds);
      Object span = request.getProperty(SPAN);
      if (span instanceof Span s) {
        s.setAttribute(STATUS, (long) status);
        if (status >= 400) {
          s.setAttribute(ERROR_TYPE, Integer.toString(status));
          s.setStatus(StatusCode.ERROR);
        }
        s.end();
      }
    } catch (RuntimeException | LinkageError e) {
      // fail-open
    }
  }

  /** The URL with query values dropped: they may be secrets and are unbounded. */
  static String withoutQueryValues(URI uri) {
    String s = uri.toString();
    int q = s.indexOf('?');
    return q < 0 ? s : s.substring(0, q);
  }

  /** host[:port], bounded: past 100 distinct servers, {@code OTHER}. */
  static String server(URI uri) {
    String host = uri.getHost();
    if (host == null) {
      return "UNKNOWN";
    }
    String s = uri.getPort() < 0 ? host : host + ':' + uri.getPort();
    if (SERVERS.containsKey(s)) {
      return s;
    }
    if (SERVERS.size() >= SERVER_LIMIT) {
      return "OTHER";
    }
    SERVERS.putIfAbsent(s, Boolean.TRUE);
    return s;
  }
}
