package dev.lookout.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The example's checkout is a flow: over HTTP, a completed and a failed checkout log their flow
 * events under one {@code flow_id}, the shipping thread's lines carry it, and {@code /metrics}
 * counts the flows and their steps.
 */
class FlowTest {

  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  final ObjectMapper json = new ObjectMapper();

  @Test
  void checkoutIsAFlowInLogsAndMetrics() throws Exception {
    try (ForkedServer server =
        ForkedServer.start("flow", List.of(
            "-Dlookout.log.level=DEBUG",
            "-Dlookout.log.sampling.info-rate=1",
            "-Dlookout.log.sampling.debug-rate=1",
            "-Dlookout.log.sampling.info-per-second=0",
            "-Dlookout.log.sampling.duplicate-window-seconds=0"))) {
      HttpResponse<String> ok = get(server, "/api/checkout/1");
      assertThat(ok.statusCode()).isEqualTo(200);
      String okRequest = ok.headers().firstValue("X-Request-ID").orElseThrow();
      HttpResponse<String> missing = get(server, "/api/checkout/999");
      assertThat(missing.statusCode()).isEqualTo(404);
      String failedRequest = missing.headers().firstValue("X-Request-ID").orElseThrow();

      List<JsonNode> okLines = linesOf(server, okRequest, "checkout_flow_completed");
      JsonNode started = message(okLines, "checkout_flow_started");
      String flowId = started.path("flow_id").asText();
      assertThat(flowId).matches("checkout-[0-9a-f]{8}");
      assertThat(started.path("order_id").isIntegralNumber()).isTrue();
      assertThat(okLines.stream().filter(n -> n.path("message").asText().equals("checkout_flow_step")).map(n -> n.path("step").asText()))
          .containsExactly("load_order", "reserve_stock", "ship");
      JsonNode completed = message(okLines, "checkout_flow_completed");
      assertThat(completed.path("flow_id").asText()).isEqualTo(flowId);
      assertThat(completed.path("duration_ms").isNumber()).isTrue();
      JsonNode shipped = okLines.stream().filter(n -> n.path("logger").asText().equals("warehouse.jcl")).findFirst().orElseThrow();
      assertThat(shipped.path("thread").asText()).as("shipping runs on its own thread").isEqualTo("example-shipping");
      assertThat(shipped.path("flow_id").asText()).isEqualTo(flowId);

      List<JsonNode> failedLines = linesOf(server, failedRequest, "checkout_flow_failed");
      JsonNode failed = message(failedLines, "checkout_flow_failed");
      assertThat(failed.path("level").asText()).isEqualTo("ERROR");
      assertThat(failed.path("last_step").asText()).isEqualTo("load_order");
      assertThat(failed.path("error_type").asText()).isEqualTo("jakarta.ws.rs.NotFoundException");
      assertThat(failed.path("flow_id").asText()).startsWith("checkout-").isNotEqualTo(flowId);

      MetricsText m = MetricsText.settled(() -> get(server, "/metrics").body());
      assertThat(m.value("flow_duration_seconds_count", "flow", "checkout", "outcome", "completed")).isEqualTo(1);
      assertThat(m.value("flow_duration_seconds_count", "flow", "checkout", "outcome", "failed")).isEqualTo(1);
      assertThat(m.value("flow_steps_total", "flow", "checkout", "step", "load_order")).isEqualTo(2);
      assertThat(m.value("flow_steps_total", "flow", "checkout", "step", "ship")).isEqualTo(1);
    }
  }

  private List<JsonNode> linesOf(ForkedServer server, String requestId, String until) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    List<JsonNode> lines = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      lines.clear();
      for (String line : server.stdoutLines()) {
        JsonNode n = json.readTree(line);
        if (requestId.equals(n.path("request_id").asText())) {
          lines.add(n);
        }
      }
      if (lines.stream().anyMatch(n -> n.path("message").asText().equals(until))) {
        return lines;
      }
      Thread.sleep(25);
    }
    throw new AssertionError("no " + until + " for request " + requestId + " in " + lines);
  }

  private static JsonNode message(List<JsonNode> lines, String message) {
    List<JsonNode> found = lines.stream().filter(n -> n.path("message").asText().equals(message)).toList();
    assertThat(found).as(message).hasSize(1);
    return found.get(0);
  }

  private HttpResponse<String> get(ForkedServer server, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(server.base().resolve(path)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
