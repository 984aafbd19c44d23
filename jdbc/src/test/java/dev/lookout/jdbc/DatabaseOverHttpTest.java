package dev.lookout.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.core.LogEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A wrapped HikariCP pool over H2 in a real web application with Lookout, over real HTTP. */
class DatabaseOverHttpTest {

  static DbTestApp app;

  @BeforeAll
  static void start() throws Exception {
    System.setProperty("otel.traces.exporter", "memory");
    System.setProperty("otel.bsp.schedule.delay", "10");
    LogCapture.install();
    app =
        DbTestApp.start(
            "over-http",
            Map.of(
                "lookout.db.slow-threshold", "100ms",
                "lookout.db.repeated-query-threshold", "20",
                "lookout.db.transaction-spans", "true"));
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    System.clearProperty("otel.traces.exporter");
    System.clearProperty("otel.bsp.schedule.delay");
  }

  static final String SELECT_OK = "db_queries_total{operation=\"SELECT\",outcome=\"ok\",table=\"orders\"}";

  @Test
  void statementsAreCountedExactlyWithOperationAndTable() throws Exception {
    double before = app.metric(SELECT_OK);
    double histBefore = app.metric("db_query_duration_seconds_count{operation=\"SELECT\",table=\"orders\"}");
    HttpResponse<String> r = app.get("/orders?n=3");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("coffee\ntea\ncoffee\n");
    assertThat(app.metric(SELECT_OK)).isEqualTo(before + 3);
    assertThat(app.metric("db_query_duration_seconds_count{operation=\"SELECT\",table=\"orders\"}"))
        .isEqualTo(histBefore + 3);
    String metrics = app.metrics();
    assertThat(metrics)
        .contains("db_query_duration_seconds_bucket{operation=\"SELECT\",table=\"orders\",le=\"0.001\"}")
        .contains("db_query_duration_seconds_bucket{operation=\"SELECT\",table=\"orders\",le=\"10.0\"}")
        .contains("db_connections_active{pool=\"orders\"} 0.0")
        .contains("db_connections_max{pool=\"orders\"} 4.0")
        .contains("db_connection_wait_seconds_count{pool=\"orders\"}");
  }

