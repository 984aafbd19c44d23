package dev.lookout.filters.internal.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SERVER spans from Lookout's SDK, configured by otel.* properties, over real HTTP. */
class TracingOverHttpTest {

  static dev.lookout.filters.internal.TestAppHandle app;
  static final HttpClient http = HttpClient.newHttpClient();
  static final List<LogEvent> events = new CopyOnWriteArrayList<>();
  static LoggerContext loggerContext;

  @BeforeAll
  static void start() throws Exception {
    System.setProperty("otel.traces.exporter", "memory");
    System.setProperty("otel.bsp.schedule.delay", "10");
    loggerContext = (LoggerContext) LogManager.getContext(false);
    AbstractAppender capture =
        new AbstractAppender("capture-tracing", null, null, true, Property.EMPTY_ARRAY) {
          @Override
          public void append(LogEvent event) {
            events.add(event.toImmutable());
          }
        };
    capture.start();
    loggerContext.getConfiguration().addAppender(capture);
    loggerContext.getConfiguration().getRootLogger().addAppender(capture, null, null);
    loggerContext.updateLoggers();
    app = dev.lookout.filters.internal.TestAppHandle.start(Map.of());
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    System.clearProperty("otel.traces.exporter");
    System.clearProperty("otel.bsp.schedule.delay");
  }

