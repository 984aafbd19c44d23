package dev.lookout.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The unchanged example under the real OpenTelemetry Java agent, in a forked JVM: Lookout creates
 * no SDK and no second server span, enriches the agent's span, and gives logs and metrics the
 * agent's trace IDs.
 */
class AgentCoexistenceTest {

  @Test
  void exactlyOneServerSpanPerRequestAndItIsTheAgents() throws Exception {
    try (OtlpReceiver receiver = new OtlpReceiver();
        ForkedServer app =
            ForkedServer.start(
                "agent",
                List.of(
                    "-javaagent:" + System.getProperty("it.agent.jar"),
                    "-Dotel.service.name=orders-under-agent",
                    "-Dotel.traces.exporter=otlp",
                    "-Dotel.exporter.otlp.protocol=http/protobuf",
                    "-Dotel.exporter.otlp.endpoint=" + receiver.endpoint(),
                    "-Dotel.metrics.exporter=none",
                    "-Dotel.logs.exporter=none",
                    "-Dotel.bsp.schedule.delay=50",
                    "-Dotel.javaagent.logging=none",
                    "-Dlookout.log.force-header=" + AbstractContainerContractTest.FORCE_HEADER,
                    "-Dlookout.log.force-token=" + AbstractContainerContractTest.FORCE_TOKEN))) {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      String traceId = "3af7651916cd43dd8448eb211c80319c";
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(app.base() + "/api/orders/1"))
                  .header("traceparent", "00-" + traceId + "-b7ad6b7169203331-01")
                  .header(AbstractContainerContractTest.FORCE_HEADER, AbstractContainerContractTest.FORCE_TOKEN)
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("X-Request-ID")).as("request ID from the agent's trace").hasValue(traceId);

      List<OtlpReceiver.ReceivedSpan> server = List.of();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline) {
        server =
            receiver.spans().stream()
                .filter(s -> s.traceId().equals(traceId) && s.span().getKind() == Span.SpanKind.SPAN_KIND_SERVER)
                .toList();
        if (!server.isEmpty()) {
          Thread.sleep(500); // a second SERVER span, if any, would be exported with the first
          server =
              receiver.spans().stream()
                  .filter(s -> s.traceId().equals(traceId) && s.span().getKind() == Span.SpanKind.SPAN_KIND_SERVER)
                  .toList();
          break;
        }
        Thread.sleep(50);
      }
      assertThat(server).as("SERVER spans of the trace").hasSize(1);
      OtlpReceiver.ReceivedSpan span = server.get(0);
      assertThat(span.scope()).as("instrumentation scope").startsWith("io.opentelemetry.");
      assertThat(span.service()).isEqualTo("orders-under-agent");
      assertThat(span.parentSpanId()).isEqualTo("b7ad6b7169203331");
      // the agent names its span and sets http.route from one template: Lookout leaves both alone
      String route =
          span.span().getAttributesList().stream()
              .filter(kv -> kv.getKey().equals("http.route"))
              .map(kv -> kv.getValue().getStringValue())
              .findFirst()
              .orElseThrow();
      assertThat(route).startsWith("/api/orders/{id");
      assertThat(span.span().getName()).isEqualTo("GET " + route);
      assertThat(receiver.spans()).noneMatch(s -> s.scope().startsWith("dev.lookout"));
      // the agent instruments JDBC itself: its one CLIENT span for the query, none of Lookout's
      assertThat(
              receiver.spans().stream()
                  .filter(s -> s.traceId().equals(traceId) && s.span().getKind() == Span.SpanKind.SPAN_KIND_CLIENT)
                  .toList())
          .as("CLIENT spans of the query")
          .hasSize(1)
          .allSatisfy(s -> assertThat(s.scope()).startsWith("io.opentelemetry."));

      // logs carry the agent's IDs
      ObjectMapper json = new ObjectMapper();
      JsonNode access = null;
      long logDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (access == null && System.nanoTime() < logDeadline) {
        for (String line : app.stdoutLines()) {
          if (line.startsWith("{")) {
            JsonNode n = json.readTree(line);
            if (n.path("event").asText().equals("request_completed") && traceId.equals(n.path("trace_id").asText())) {
              access = n;
            }
          }
        }
        Thread.sleep(50);
      }
      assertThat(access).as("access log line with the agent's trace ID").isNotNull();
      assertThat(access.path("span_id").asText()).isEqualTo(span.spanId());
      assertThat(access.path("endpoint").asText()).isEqualTo("/api/orders/{id}");
      assertThat(access.path("db_queries").asInt()).as("Lookout still counts the request's queries").isEqualTo(1);

      // and the latency histogram's exemplar points at the agent's trace
      HttpResponse<String> om =
          http.send(
              HttpRequest.newBuilder(URI.create(app.base() + "/metrics"))
                  .header("Accept", "application/openmetrics-text; version=1.0.0")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(om.body()).contains("trace_id=\"" + traceId + "\"");
      assertThat(om.body()).contains("db_queries_total{operation=\"SELECT\",outcome=\"ok\",table=\"orders\"}");
    }
  }
}