  @Test
  void eachStatementIsAClientSpanUnderTheServerSpan() throws Exception {
    HttpResponse<String> r = app.get("/orders?n=2");
    String traceId = r.headers().firstValue("X-Request-ID").orElseThrow();
    List<SpanData> spans = spans(traceId, 3);
    SpanData server = spans.stream().filter(s -> s.getKind() == SpanKind.SERVER).findFirst().orElseThrow();
    List<SpanData> clients = spans.stream().filter(s -> s.getKind() == SpanKind.CLIENT).toList();
    assertThat(clients).hasSize(2);
    assertThat(server.getAttributes().get(AttributeKey.longKey("lookout.db.queries"))).isEqualTo(2L);
    assertThat(server.getAttributes().get(AttributeKey.doubleKey("lookout.db.time_ms"))).isPositive();
    // the access log line of the request says the same: the request's database time
    LogEvent access =
        LogCapture.raw("request_completed").stream()
            .filter(e -> traceId.equals(e.getContextData().getValue("request_id")))
            .findFirst()
            .orElseThrow();
    Map<String, String> fields = ((org.apache.logging.log4j.message.MapMessage<?, ?>) access.getMessage()).getData()
        .entrySet().stream().collect(java.util.stream.Collectors.toMap(e -> String.valueOf(e.getKey()), e -> String.valueOf(e.getValue())));
    assertThat(fields).containsEntry("db_queries", "2");
    double dbMs = Double.parseDouble(fields.get("db_time_ms"));
    assertThat(dbMs).isPositive().isLessThanOrEqualTo(Double.parseDouble(fields.get("duration_ms")));
    for (SpanData c : clients) {
      assertThat(c.getParentSpanId()).isEqualTo(server.getSpanId());
      assertThat(c.getName()).isEqualTo("SELECT orders");
      assertThat(c.getAttributes().get(AttributeKey.stringKey("db.system.name"))).isEqualTo("h2database");
      assertThat(c.getAttributes().get(AttributeKey.stringKey("db.operation.name"))).isEqualTo("SELECT");
      assertThat(c.getAttributes().get(AttributeKey.stringKey("db.collection.name"))).isEqualTo("orders");
      assertThat(c.getAttributes().get(AttributeKey.stringKey("db.query.text")))
          .isEqualTo("SELECT id, item FROM orders WHERE id = ?");
      assertThat(c.getAttributes().get(AttributeKey.stringKey("db.client.connection.pool.name"))).isEqualTo("orders");
      assertThat(c.getAttributes().asMap().keySet().stream().map(AttributeKey::getKey))
          .as("no bind values unless switched on")
          .noneMatch(k -> k.startsWith("db.query.parameter"));
      assertThat(c.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    }
  }

  @Test
  void batchesAreOneSpanAndRowsAffectedAreRecorded() throws Exception {
    HttpResponse<String> r = app.get("/write");
    assertThat(r.body()).isEqualTo("3 3");
    String traceId = r.headers().firstValue("X-Request-ID").orElseThrow();
    List<SpanData> spans = spans(traceId, 4);
    SpanData batch = spans.stream().filter(s -> s.getName().equals("BATCH INSERT orders")).findFirst().orElseThrow();
    assertThat(batch.getAttributes().get(AttributeKey.longKey("db.operation.batch.size"))).isEqualTo(3L);
    assertThat(batch.getAttributes().get(AttributeKey.stringKey("db.operation.name"))).isEqualTo("BATCH INSERT");
    assertThat(batch.getAttributes().get(AttributeKey.longKey("db.response.affected_rows"))).isEqualTo(3L);
    SpanData update = spans.stream().filter(s -> s.getName().equals("UPDATE orders")).findFirst().orElseThrow();
    assertThat(update.getAttributes().get(AttributeKey.longKey("db.response.affected_rows"))).isEqualTo(3L);
    assertThat(update.getAttributes().get(AttributeKey.stringKey("db.query.text")))
        .isEqualTo("UPDATE orders SET item = ? WHERE item LIKE ?");
    assertThat(spans).extracting(SpanData::getName).as("transaction spans are switched on here").contains("COMMIT");
  }

  @Test
  void anSqlExceptionIsCountedAsAnErrorWithItsSqlStateAndRethrownUnchanged() throws Exception {
    String series = "db_queries_total{operation=\"SELECT\",outcome=\"error\",table=\"missing_table\"}";
    double before = app.metric(series);
    HttpResponse<String> r = app.get("/error");
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(r.body()).isEqualTo("org.h2.jdbc.JdbcSQLSyntaxErrorException 42S02");
    assertThat(app.metric(series)).isEqualTo(before + 1);
    String traceId = r.headers().firstValue("X-Request-ID").orElseThrow();
    SpanData client =
        spans(traceId, 2).stream().filter(s -> s.getKind() == SpanKind.CLIENT).findFirst().orElseThrow();
    assertThat(client.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(client.getAttributes().get(AttributeKey.stringKey("error.type"))).isEqualTo("42");
    assertThat(client.getAttributes().get(AttributeKey.stringKey("db.response.status_code"))).isEqualTo("42S02");
    assertThat(client.getAttributes().get(AttributeKey.stringKey("db.query.text")))
        .isEqualTo("SELECT * FROM missing_table WHERE secret = ?")
        .doesNotContain("hunter2");
  }

  @Test
  void aSlowStatementLogsOneWarnThatSamplingKeeps() throws Exception {
    int before = LogCapture.events("slow_query").size();
    HttpResponse<String> r = app.get("/slow?ms=150");
    assertThat(r.statusCode()).isEqualTo(200);
    String requestId = r.headers().firstValue("X-Request-ID").orElseThrow();
    List<LogEvent> slow = LogCapture.raw("slow_query");
    assertThat(slow).hasSize(before + 1);
    LogEvent e = slow.get(slow.size() - 1);
    assertThat(e.getLevel().name()).isEqualTo("WARN");
    assertThat(e.getLoggerName()).isEqualTo("lookout.db");
    assertThat(e.getMarker()).isNotNull();
    assertThat(e.getMarker().getName()).isEqualTo("LOOKOUT_KEEP");
    assertThat(e.getContextData().<String>getValue("request_id")).isEqualTo(requestId);
    assertThat(e.getContextData().<String>getValue("trace_id")).isEqualTo(requestId);
    Map<String, String> fields = LogCapture.events("slow_query").get(before);
    assertThat(fields)
        .containsEntry("statement", "CALL SLEEP(?)")
        .containsEntry("operation", "CALL")
        .containsEntry("table", "")
        .containsEntry("pool", "orders");
    assertThat(Long.parseLong(fields.get("duration_ms"))).isGreaterThanOrEqualTo(150);
    // a fast statement logs nothing
    app.get("/orders");
    assertThat(LogCapture.events("slow_query")).hasSize(before + 1);
  }

  @Test
  void aStatementRepeatedMoreThanTheThresholdInOneRequestWarnsOnce() throws Exception {
    int before = LogCapture.events("db_repeated_query").size();
    app.get("/orders?n=20");
    assertThat(LogCapture.events("db_repeated_query")).as("20 is not more than 20").hasSize(before);
    HttpResponse<String> r = app.get("/orders?n=45");
    List<LogEvent> raw = LogCapture.raw("db_repeated_query");
    assertThat(raw).hasSize(before + 1);
    assertThat(raw.get(before).getContextData().<String>getValue("request_id"))
        .isEqualTo(r.headers().firstValue("X-Request-ID").orElseThrow());
    assertThat(LogCapture.events("db_repeated_query").get(before))
        .containsEntry("statement", "SELECT id, item FROM orders WHERE id = ?")
        .containsEntry("count", "21")
        .containsEntry("table", "orders");
  }

  static List<SpanData> spans(String traceId, int atLeast) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    List<SpanData> found = List.of();
    while (System.nanoTime() < deadline) {
      found =
          MemoryExporterProvider.SPANS.getFinishedSpanItems().stream()
              .filter(s -> s.getTraceId().equals(traceId))
              .toList();
      if (found.size() >= atLeast) {
        return found;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("expected " + atLeast + " spans in trace " + traceId + ", found " + found);
  }
}