  static HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(app.base() + path)).timeout(Duration.ofSeconds(20));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static SpanData spanOf(String traceId) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      for (SpanData s : MemoryExporterProvider.SPANS.getFinishedSpanItems()) {
        if (s.getTraceId().equals(traceId) && s.getKind() == SpanKind.SERVER) {
          return s;
        }
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no SERVER span with trace " + traceId);
  }

  @Test
  void incomingTraceparentIsTheParentAndTheSpanDescribesTheRequest() throws Exception {
    String traceId = "4bf92f3577b34da6a3ce929d0e0e" + String.format("%04x", (int) (System.nanoTime() & 0xffff));
    String parentSpan = "00f067aa0ba902b7";
    HttpResponse<String> r = get("/hello?token=s3cret&page=1", "traceparent", "00-" + traceId + "-" + parentSpan + "-01", "User-Agent", "lookout-test/1.0");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).as("the span is current while the application runs").isEqualTo(traceId);
    assertThat(r.headers().firstValue("X-Request-ID")).as("request ID is the trace ID").hasValue(traceId);
    SpanData span = spanOf(traceId);
    assertThat(span.getParentSpanId()).isEqualTo(parentSpan);
    assertThat(span.getName()).isEqualTo("GET /hello");
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(span.getAttributes().get(AttributeKey.stringKey("http.request.method"))).isEqualTo("GET");
    assertThat(span.getAttributes().get(AttributeKey.stringKey("url.path"))).isEqualTo("/app/hello");
    assertThat(span.getAttributes().get(AttributeKey.stringKey("url.query"))).isEqualTo("token=[REDACTED]&page=1");
    assertThat(span.getAttributes().get(AttributeKey.stringKey("url.scheme"))).isEqualTo("http");
    assertThat(span.getAttributes().get(AttributeKey.stringKey("http.route"))).isEqualTo("/hello");
    assertThat(span.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(200L);
    assertThat(span.getAttributes().get(AttributeKey.stringKey("server.address"))).isEqualTo("127.0.0.1");
    assertThat(span.getAttributes().get(AttributeKey.longKey("server.port"))).isEqualTo((long) app.base().getPort());
    assertThat(span.getAttributes().get(AttributeKey.stringKey("client.address"))).isEqualTo("127.0.0.1");
    assertThat(span.getAttributes().get(AttributeKey.stringKey("user_agent.original"))).isEqualTo("lookout-test/1.0");
    assertThat(span.getAttributes().get(AttributeKey.stringKey("network.protocol.version"))).isEqualTo("1.1");
    assertThat(span.getResource().getAttribute(AttributeKey.stringKey("service.name"))).isEqualTo("app");
    // the log lines of the request carry the same trace
    assertThat(events)
        .filteredOn(e -> traceId.equals(e.getContextData().getValue("trace_id")))
        .extracting(LogEvent::getLoggerName)
        .contains("app", "lookout.access");
    assertThat(events)
        .filteredOn(e -> traceId.equals(e.getContextData().getValue("trace_id")))
        .allSatisfy(e -> {
          assertThat(e.getContextData().<String>getValue("span_id")).isEqualTo(span.getSpanId());
          assertThat(e.getContextData().<String>getValue("trace_flags")).isEqualTo("01");
        });
    // and the latency histogram has an exemplar pointing at it (OpenMetrics only); a route of its
    // own, as an exemplar is kept a few seconds per bucket
    get("/exemplar", "traceparent", "00-" + traceId + "-" + parentSpan + "-01");
    HttpResponse<String> om = get("/metrics", "Accept", "application/openmetrics-text; version=1.0.0");
    assertThat(om.body())
        .containsPattern("http_request_duration_seconds_bucket\\{endpoint=\"/exemplar\".*# \\{span_id=\"[0-9a-f]{16}\",trace_id=\"" + traceId + "\"\\}");
  }

  @Test
  void exceptionsMakeTheSpanAnError() throws Exception {
    String traceId = "5bf92f3577b34da6a3ce929d0e0e" + String.format("%04x", (int) (System.nanoTime() & 0xffff));
    HttpResponse<String> r = get("/boom", "traceparent", "00-" + traceId + "-00f067aa0ba902b7-01");
    assertThat(r.statusCode()).isEqualTo(500);
    SpanData span = spanOf(traceId);
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(span.getAttributes().get(AttributeKey.stringKey("error.type"))).isEqualTo("java.lang.IllegalStateException");
    assertThat(span.getEvents()).anySatisfy(e -> assertThat(e.getName()).isEqualTo("exception"));
    assertThat(span.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(500L);
  }

  @Test
  void clientErrorsLeaveTheStatusUnsetAndUnknownRoutesOutOfTheName() throws Exception {
    String t1 = "6bf92f3577b34da6a3ce929d0e0e" + String.format("%04x", (int) (System.nanoTime() & 0xffff));
    get("/bad", "traceparent", "00-" + t1 + "-00f067aa0ba902b7-01");
    SpanData bad = spanOf(t1);
    assertThat(bad.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    assertThat(bad.getAttributes().get(AttributeKey.longKey("http.response.status_code"))).isEqualTo(400L);
    String t2 = "7bf92f3577b34da6a3ce929d0e0e" + String.format("%04x", (int) (System.nanoTime() & 0xffff));
    get("/no/such/path/12345", "traceparent", "00-" + t2 + "-00f067aa0ba902b7-01");
    SpanData missing = spanOf(t2);
    assertThat(missing.getName()).isEqualTo("GET");
    assertThat(missing.getAttributes().get(AttributeKey.stringKey("http.route"))).isNull();
  }

  @Test
  void asyncSpansLastUntilTheRealCompletion() throws Exception {
    String traceId = "8bf92f3577b34da6a3ce929d0e0e" + String.format("%04x", (int) (System.nanoTime() & 0xffff));
    get("/async?ms=300", "traceparent", "00-" + traceId + "-00f067aa0ba902b7-01");
    SpanData span = spanOf(traceId);
    assertThat(TimeUnit.NANOSECONDS.toMillis(span.getEndEpochNanos() - span.getStartEpochNanos())).isGreaterThanOrEqualTo(300);
    assertThat(MemoryExporterProvider.SPANS.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId))).hasSize(1);
  }

  @Test
  void withoutIncomingContextANewTraceStartsAndTheRequestIdIsItsId() throws Exception {
    HttpResponse<String> r = get("/hello");
    String id = r.headers().firstValue("X-Request-ID").orElseThrow();
    assertThat(id).matches("[0-9a-f]{32}").isEqualTo(r.body());
    SpanData span = spanOf(id);
    assertThat(span.getParentSpanContext().isValid()).isFalse();
  }
}
