package dev.lookout.filters;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.context.Context;
import java.net.http.HttpRequest;
import java.util.Objects;
import java.util.function.BiConsumer;
import org.apache.logging.log4j.ThreadContext;

/**
 * Carries the current request's identity to the services it calls: W3C {@code traceparent},
 * {@code tracestate} and {@code baggage} from the current trace context, and {@code X-Request-ID}
 * / {@code X-Correlation-ID} from the log context.
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
      GlobalOpenTelemetry.getPropagators()
          .getTextMapPropagator()
          .inject(Context.current(), header, (carrier, key, value) -> carrier.accept(key, value));
    } catch (RuntimeException | LinkageError e) {
      // no tracing here: the IDs below still go out
    }
    String requestId = ThreadContext.get("request_id");
    if (requestId != null) {
      header.accept("X-Request-ID", requestId);
    }
    String correlationId = ThreadContext.get("correlation_id");
    if (correlationId != null) {
      header.accept("X-Correlation-ID", correlationId);
    }
  }
}
