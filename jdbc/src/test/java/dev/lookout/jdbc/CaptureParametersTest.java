package dev.lookout.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bind values reach spans only when switched on. */
class CaptureParametersTest {

  static DbTestApp app;

  @BeforeAll
  static void start() throws Exception {
    System.setProperty("otel.traces.exporter", "memory");
    System.setProperty("otel.bsp.schedule.delay", "10");
    app = DbTestApp.start("capture", Map.of("lookout.db.capture-parameters", "true"));
  }

  @AfterAll
  static void stop() throws Exception {
    app.close();
    System.clearProperty("otel.traces.exporter");
    System.clearProperty("otel.bsp.schedule.delay");
  }

  @Test
  void switchedOnTheBindValuesAreSpanAttributes() throws Exception {
    HttpResponse<String> r = app.get("/orders?n=2");
    String traceId = r.headers().firstValue("X-Request-ID").orElseThrow();
    List<SpanData> queries =
        DatabaseOverHttpTest.spans(traceId, 3).stream().filter(s -> s.getName().equals("SELECT orders")).toList();
    assertThat(queries)
        .extracting(s -> s.getAttributes().get(AttributeKey.stringKey("db.query.parameter.0")))
        .containsExactlyInAnyOrder("1", "2");
    assertThat(queries).allSatisfy(s -> assertThat(s.getAttributes().get(AttributeKey.stringKey("db.query.text")))
        .isEqualTo("SELECT id, item FROM orders WHERE id = ?"));
  }
}
