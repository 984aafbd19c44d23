package dev.lookout.filters.internal.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.filters.OutboundHeaders;
import dev.lookout.filters.internal.TestAppHandle;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.apache.logging.log4j.ThreadContext;
import org.junit.jupiter.api.Test;

class TracingOffTest {

  @Test
  void switchedOffThereAreNoSpansAndIdsAreRandom() throws Exception {
    try (TestAppHandle app = TestAppHandle.start(Map.of("lookout.tracing.enabled", "false"))) {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(app.base() + "/hello"))
                      .header("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.body()).as("no current span in the application").isEqualTo("00000000000000000000000000000000");
      assertThat(r.headers().firstValue("X-Request-ID").orElseThrow())
          .matches("[0-9a-f]{32}")
          .isNotEqualTo("0af7651916cd43dd8448eb211c80319c");
    }
  }

  @Test
  void outboundHeadersReachARealServerWithTheCurrentTrace() throws Exception {
    java.util.List<java.util.Map<String, String>> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    com.sun.net.httpserver.HttpServer callee =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    callee.createContext("/", exchange -> {
      Map<String, String> h = new HashMap<>();
      exchange.getRequestHeaders().forEach((k, v) -> h.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
      seen.add(h);
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    callee.start();
    io.opentelemetry.sdk.trace.SdkTracerProvider provider =
        io.opentelemetry.sdk.trace.SdkTracerProvider.builder()
            .addSpanProcessor(io.opentelemetry.sdk.trace.export.SimpleSpanProcessor.create(
                io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter.create()))
            .build();
    io.opentelemetry.api.trace.Span span = provider.get("test").spanBuilder("caller").startSpan();
    ThreadContext.put("request_id", "req-9");
    try (io.opentelemetry.context.Scope ignored = span.makeCurrent()) {
      // GlobalOpenTelemetry may be set by another test of this JVM; W3C propagation is what matters
      io.opentelemetry.api.GlobalOpenTelemetry.resetForTest();
      io.opentelemetry.api.GlobalOpenTelemetry.set(
          io.opentelemetry.sdk.OpenTelemetrySdk.builder()
              .setPropagators(io.opentelemetry.context.propagation.ContextPropagators.create(
                  io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator.getInstance()))
              .build());
      HttpRequest request =
          OutboundHeaders.addTo(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + callee.getAddress().getPort() + "/charge")))
              .GET()
              .build();
      assertThat(HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(204);
    } finally {
      ThreadContext.clearMap();
      span.end();
      callee.stop(0);
      io.opentelemetry.api.GlobalOpenTelemetry.resetForTest();
    }
    assertThat(seen).hasSize(1);
    assertThat(seen.get(0)).containsEntry("x-request-id", "req-9");
    // flags: sampled, and (W3C level 2) random trace ID
    assertThat(seen.get(0).get("traceparent"))
        .startsWith("00-" + span.getSpanContext().getTraceId() + "-" + span.getSpanContext().getSpanId() + "-");
  }

  @Test
  void outboundHeadersCarryTheIdsOfTheCurrentRequest() {
    ThreadContext.put("request_id", "req-1");
    ThreadContext.put("correlation_id", "corr-1");
    try {
      Map<String, String> headers = new HashMap<>();
      OutboundHeaders.forEach(headers::put);
      assertThat(headers).containsEntry("X-Request-ID", "req-1").containsEntry("X-Correlation-ID", "corr-1");
      HttpRequest built = OutboundHeaders.addTo(HttpRequest.newBuilder(URI.create("http://127.0.0.1:1/"))).build();
      assertThat(built.headers().firstValue("X-Request-ID")).hasValue("req-1");
    } finally {
      ThreadContext.clearMap();
    }
  }
}
