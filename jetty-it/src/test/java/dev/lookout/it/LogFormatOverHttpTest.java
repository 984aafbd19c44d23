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
 * The example deployed with {@code LOOKOUT_LOG_FORMAT=ecs}: the setting is accepted at deployment
 * and the application's lines, access event included, carry ECS names with the request's fields.
 */
class LogFormatOverHttpTest {

  @Test
  void ecsIsAcceptedAndWritten() throws Exception {
    ObjectMapper json = new ObjectMapper();
    try (ForkedServer server =
        ForkedServer.start("format-ecs", List.of(
            "-Dlookout.log.format=ecs",
            "-Dlookout.log.sampling.info-rate=1",
            "-Dlookout.log.sampling.info-per-second=0"))) {
      HttpResponse<String> r =
          HttpClient.newHttpClient().send(
              HttpRequest.newBuilder(server.base().resolve("/api/checkout/1")).timeout(Duration.ofSeconds(30)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      String id = r.headers().firstValue("X-Request-ID").orElseThrow();
      List<JsonNode> mine = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (System.nanoTime() < deadline) {
        mine.clear();
        for (String line : server.stdoutLines()) {
          JsonNode n = json.readTree(line);
          if (id.equals(n.path("http.request.id").asText())) {
            mine.add(n);
          }
        }
        if (mine.stream().anyMatch(n -> n.path("log.logger").asText().equals("lookout.access"))) {
          break;
        }
        Thread.sleep(25);
      }
      JsonNode access = mine.stream().filter(n -> n.path("log.logger").asText().equals("lookout.access")).findFirst().orElseThrow();
      assertThat(access.path("ecs.version").asText()).isNotEmpty();
      assertThat(access.path("log.level").asText()).isEqualTo("INFO");
      assertThat(access.path("service.name").asText()).isEqualTo("orders");
      assertThat(access.path("trace.id").asText()).hasSize(32);
      assertThat(access.path("status").isIntegralNumber()).as(access.toString()).isTrue();
      JsonNode slf4j = mine.stream().filter(n -> n.path("log.logger").asText().equals("warehouse.slf4j")).findFirst().orElseThrow();
      assertThat(slf4j.path("quantity").isIntegralNumber()).isTrue();
      assertThat(slf4j.path("flow_id").asText()).startsWith("checkout-");
    }
  }
}
