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
import org.apache.logging.log4j.ThreadContext;

/**
 * Outbound JAX-RS calls: carries the current request's {@code X-Request-ID} and {@code
 * X-Correlation-ID} to the next service, and records
 * {@code http_client_request_duration_seconds{method,server_address,status_code}}. Internal.
 */
@Priority(Priorities.HEADER_DECORATOR)
public final class ClientPropagationFilter implements ClientRequestFilter, ClientResponseFilter {

  private static final String START = "dev.lookout.client.start";
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
    } catch (RuntimeException | LinkageError e) {
      // fail-open
    }
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
