package dev.lookout.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A real Prometheus (Debian's package, started here on loopback with a generated configuration)
 * scrapes the running example: the queries users and the shipped dashboard rely on return data, and
 * exemplars lead to trace IDs that are in the application's logs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PrometheusScrapeTest {

  static final String TOKEN = "prometheus-scrape-token-5e1b7c9d2a";

  ForkedServer app;
  /** The example with a management connector and a token, as docs/security.md sets it up. */
  ForkedServer secured;
  Process prometheus;
  URI prometheusUri;
  Path work;
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  final ObjectMapper json = new ObjectMapper();

  @BeforeAll
  void start() throws Exception {
    Path binary = Path.of("/usr/bin/prometheus");
    if (!Files.isExecutable(binary)) {
      throw new AssertionError("prometheus not found: apt-get install -y prometheus (.ci/run does)");
    }
    app =
        ForkedServer.start(
            "prometheus-target",
            List.of(
                "-Dlookout.log.force-header=" + AbstractContainerContractTest.FORCE_HEADER,
                "-Dlookout.log.force-token=" + AbstractContainerContractTest.FORCE_TOKEN));
    secured =
        ForkedServer.start(
            "prometheus-secured-target",
            List.of("-Dit.management-connector=true", "-Dlookout.endpoints.token=" + TOKEN));
    work = Files.createTempDirectory(Path.of(System.getProperty("it.work", "target")).toAbsolutePath(), "prometheus");
    Files.writeString(
        work.resolve("prometheus.yml"),
        "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
            + "scrape_configs:\n  - job_name: orders\n    metrics_path: /metrics\n    static_configs:\n"
            + "      - targets: ['127.0.0.1:" + app.base().getPort() + "']\n"
            + securedJob("orders-secured", secured.managementBase().getPort(), TOKEN)
            + securedJob("orders-wrong-token", secured.managementBase().getPort(), TOKEN + "x")
            + securedJob("orders-application-port", secured.base().getPort(), TOKEN));
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    prometheus =
        new ProcessBuilder(
                binary.toString(),
                "--config.file=" + work.resolve("prometheus.yml"),
                "--storage.tsdb.path=" + work.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--enable-feature=exemplar-storage")
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("prometheus.log").toFile())
            .start();
    prometheusUri = URI.create("http://127.0.0.1:" + port);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        if (http.send(HttpRequest.newBuilder(prometheusUri.resolve("/-/ready")).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          break;
        }
      } catch (java.io.IOException e) {
        // not listening yet
      }
      if (System.nanoTime() > deadline || !prometheus.isAlive()) {
        throw new AssertionError("prometheus did not start:\n" + Files.readString(work.resolve("prometheus.log")));
      }
      Thread.sleep(100);
    }
    traffic();
  }

  static String securedJob(String name, int port, String token) {
    return "  - job_name: " + name + "\n    metrics_path: /metrics\n"
        + "    authorization:\n      type: Bearer\n      credentials: " + token + "\n"
        + "    static_configs:\n      - targets: ['127.0.0.1:" + port + "']\n";
  }

  @AfterAll
  void stop() throws Exception {
    if (prometheus != null) {
      prometheus.destroy();
      if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
        prometheus.destroyForcibly();
      }
    }
    if (app != null) {
      app.close();
    }
    if (secured != null) {
      secured.close();
    }
  }

  /** A few seconds of varied requests, so that every panel has something to show. */
  void traffic() throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
    int i = 0;
    while (System.nanoTime() < end) {
      String path = switch (i++ % 8) {
        case 0 -> "/api/orders";
        case 1 -> "/api/orders/1";
        case 2 -> "/api/fail";
        case 3 -> "/api/orders/999999";
        case 4 -> "/health/ready";
        case 5 -> "/health";
        case 6 -> "/api/slow?ms=30";
        default -> "/no/such/page";
      };
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(app.base() + path));
      if (i % 3 == 0) {
        b.header(AbstractContainerContractTest.FORCE_HEADER, AbstractContainerContractTest.FORCE_TOKEN);
      }
      http.send(b.build(), HttpResponse.BodyHandlers.discarding());
    }
  }

  JsonNode query(String promql) throws Exception {
    String url = prometheusUri + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8);
    JsonNode body = json.readTree(http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body());
    assertThat(body.path("status").asText()).as("%s: %s", promql, body).isEqualTo("success");
    return body.path("data").path("result");
  }

  /** Polls until the query returns data (scrapes every second), bounded. */
  JsonNode awaitData(String promql) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    JsonNode r;
    do {
      r = query(promql);
      if (!r.isEmpty()) {
        return r;
      }
      Thread.sleep(250);
    } while (System.nanoTime() < deadline);
    return r;
  }

  @Test
  void prometheusScrapesTheExampleAndTheUsualQueriesAnswer() throws Exception {
    JsonNode up = awaitData("up{job=\"orders\"}");
    assertThat(up.get(0).path("value").get(1).asText()).isEqualTo("1");
    assertThat(awaitData("rate(http_requests_total[1m])")).isNotEmpty();
    JsonNode p99 = awaitData("histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[1m])))");
    assertThat(p99.get(0).path("value").get(1).asText()).isNotEqualTo("NaN");
    assertThat(awaitData("sum(rate(http_requests_total{status_code=~\"5..\"}[1m]))")).isNotEmpty();
  }

  @Test
  void theTokenOnTheManagementPortIsUpAndAWrongTokenOrTheApplicationPortIsDown() throws Exception {
    // "== 1": a single scrape may miss the 1 s timeout on a busy machine (the first one registers the JVM metrics)
    assertThat(awaitData("up{job=\"orders-secured\"} == 1")).as("the right token on the management port").isNotEmpty();
    assertThat(awaitData("http_requests_total{job=\"orders-secured\"}")).as("samples from the secured target").isNotEmpty();
    assertThat(awaitData("up{job=\"orders-wrong-token\"}").get(0).path("value").get(1).asText()).isEqualTo("0");
    assertThat(awaitData("up{job=\"orders-application-port\"}").get(0).path("value").get(1).asText()).isEqualTo("0");
    // down because Lookout answered 404 (not a timeout): Prometheus' own words for the last scrape
    for (String job : List.of("orders-wrong-token", "orders-application-port")) {
      String lastError = "";
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!lastError.contains("404") && System.nanoTime() < deadline) {
        JsonNode targets =
            json.readTree(http.send(HttpRequest.newBuilder(prometheusUri.resolve("/api/v1/targets")).build(), HttpResponse.BodyHandlers.ofString()).body());
        for (JsonNode t : targets.path("data").path("activeTargets")) {
          if (t.path("labels").path("job").asText().equals(job)) {
            lastError = t.path("lastError").asText();
          }
        }
        Thread.sleep(250);
      }
      assertThat(lastError).as(job).contains("404");
    }
    // Lookout counted both refusals, and logged the token nowhere
    String scrape =
        http.send(
                HttpRequest.newBuilder(URI.create(secured.managementBase() + "/metrics")).header("Authorization", "Bearer " + TOKEN).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    MetricsText m = MetricsText.parse(scrape);
    assertThat(m.value("lookout_endpoint_denied_total", "endpoint", "metrics", "reason", "token")).isGreaterThanOrEqualTo(1);
    assertThat(m.value("lookout_endpoint_denied_total", "endpoint", "metrics", "reason", "port")).isGreaterThanOrEqualTo(1);
    assertThat(secured.stdoutText() + secured.stderrText()).doesNotContain(TOKEN);
  }

  @Test
  void exemplarsLeadToTraceIdsThatAreInTheLogs() throws Exception {
    Set<String> exemplarTraces = new HashSet<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (exemplarTraces.isEmpty() && System.nanoTime() < deadline) {
      long now = System.currentTimeMillis() / 1000;
      String url = prometheusUri + "/api/v1/query_exemplars?query="
          + URLEncoder.encode("http_request_duration_seconds_bucket", StandardCharsets.UTF_8)
          + "&start=" + (now - 600) + "&end=" + (now + 60);
      JsonNode body = json.readTree(http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body());
      for (JsonNode series : body.path("data")) {
        for (JsonNode e : series.path("exemplars")) {
          exemplarTraces.add(e.path("labels").path("trace_id").asText());
        }
      }
      Thread.sleep(250);
    }
    assertThat(exemplarTraces).as("exemplars stored by Prometheus").isNotEmpty();
    Set<String> logged = new HashSet<>();
    for (String line : app.stdoutLines()) {
      JsonNode n = json.readTree(line);
      if (n.has("trace_id")) {
        logged.add(n.path("trace_id").asText());
      }
    }
    assertThat(exemplarTraces).as("an exemplar's trace ID in the JSON logs").containsAnyElementsOf(logged);
  }

  @Test
  void everyDashboardQueryReturnsData() throws Exception {
    List<String> queries = dashboardQueries(Path.of("..", "docs", "grafana", "lookout-dashboard.json"));
    assertThat(queries).hasSizeGreaterThan(20);
    List<String> empty = new ArrayList<>();
    for (String q : queries) {
      if (awaitData(q).isEmpty()) {
        empty.add(q);
      }
    }
    assertThat(empty).as("dashboard queries without data").isEmpty();
  }

  /** Panel expressions and template-variable selectors, with Grafana's variables made concrete. */
  static List<String> dashboardQueries(Path file) throws Exception {
    JsonNode root = new ObjectMapper().readTree(file.toFile());
    List<String> out = new ArrayList<>();
    List<JsonNode> stack = new ArrayList<>(List.of(root.path("panels")));
    while (!stack.isEmpty()) {
      JsonNode n = stack.remove(stack.size() - 1);
      if (n.isObject() && n.path("expr").isTextual()) {
        out.add(n.path("expr").asText());
      }
      n.elements().forEachRemaining(stack::add);
    }
    for (JsonNode v : root.path("templating").path("list")) {
      String q = v.path("query").path("query").asText("");
      if (q.startsWith("label_values(")) {
        out.add(q.substring("label_values(".length(), q.lastIndexOf(',')).trim());
      }
    }
    out.replaceAll(q -> q.replace("$__rate_interval", "1m").replace("$job", ".*").replace("$instance", ".*").replace("$service", ".*"));
    return out;
  }
}
