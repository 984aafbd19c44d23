package dev.lookout.log4j2;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lookout.filters.internal.LookoutServletContextListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * lookout-filters and this module together, as in a WAR: a real Jetty, Lookout's listener, the
 * sampling filter and the JSON layout writing real lines. What each module tells the other goes
 * only through {@link RequestLogHooks}.
 */
class RequestSeamTest {

  static LogHarness logs;
  static Server server;
  static URI base;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    // the documented defaults: INFO of 10 % of requests, WARN of half; buffers on; no INFO cap
    logs = LogHarness.start("seam", Map.of(
        "t.infoRate", "0.1", "t.warnRate", "0.5", "t.requestBufferBytes", "65536", "t.totalBufferBytes", "16777216"));
    server = new Server(0);
    ServletContextHandler ctx = new ServletContextHandler("/app");
    // tracing on with its defaults: every trace sampled (always_on), no exporter
    ctx.addEventListener(new LookoutServletContextListener());
    Logger app = LogManager.getLogger("app");
    ctx.addServlet(new ServletHolder(new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
        app.info("hello");
      }
    }), "/hello");
    ctx.addServlet(new ServletHolder(new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
        app.info("about to fail quietly");
        resp.setStatus(503);
      }
    }), "/unavailable");
    ctx.addServlet(new ServletHolder(new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
        app.info("about to fail loudly");
        app.error("it failed", new IllegalStateException("boom"));
        resp.setStatus(500);
      }
    }), "/error");
    server.setHandler(ctx);
    server.start();
    base = URI.create("http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort() + "/app");
  }

  @AfterAll
  static void stop() throws Exception {
    server.stop();
    logs.close();
  }

  static String get(String path) throws Exception {
    HttpResponse<Void> r = HTTP.send(HttpRequest.newBuilder(base.resolve(base.getPath() + path)).build(), HttpResponse.BodyHandlers.discarding());
    return r.headers().firstValue("X-Request-ID").orElseThrow();
  }

  static List<JsonNode> linesOf(String requestId) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (JsonNode n : logs.lines()) {
      if (requestId.equals(n.path("request_id").asText())) {
        out.add(n);
      }
    }
    return out;
  }

  @Test
  void outOfTheBoxInfoIsSampledPerRequestAsDocumented() throws Exception {
    int requests = 1_000;
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      ids.add(get("/hello"));
    }
    Map<String, int[]> perRequest = new HashMap<>();
    for (String id : ids) {
      perRequest.put(id, new int[2]);
    }
    for (JsonNode n : logs.lines()) {
      int[] c = perRequest.get(n.path("request_id").asText());
      if (c != null) {
        c[n.path("logger").asText().equals("lookout.access") ? 1 : 0]++;
      }
    }
    int kept = 0;
    for (int[] c : perRequest.values()) {
      assertThat(c[0]).as("the app line and the access line of one request: both or neither").isEqualTo(c[1]);
      kept += c[0];
    }
    // binomial(1000, 0.1): mean ± 5 standard deviations
    assertThat(kept).isBetween(100 - 48, 100 + 48);
  }

  @Test
  void a5xxWithoutAnErrorWritesItsLinesBeforeItsAccessEvent() throws Exception {
    // A request in the INFO sample (1 in 10) writes its line at once; any other's is flushed as it
    // completes. Either way: both lines, in order. Of 8 requests, at least one is flushed (1 - 1e-8).
    int flushed = 0;
    for (int i = 0; i < 8; i++) {
      String id = get("/unavailable");
      List<JsonNode> lines = linesOf(id);
      assertThat(lines).extracting(n -> n.path("message").asText().isEmpty() ? n.path("event").asText() : n.path("message").asText())
          .containsExactly("about to fail quietly", "request_completed");
      assertThat(lines.get(1).path("status").asInt()).isEqualTo(503);
      flushed += lines.get(0).path("flushed").asText().equals("true") ? 1 : 0;
    }
    assertThat(flushed).isPositive();
  }

  @Test
  void anErrorWritesTheRequestsEarlierLinesFirstAndKeepsTheRest() throws Exception {
    String id = get("/error");
    List<JsonNode> lines = linesOf(id);
    assertThat(lines).extracting(n -> n.path("level").asText()).containsExactly("INFO", "ERROR", "INFO");
    assertThat(lines.get(0).path("message").asText()).isEqualTo("about to fail loudly");
    assertThat(lines.get(1).path("message").asText()).isEqualTo("it failed");
    assertThat(lines.get(2).path("event").asText()).isEqualTo("request_completed");
    assertThat(lines.get(2).path("status").asInt()).isEqualTo(500);
  }
}
