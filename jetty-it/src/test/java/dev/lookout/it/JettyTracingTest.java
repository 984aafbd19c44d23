package dev.lookout.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Lookout's spans from the unchanged example WAR in Jetty, exported over OTLP/HTTP to a receiver on loopback. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JettyTracingTest {

  OtlpReceiver receiver;
  ForkedServer app;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final ObjectMapper json = new ObjectMapper();

  @BeforeAll
  void start() throws Exception {
    receiver = new OtlpReceiver();
    app =
        ForkedServer.start(
            "tracing",
            List.of(
                "-Dotel.exporter.otlp.protocol=http/protobuf",
                "-Dotel.exporter.otlp.endpoint=" + receiver.endpoint(),
                "-Dotel.bsp.schedule.delay=50",
                "-Dlookout.log.force-header=" + AbstractContainerContractTest.FORCE_HEADER,
                "-Dlookout.log.force-token=" + AbstractContainerContractTest.FORCE_TOKEN));
  }

  @AfterAll
  void stop() throws Exception {
    if (app != null) {
      app.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  static String newTraceId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return String.format("%016x%016x", r.nextLong() | 1, r.nextLong());
  }

  HttpResponse<String> get(String path, String traceId) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(app.base() + path))
            .header("traceparent", "00-" + traceId + "-b7ad6b7169203331-01")
            .header(AbstractContainerContractTest.FORCE_HEADER, AbstractContainerContractTest.FORCE_TOKEN)
            .timeout(Duration.ofSeconds(30))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  List<OtlpReceiver.ReceivedSpan> await(String traceId, Predicate<List<OtlpReceiver.ReceivedSpan>> done) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    List<OtlpReceiver.ReceivedSpan> mine = List.of();
    while (System.nanoTime() < deadline) {
      mine = receiver.spans().stream().filter(s -> s.traceId().equals(traceId)).toList();
      if (done.test(mine)) {
        return mine;
      }
      Thread.sleep(25);
    }
    return mine;
  }

  static String attr(Span s, String key) {
    for (KeyValue kv : s.getAttributesList()) {
      if (kv.getKey().equals(key)) {
        return kv.getValue().hasIntValue() ? Long.toString(kv.getValue().getIntValue()) : kv.getValue().getStringValue();
      }
    }
    return null;
  }

  @Test
  void aRequestWithTraceparentYieldsTheRightSpanLogsAndExemplar() throws Exception {
    String traceId = newTraceId();
    HttpResponse<String> r = get("/api/orders/1?token=secret-value", traceId);
    assertThat(r.statusCode()).isEqualTo(200);
    // the SERVER span and the CLIENT span of its query
    Span span =
        await(traceId, l -> l.stream().anyMatch(s -> s.span().getKind() == Span.SpanKind.SPAN_KIND_SERVER)).stream()
            .map(OtlpReceiver.ReceivedSpan::span)
            .filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_SERVER)
            .findFirst()
            .orElseThrow();
    assertThat(java.util.HexFormat.of().formatHex(span.getParentSpanId().toByteArray())).isEqualTo("b7ad6b7169203331");
    assertThat(span.getName()).isEqualTo("GET /api/orders/{id}");
    assertThat(attr(span, "http.route")).isEqualTo("/api/orders/{id}");
    assertThat(attr(span, "http.request.method")).isEqualTo("GET");
    assertThat(attr(span, "url.path")).isEqualTo("/api/orders/1");
    assertThat(attr(span, "url.query")).isEqualTo("token=[REDACTED]");
    assertThat(attr(span, "http.response.status_code")).isEqualTo("200");
    assertThat(span.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_UNSET);
    // the JSON log lines of the request
    List<JsonNode> lines = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (lines.stream().noneMatch(n -> n.path("event").asText().equals("request_completed")) && System.nanoTime() < deadline) {
      lines.clear();
      for (String line : app.stdoutLines()) {
        JsonNode n = json.readTree(line);
        if (traceId.equals(n.path("trace_id").asText())) {
          lines.add(n);
        }
      }
      Thread.sleep(25);
    }
    assertThat(lines).extracting(n -> n.path("request_id").asText()).containsOnly(traceId);
    assertThat(lines).anySatisfy(n -> assertThat(n.path("event").asText()).isEqualTo("request_completed"));
    // and an exemplar in the OpenMetrics output
    String om =
        http.send(
                HttpRequest.newBuilder(URI.create(app.base() + "/metrics"))
                    .header("Accept", "application/openmetrics-text; version=1.0.0")
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(om).contains("trace_id=\"" + traceId + "\"");
  }

  @Test
  void anExceptionMakesAnErrorSpanWithAnExceptionEvent() throws Exception {
    String traceId = newTraceId();
    assertThat(get("/api/fail", traceId).statusCode()).isEqualTo(500);
    Span span = await(traceId, l -> !l.isEmpty()).get(0).span();
    assertThat(span.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
    assertThat(span.getEventsList()).anySatisfy(e -> assertThat(e.getName()).isEqualTo("exception"));
    assertThat(attr(span, "error.type")).isNotEmpty();
    assertThat(span.getName()).isEqualTo("GET /api/fail");
  }

  @Test
  void asyncSpansLastTheirRealDuration() throws Exception {
    for (String path : List.of("/api/async?ms=300", "/async-servlet?ms=300")) {
      String traceId = newTraceId();
      assertThat(get(path, traceId).statusCode()).isEqualTo(200);
      Span span = await(traceId, l -> !l.isEmpty()).get(0).span();
      assertThat(TimeUnit.NANOSECONDS.toMillis(span.getEndTimeUnixNano() - span.getStartTimeUnixNano())).as(path).isGreaterThanOrEqualTo(300);
    }
  }

  @Test
  void aJaxRsClientCallIsAChildSpanOfTheCallersClientSpan() throws Exception {
    String traceId = newTraceId();
    assertThat(get("/api/checkout/1", traceId).statusCode()).isEqualTo(200);
    // checkout, its HTTP client call, orders, and the orders query
    List<OtlpReceiver.ReceivedSpan> spans = await(traceId, l -> l.size() >= 4);
    OtlpReceiver.ReceivedSpan checkout =
        spans.stream().filter(s -> s.span().getName().equals("GET /api/checkout/{id}")).findFirst().orElseThrow();
    OtlpReceiver.ReceivedSpan client =
        spans.stream()
            .filter(s -> s.span().getKind() == Span.SpanKind.SPAN_KIND_CLIENT && s.span().getName().startsWith("GET"))
            .findFirst()
            .orElseThrow();
    OtlpReceiver.ReceivedSpan orders =
        spans.stream().filter(s -> s.span().getName().equals("GET /api/orders/{id}")).findFirst().orElseThrow();
    assertThat(client.parentSpanId()).isEqualTo(checkout.spanId());
    assertThat(orders.parentSpanId()).isEqualTo(client.spanId());
    assertThat(attr(client.span(), "http.response.status_code")).isEqualTo("200");
  }

  @Test
  void eachQueryOfTheExampleIsAClientSpanUnderTheRequestsServerSpan() throws Exception {
    String traceId = newTraceId();
    assertThat(get("/api/orders/1", traceId).statusCode()).isEqualTo(200);
    List<OtlpReceiver.ReceivedSpan> spans = await(traceId, l -> l.size() >= 2);
    OtlpReceiver.ReceivedSpan server =
        spans.stream().filter(s -> s.span().getKind() == Span.SpanKind.SPAN_KIND_SERVER).findFirst().orElseThrow();
    OtlpReceiver.ReceivedSpan query =
        spans.stream().filter(s -> s.span().getKind() == Span.SpanKind.SPAN_KIND_CLIENT).findFirst().orElseThrow();
    assertThat(query.parentSpanId()).isEqualTo(server.spanId());
    assertThat(query.span().getName()).isEqualTo("SELECT orders");
    assertThat(attr(query.span(), "db.system.name")).isEqualTo("h2database");
    assertThat(attr(query.span(), "db.operation.name")).isEqualTo("SELECT");
    assertThat(attr(query.span(), "db.collection.name")).isEqualTo("orders");
    assertThat(attr(query.span(), "db.query.text")).isEqualTo("SELECT id, item, quantity FROM orders WHERE id = ?");
    assertThat(attr(server.span(), "lookout.db.queries")).isEqualTo("1");
    // the query histogram carries exemplars (a trace ID per bucket, kept a few seconds: any of this run's)
    HttpResponse<String> om =
        http.send(
            HttpRequest.newBuilder(URI.create(app.base() + "/metrics"))
                .header("Accept", "application/openmetrics-text; version=1.0.0")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(om.body().lines().filter(l -> l.startsWith("db_query_duration_seconds_bucket{")))
        .anyMatch(l -> l.contains("# {") && l.contains("trace_id=\""));
  }

  @Test
  void aFailingQueryIsAnErrorSpanWithItsSqlStateClass() throws Exception {
    String traceId = newTraceId();
    assertThat(get("/api/db/broken", traceId).statusCode()).isEqualTo(500);
    List<OtlpReceiver.ReceivedSpan> spans = await(traceId, l -> l.size() >= 2);
    OtlpReceiver.ReceivedSpan query =
        spans.stream().filter(s -> s.span().getKind() == Span.SpanKind.SPAN_KIND_CLIENT).findFirst().orElseThrow();
    assertThat(query.span().getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
    assertThat(attr(query.span(), "error.type")).isEqualTo("42");
    assertThat(attr(query.span(), "db.query.text")).isEqualTo("SELECT * FROM invoices WHERE customer = ?");
  }
}
