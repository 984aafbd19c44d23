package dev.lookout.filters;

import dev.lookout.filters.internal.LookoutRuntime;
import dev.lookout.filters.internal.client.OutboundCalls;
import java.net.http.HttpRequest;
import java.util.Objects;
import java.util.function.BiConsumer;

/**
 * Carries the current request's identity to the services it calls: the W3C {@code traceparent},
 * {@code tracestate} and {@code baggage} of the current trace context, and the request and
 * correlation IDs under the configured header names ({@code X-Request-ID} / {@code
 * X-Correlation-ID} by default). Outside a web application that Lookout observes, the header names
 * come from system properties and the environment and the trace context from the global
 * OpenTelemetry.
 *
 * <pre>{@code
 * HttpRequest call = OutboundHeaders.addTo(HttpRequest.newBuilder(uri)).GET().build();
 * }</pre>
 */
public final class OutboundHeaders {

  private OutboundHeaders() {}

  /** Adds the headers to a {@link java.net.http.HttpClient} request and returns the builder. */
  public static HttpRequest.Builder addTo(HttpRequest.Builder builder) {
    Objects.requireNonNull(builder, "builder");
    forEach(builder::setHeader);
    return builder;
  }

  /** Hands each header to {@code header} (for any other HTTP client); never throws. */
  public static void forEach(BiConsumer<String, String> header) {
    Objects.requireNonNull(header, "header");
    try {
      LookoutRuntime runtime = LookoutRuntime.current();
      (runtime != null ? runtime.outboundCalls() : OutboundCalls.standalone()).writeHeaders(header);
    } catch (RuntimeException | LinkageError e) {
      // fail-open: the call goes out without Lookout's headers
    }
  }
}
