package dev.lookout.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Everything the example's process writes, stdout and stderr, from start to shutdown — Jersey's own
 * java.util.logging warnings, a failing request, a library logging through JUL, SLF4J and Commons
 * Logging, Jetty's own lines — is one JSON object per line, and a failed request's stack trace is
 * one field of one event.
 */
class WholeOutputJsonTest {

  private static final ObjectMapper STRICT = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void everyLineOfTheProcessIsOneJsonObject() throws Exception {
    String failedId;
    String checkoutId;
    ForkedServer server =
        ForkedServer.start(
            "whole-output",
            List.of(
                // keep every event: this test counts them
                "-Dlookout.log.sampling.info-rate=1",
                "-Dlookout.log.sampling.warn-rate=1",
                "-Dlookout.log.sampling.info-per-second=0",
                "-Dlookout.log.sampling.duplicate-window-seconds=0"));
    Path out = Path.of(System.getProperty("it.work", "target/it-work"), "whole-output.stdout.log");
    Path err = Path.of(System.getProperty("it.work", "target/it-work"), "whole-output.stderr.log");
    try (server) {
      HttpResponse<String> failed = get(server, "/api/fail");
      assertThat(failed.statusCode()).isEqualTo(500);
      failedId = failed.headers().firstValue("X-Request-ID").orElseThrow();
      HttpResponse<String> checkout = get(server, "/api/checkout/1");
      assertThat(checkout.statusCode()).isEqualTo(200);
      checkoutId = checkout.headers().firstValue("X-Request-ID").orElseThrow();
    } // stops the process: its shutdown lines are read below too

    List<JsonNode> stdout = parseEveryLine(out);
    List<JsonNode> stderr = parseEveryLine(err);
    assertThat(stderr).as("the launcher's own lines").anyMatch(n -> n.path("message").asText().startsWith("LISTENING "));

    // Jersey's own java.util.logging warning at start-up, routed into the application's JSON
    assertThat(stdout).anyMatch(n -> n.path("logger").asText().startsWith("org.glassfish.jersey") && n.path("level").asText().equals("WARN"));

    // the failed request: one event with the stack trace, in the whole output
    List<JsonNode> withTrace = new ArrayList<>();
    for (JsonNode n : concat(stdout, stderr)) {
      if (n.toString().contains("the example fails on purpose") && n.toString().contains("\\tat ")) {
        withTrace.add(n);
      }
    }
    assertThat(withTrace).as("events carrying the failed request's stack trace").hasSize(1);
    JsonNode failure = withTrace.get(0);
    assertThat(failure.path("level").asText()).isEqualTo("ERROR");
    assertThat(failure.path("request_id").asText()).isEqualTo(failedId);
    assertThat(failure.path("error").path("stack_trace").asText()).contains("IllegalStateException").contains("\n\tat ");

    // a library's lines through each API, with the request's fields, typed where the API is typed
    JsonNode slf4j = one(stdout, "warehouse.slf4j", checkoutId);
    assertThat(slf4j.path("message").asText()).isEqualTo("stock_reserved");
    assertThat(slf4j.path("quantity").isIntegralNumber()).as(slf4j.toString()).isTrue();
    assertThat(slf4j.path("order_id").asLong()).isEqualTo(1);
    JsonNode jul = one(stdout, "warehouse.jul", checkoutId);
    assertThat(jul.path("level").asText()).isEqualTo("WARN");
    assertThat(jul.path("message").asText()).isEqualTo("stock low after reserving for order 1: 2 left");
    JsonNode jcl = one(stdout, "warehouse.jcl", checkoutId);
    assertThat(jcl.path("message").asText()).isEqualTo("parcel booked for order 1");
    assertThat(jcl.path("trace_id").asText()).isNotEmpty();
  }

  private static JsonNode one(List<JsonNode> lines, String logger, String requestId) {
    List<JsonNode> found =
        lines.stream().filter(n -> n.path("logger").asText().equals(logger) && n.path("request_id").asText().equals(requestId)).toList();
    assertThat(found).as("%s lines of request %s", logger, requestId).hasSize(1);
    return found.get(0);
  }

  private static List<JsonNode> parseEveryLine(Path file) throws Exception {
    List<JsonNode> nodes = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      JsonNode n;
      try {
        n = STRICT.readTree(line);
      } catch (Exception e) {
        throw new AssertionError(file.getFileName() + ": not one JSON object: " + line, e);
      }
      assertThat(n != null && n.isObject()).as("%s: %s", file.getFileName(), line).isTrue();
      nodes.add(n);
    }
    assertThat(nodes).as(file.getFileName().toString()).isNotEmpty();
    return nodes;
  }

  private static List<JsonNode> concat(List<JsonNode> a, List<JsonNode> b) {
    List<JsonNode> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private HttpResponse<String> get(ForkedServer server, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(server.base().resolve(path)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
