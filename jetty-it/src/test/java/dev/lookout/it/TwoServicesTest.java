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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two instances of the example on loopback, A's checkout calling B's orders API through the JAX-RS
 * client: one trace across both, B's SERVER span a child of A's CLIENT span, one request ID in both
 * services' JSON logs, and A's checkout flow ID in B's lines too (W3C baggage).
 */
class TwoServicesTest {

  @Test
  void oneTraceAndOneRequestIdAcrossTwoServices() throws Exception {
    ObjectMapper json = new ObjectMapper();
    try (OtlpReceiver receiver = new OtlpReceiver();
        ForkedServer b = ForkedServer.start("service-b", options(receiver, "orders-b", null))) {
      try (ForkedServer a = ForkedServer.start("service-a", options(receiver, "checkout-a", b.base() + "/api"))) {
        HttpResponse<String> r =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build()
                .send(
                    HttpRequest.newBuilder(URI.create(a.base() + "/api/checkout/1"))
                        .header("X-Request-ID", "two-services-1")
                        .header(AbstractContainerContractTest.FORCE_HEADER, AbstractContainerContractTest.FORCE_TOKEN)
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("coffee beans");

        List<OtlpReceiver.ReceivedSpan> spans = List.of();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
          spans = receiver.spans();
          // all three: A's server span ends last, and may come in a later export than the other two
          if (has(spans, "orders-b", Span.SpanKind.SPAN_KIND_SERVER)
              && has(spans, "checkout-a", Span.SpanKind.SPAN_KIND_CLIENT)
              && has(spans, "checkout-a", Span.SpanKind.SPAN_KIND_SERVER)) {
            break;
          }
          Thread.sleep(50);
        }
        OtlpReceiver.ReceivedSpan client =
            spans.stream().filter(s -> s.service().equals("checkout-a") && s.span().getKind() == Span.SpanKind.SPAN_KIND_CLIENT).findFirst().orElseThrow();
        OtlpReceiver.ReceivedSpan serverB =
            spans.stream().filter(s -> s.service().equals("orders-b") && s.span().getKind() == Span.SpanKind.SPAN_KIND_SERVER).findFirst().orElseThrow();
        OtlpReceiver.ReceivedSpan serverA =
            spans.stream().filter(s -> s.service().equals("checkout-a") && s.span().getKind() == Span.SpanKind.SPAN_KIND_SERVER).findFirst().orElseThrow();
        assertThat(serverB.traceId()).isEqualTo(serverA.traceId()).isEqualTo(client.traceId());
        assertThat(serverB.parentSpanId()).as("B's server span is a child of A's client span").isEqualTo(client.spanId());
        assertThat(client.parentSpanId()).isEqualTo(serverA.spanId());

        // one request ID in both services' logs, with the shared trace ID
        for (ForkedServer service : List.of(a, b)) {
          List<JsonNode> lines = new ArrayList<>();
          long logDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
          while (lines.stream().noneMatch(n -> n.path("event").asText().equals("request_completed")) && System.nanoTime() < logDeadline) {
            lines.clear();
            for (String line : service.stdoutLines()) {
              JsonNode n = json.readTree(line);
              if ("two-services-1".equals(n.path("request_id").asText())) {
                lines.add(n);
              }
            }
            Thread.sleep(25);
          }
          assertThat(lines).as("log lines of request two-services-1").isNotEmpty();
          assertThat(lines).allSatisfy(n -> assertThat(n.path("trace_id").asText()).isEqualTo(serverA.traceId()));
        }

        // one flow ID too: A's checkout flow, carried to B as W3C baggage
        String flowId = null;
        for (String line : a.stdoutLines()) {
          JsonNode n = json.readTree(line);
          if (n.path("message").asText().equals("checkout_flow_started")) {
            flowId = n.path("flow_id").asText();
          }
        }
        assertThat(flowId).as("A's checkout_flow_started").startsWith("checkout-");
        List<JsonNode> bLines = new ArrayList<>();
        for (String line : b.stdoutLines()) {
          JsonNode n = json.readTree(line);
          if ("two-services-1".equals(n.path("request_id").asText())) {
            bLines.add(n);
          }
        }
        String expected = flowId;
        assertThat(bLines).isNotEmpty().allSatisfy(n -> assertThat(n.path("flow_id").asText()).as(n.toString()).isEqualTo(expected));
      }
    }
  }

  private static List<String> options(OtlpReceiver receiver, String service, String ordersUrl) {
    List<String> o = new ArrayList<>(List.of(
        "-Dotel.service.name=" + service,
        "-Dotel.exporter.otlp.protocol=http/protobuf",
        "-Dotel.exporter.otlp.endpoint=" + receiver.endpoint(),
        "-Dotel.bsp.schedule.delay=50",
        "-Dlookout.log.force-header=" + AbstractContainerContractTest.FORCE_HEADER,
        "-Dlookout.log.force-token=" + AbstractContainerContractTest.FORCE_TOKEN));
    if (ordersUrl != null) {
      o.add("-Dexample.orders.url=" + ordersUrl);
    }
    return o;
  }

  private static boolean has(List<OtlpReceiver.ReceivedSpan> spans, String service, Span.SpanKind kind) {
    return spans.stream().anyMatch(s -> s.service().equals(service) && s.span().getKind() == kind);
  }
}
