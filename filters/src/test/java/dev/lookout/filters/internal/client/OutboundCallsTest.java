package dev.lookout.filters.internal.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.net.ConnectException;
import java.net.URI;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.ThreadContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OutboundCallsTest {

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final SdkTracerProvider tracerProvider =
      SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Histogram histogram = OutboundCalls.newDurationHistogram();

  private OutboundCalls calls(String requestIdHeader, String correlationIdHeader) {
    registry.register(histogram);
    return new OutboundCalls(
        requestIdHeader, correlationIdHeader, W3CTraceContextPropagator.getInstance(), tracerProvider.get("test"), histogram);
  }

  @AfterEach
  void clear() {
    ThreadContext.clearAll();
    tracerProvider.close();
  }

  @Test
  void writesTheConfiguredHeaderNamesAndTheClientSpansContext() {
    OutboundCalls calls = calls("X-Trace-Me", "X-Journey");
    ThreadContext.put("request_id", "req-1");
    ThreadContext.put("correlation_id", "corr-1");
    Map<String, String> headers = new HashMap<>();
    OutboundCalls.Call call = calls.start("GET", URI.create("http://payments:8080/charge?card=4111"), headers::put);
    assertThat(headers).containsEntry("X-Trace-Me", "req-1").containsEntry("X-Journey", "corr-1");
    assertThat(headers).doesNotContainKeys("X-Request-ID", "X-Correlation-ID");
    call.end(201);
    SpanData span = spans.getFinishedSpanItems().get(0);
    assertThat(headers.get("traceparent")).contains(span.getSpanId());
    assertThat(span.getName()).isEqualTo("GET");
    assertThat(span.getAttributes().asMap().toString()).doesNotContain("card=4111");
  }

  @Test
  void aCallThatFailsWithoutAResponseStillEndsItsSpanAndIsTimed() {
    OutboundCalls calls = calls("X-Request-ID", "X-Correlation-ID");
    Span parent = tracerProvider.get("test").spanBuilder("server").startSpan();
    try (Scope ignored = parent.makeCurrent()) {
      OutboundCalls.Call call = calls.start("POST", URI.create("http://127.0.0.1:1/"), (k, v) -> {});
      call.fail(new ConnectException("Connection refused"));
      call.end(200); // a late second end does not count twice
    } finally {
      parent.end();
    }
    SpanData client = spans.getFinishedSpanItems().get(0);
    assertThat(client.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(client.getAttributes().asMap().toString()).contains("java.net.ConnectException");
    assertThat(client.getParentSpanId()).isEqualTo(parent.getSpanContext().getSpanId());
    assertThat(countOf("POST", "127.0.0.1:1", "error")).isEqualTo(1);
    assertThat(countOf("POST", "127.0.0.1:1", "200")).isZero();
  }

  @Test
  void theServerLabelStaysWithinItsLimitUnderConcurrency() throws Exception {
    OutboundCalls calls = calls("X-Request-ID", "X-Correlation-ID");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch go = new CountDownLatch(1);
    Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    for (int t = 0; t < 8; t++) {
      int thread = t;
      pool.submit(() -> {
        go.await();
        for (int i = 0; i < 1_000; i++) {
          seen.add(calls.server(URI.create("http://host-" + thread + "-" + i + ":80/")));
        }
        return null;
      });
    }
    go.countDown();
    pool.shutdown();
    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    Set<String> real = new HashSet<>(seen);
    real.remove("OTHER");
    assertThat(real).hasSize(OutboundCalls.SERVER_LIMIT);
    assertThat(seen).contains("OTHER");
  }

  @Test
  void withoutMetricsAndTracingOnlyHeadersGoOut() {
    OutboundCalls headersOnly = new OutboundCalls("X-Request-ID", "X-Correlation-ID", null, null, null);
    ThreadContext.put("request_id", "req-9");
    Map<String, String> headers = new HashMap<>();
    headersOnly.start("GET", URI.create("http://a/"), headers::put).end(200);
    assertThat(headers).isEqualTo(Map.of("X-Request-ID", "req-9"));
    assertThat(spans.getFinishedSpanItems()).isEmpty();
  }

  private double countOf(String method, String server, String status) {
    for (MetricSnapshot s : registry.scrape()) {
      if (s instanceof HistogramSnapshot h) {
        for (HistogramSnapshot.HistogramDataPointSnapshot p : h.getDataPoints()) {
          if (method.equals(p.getLabels().get("method"))
              && server.equals(p.getLabels().get("server_address"))
              && status.equals(p.getLabels().get("status_code"))) {
            return p.getCount();
          }
        }
      }
    }
    return 0;
  }
}
