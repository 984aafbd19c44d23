package dev.lookout.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What Lookout promises in any container, tested over real HTTP against the unchanged example WAR.
 * A container's test is a subclass that says how to deploy it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractContainerContractTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static final int ENDPOINT_LIMIT = 100;

  /**
   * Log sampling keeps a tenth of requests at INFO; tests that read a request's log lines ask for
   * all of them with the force-logging header, configured for every deployment under test.
   */
  static final String FORCE_HEADER = "X-Lookout-Log-All";
  static final String FORCE_TOKEN = "it-force-token-0123456789";
  static final Map<String, String> TEST_SETTINGS =
      Map.of(
          "lookout.log.force-header", FORCE_HEADER,
          "lookout.log.force-token", FORCE_TOKEN,
          // A sampled trace keeps all its logs: sample a tenth of new traces, as in production.
          "otel.traces.sampler", "parentbased_traceidratio",
          "otel.traces.sampler.arg", "0.1");

  /**
   * HTTP/1.1 only: the JDK client's default h2c upgrade attempts, together with its retry of
   * idempotent requests, can deliver one GET twice, and these tests count exactly.
   */
  final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  Deployment app;

  /**
   * Whether the container keeps response headers when an unhandled exception becomes its 500 page.
   * Undertow (WildFly) resets the response, so such a 500 carries no {@code X-Request-ID}; the
   * request's log lines still do.
   */
  protected boolean keepsHeadersOnUnhandledException() {
    return true;
  }

  /** Deploys the example WAR with these extra JVM system properties (always including {@link #TEST_SETTINGS}). */
  protected abstract Deployment deploy(String name, Map<String, String> systemProperties) throws Exception;

  private Deployment deployWithTestSettings(String name, Map<String, String> extra) throws Exception {
    Map<String, String> all = new java.util.HashMap<>(TEST_SETTINGS);
    all.putAll(extra);
    return deploy(name, all);
  }

  @BeforeAll
  void deployExample() throws Exception {
    app = deployWithTestSettings(getClass().getSimpleName(), Map.of());
  }

  @AfterAll
  void undeploy() throws Exception {
    if (secured != null) {
      secured.close();
    }
    if (app != null) {
      app.close();
    }
  }

  // ---- helpers ----------------------------------------------------------------------------------

  /** A GET whose log lines are all written (force-logging header). */
  HttpResponse<String> get(String path, String... headers) throws Exception {
    String[] all = java.util.Arrays.copyOf(headers, headers.length + 2);
    all[headers.length] = FORCE_HEADER;
    all[headers.length + 1] = FORCE_TOKEN;
    return send(app, "GET", path, null, all);
  }

  /** A GET as any client sends it: its log lines are sampled. */
  HttpResponse<String> plainGet(String path, String... headers) throws Exception {
    return send(app, "GET", path, null, headers);
  }

  HttpResponse<String> send(Deployment d, String method, String path, String body, String... headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(d.base() + path))
            .timeout(Duration.ofSeconds(30))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  MetricsText metrics() throws Exception {
    HttpResponse<String> r = get("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    return MetricsText.parse(r.body());
  }

  /**
   * A scrape taken once every earlier request is recorded. A client can see its response before
   * the server has finished recording it; Lookout decrements the in-progress gauge last, so "only
   * this scrape in progress" means the counters are complete.
   */
  MetricsText settledMetrics() throws Exception {
    return MetricsText.settled(() -> get("/metrics").body());
  }

  /** The JSON log lines, parsed; a line that is not one JSON object fails the test. */
  List<JsonNode> logs() throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String line : app.logLines()) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode node = JSON.readTree(line);
      assertThat(node.isObject()).as("log line is one JSON object: %s", line).isTrue();
      out.add(node);
    }
    return out;
  }

  /** The log lines of one request, waiting (bounded) for its access-log event to be written. */
  List<JsonNode> logsOf(String requestId) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      List<JsonNode> mine = new ArrayList<>();
      boolean completed = false;
      for (JsonNode n : logs()) {
        if (requestId.equals(n.path("request_id").asText(null))) {
          mine.add(n);
          String event = n.path("event").asText("");
          completed |= event.equals("request_completed") || event.equals("request_failed");
        }
      }
      if (completed || System.nanoTime() > deadline) {
        return mine;
      }
      Thread.sleep(20);
    }
  }

  static JsonNode accessEvent(List<JsonNode> lines) {
    return lines.stream()
        .filter(n -> n.path("logger").asText().equals("lookout.access"))
        .filter(n -> n.path("event").asText().startsWith("request_"))
        .filter(n -> !n.path("event").asText().equals("request_started"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no access-log event in " + lines));
  }

  /** Sends raw bytes as one HTTP/1.1 request, for headers no well-behaved client would send. */
  String rawRequest(byte[] headerBytes) throws Exception {
    URI base = app.base();
    try (Socket s = new Socket(base.getHost(), base.getPort())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(("GET " + (base.getPath().isEmpty() ? "" : base.getPath()) + "/api/orders HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" + FORCE_HEADER + ": " + FORCE_TOKEN + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(headerBytes);
      out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream response = new ByteArrayOutputStream();
      in.transferTo(response);
      return response.toString(StandardCharsets.ISO_8859_1);
    }
  }

  static String header(String rawResponse, String name) {
    for (String line : rawResponse.split("\r\n")) {
      if (line.isEmpty()) {
        break;
      }
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
        return line.substring(colon + 1).trim();
      }
    }
    return null;
  }

  // ---- correlation IDs ----------------------------------------------------------------------------

  @Test
  void validRequestIdIsEchoedAndOnEveryLogLineOfTheRequest() throws Exception {
    String id = "abc-123-" + ThreadLocalRandom.current().nextInt(1_000_000);
    HttpResponse<String> r = get("/api/orders", "X-Request-ID", id);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("X-Request-ID")).hasValue(id);
    List<JsonNode> lines = logsOf(id);
    JsonNode access = accessEvent(lines);
    assertThat(access.path("event").asText()).isEqualTo("request_completed");
    assertThat(access.path("method").asText()).isEqualTo("GET");
    assertThat(access.path("path").asText()).endsWith("/api/orders");
    assertThat(access.path("status").asText()).isEqualTo("200");
    assertThat(access.path("duration_ms").asDouble()).isGreaterThan(0);
    assertThat(access.path("endpoint").asText()).isNotEmpty();
    assertThat(access.path("service").path("name").asText()).isEqualTo("orders");
    assertThat(access.path("service").path("version").asText()).isEqualTo("0.1.0-SNAPSHOT");
    assertThat(lines).allSatisfy(n -> assertThat(n.path("correlation_id").asText()).isEqualTo(id));
  }

  @Test
  void generatedRequestIdWhenNoneComesIn() throws Exception {
    HttpResponse<String> r = get("/api/orders");
    String id = r.headers().firstValue("X-Request-ID").orElseThrow();
    assertThat(id).matches("[0-9a-f]{32}");
    assertThat(logsOf(id)).isNotEmpty();
  }

  @Test
  void hostileRequestIdsAreReplacedNeverEchoedNeverLogged() throws Exception {
    List<byte[]> hostile =
        List.of(
            "X-Request-ID: evil\r\nSet-Cookie: pwned=1\r\n".getBytes(StandardCharsets.ISO_8859_1),
            ("X-Request-ID: " + "A".repeat(10_000) + "\r\n").getBytes(StandardCharsets.ISO_8859_1),
            "X-Request-ID: caf\u00e9-\u2603-id\r\n".getBytes(StandardCharsets.UTF_8),
            "X-Request-ID: <script>alert(1)</script>\r\n".getBytes(StandardCharsets.ISO_8859_1),
            "X-Request-ID: a b c\r\n".getBytes(StandardCharsets.ISO_8859_1));
    for (byte[] h : hostile) {
      String response = rawRequest(h);
      String status = response.substring(0, response.indexOf("\r\n"));
      String echoed = header(response, "X-Request-ID");
      if (status.contains(" 431 ") || status.contains(" 400 ")) {
        // the container refused the request before any filter ran: nothing to echo
        assertThat(echoed).isNull();
        continue;
      }
      assertThat(status).contains(" 200 ");
      // The CRLF case: "evil" is a syntactically valid ID on its own line; the injected header must not appear.
      assertThat(response).doesNotContain("pwned");
      if (echoed != null && !echoed.equals("evil")) {
        assertThat(echoed).matches("[0-9a-f]{32}");
      }
    }
    String all = String.join("\n", app.logLines());
    assertThat(all).doesNotContain("<script>").doesNotContain("A".repeat(200)).doesNotContain("\u2603").doesNotContain("pwned");
    assertThat(settledMetrics().value("lookout_request_id_rejected_total", "header", "X-Request-ID")).isGreaterThanOrEqualTo(2);
  }

  // ---- metrics ------------------------------------------------------------------------------------

  @Test
  void concurrentRequestsAreCountedExactly() throws Exception {
    double before = settledMetrics().value("http_requests_total", "endpoint", "/echo/*", "method", "GET", "status_code", "200");
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        // One keep-alive connection per thread, written by hand: a library client may resend a
        // request it thinks failed (the JDK's does for GET), and this test counts exactly.
        futures.add(pool.submit(() -> keepAliveGets(5_000)));
      }
      int ok = 0;
      for (Future<Integer> f : futures) {
        ok += f.get(5, TimeUnit.MINUTES);
      }
      assertThat(ok).isEqualTo(40_000);
    } finally {
      pool.shutdownNow();
    }
    MetricsText m = settledMetrics();
    assertThat(m.value("http_requests_total", "endpoint", "/echo/*", "method", "GET", "status_code", "200") - before)
        .isEqualTo(40_000);
    // the scrape itself is the one GET in progress
    assertThat(m.value("http_requests_in_progress", "method", "GET")).isEqualTo(1);
  }

  /**
   * Sends {@code n} GETs over HTTP/1.1 keep-alive and returns how many were answered 200. A new
   * connection is opened only when the server closes one (Tomcat does every 100 requests), never to
   * resend a request.
   */
  private int keepAliveGets(int n) throws Exception {
    URI base = app.base();
    int ok = 0;
    int i = 0;
    while (i < n) {
      try (Socket s = new Socket(base.getHost(), base.getPort())) {
        s.setSoTimeout(30_000);
        OutputStream out = s.getOutputStream();
        java.io.BufferedInputStream in = new java.io.BufferedInputStream(s.getInputStream());
        boolean open = true;
        while (open && i < n) {
          out.write(("GET " + base.getPath() + "/echo/n" + (i % 50) + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
          out.flush();
          i++;
          String status = readLine(in);
          int length = 0;
          for (String h = readLine(in); !h.isEmpty(); h = readLine(in)) {
            if (h.regionMatches(true, 0, "Content-Length:", 0, 15)) {
              length = Integer.parseInt(h.substring(15).trim());
            } else if (h.regionMatches(true, 0, "Connection:", 0, 11) && h.toLowerCase(java.util.Locale.ROOT).contains("close")) {
              open = false;
            }
          }
          in.readNBytes(length);
          if (status.startsWith("HTTP/1.1 200")) {
            ok++;
          }
        }
      }
    }
    return ok;
  }

  private static String readLine(InputStream in) throws java.io.IOException {
    StringBuilder sb = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) {
        throw new java.io.EOFException("connection closed");
      }
      if (c != '\r') {
        sb.append((char) c);
      }
    }
    return sb.toString();
  }

  @Test
  void endpointLabelsStayBoundedWhateverThePaths() throws Exception {
    for (int i = 0; i < 10_000; i++) {
      String random = Long.toHexString(ThreadLocalRandom.current().nextLong());
      String path = switch (i % 3) {
        case 0 -> "/echo/" + random;
        case 1 -> "/api/" + random;
        default -> "/" + random;
      };
      plainGet(path);
    }
    Set<String> endpoints = settledMetrics().labelValues("http_requests_total", "endpoint");
    assertThat(endpoints.size()).isLessThanOrEqualTo(ENDPOINT_LIMIT + 3);
    assertThat(endpoints).contains("/echo/*", "NOT_FOUND").allSatisfy(e -> assertThat(e).hasSizeLessThan(60));
  }

  @Test
  void jaxRsRequestsAreLabelledWithTheirRouteTemplate() throws Exception {
    Map<String, String> expected = new java.util.LinkedHashMap<>();
    expected.put("/api/orders", "/api/orders");
    expected.put("/api/orders/1", "/api/orders/{id}");
    expected.put("/api/orders/2/lines", "/api/orders/{id}/lines");
    expected.put("/api/slow?ms=1", "/api/slow");
    for (Map.Entry<String, String> e : expected.entrySet()) {
      HttpResponse<String> r = get(e.getKey());
      assertThat(r.statusCode()).as(e.getKey()).isEqualTo(200);
      JsonNode access = accessEvent(logsOf(r.headers().firstValue("X-Request-ID").orElseThrow()));
      assertThat(access.path("endpoint").asText()).as(e.getKey()).isEqualTo(e.getValue());
    }
    MetricsText m = settledMetrics();
    assertThat(m.value("http_requests_total", "endpoint", "/api/orders/{id}", "method", "GET", "status_code", "200")).isGreaterThanOrEqualTo(1);
    assertThat(m.labelValues("http_requests_total", "endpoint")).noneMatch(v -> v.matches(".*/[0-9]+.*"));
  }

  @Test
  void applicationExceptionIsA500CountedAndLoggedWithTheError() throws Exception {
    double before = total500();
    String id = "fail-" + ThreadLocalRandom.current().nextInt(1_000_000);
    HttpResponse<String> r = get("/api/fail", "X-Request-ID", id);
    assertThat(r.statusCode()).isEqualTo(500);
    if (keepsHeadersOnUnhandledException()) {
      assertThat(r.headers().firstValue("X-Request-ID")).hasValue(id);
    }
    assertThat(total500() - before).isEqualTo(1);
    JsonNode access = accessEvent(logsOf(id));
    assertThat(access.path("status").asText()).isEqualTo("500");
    assertThat(access.path("level").asText()).isEqualTo("ERROR");
    assertThat(access.path("error").path("type").asText()).isNotEmpty();
  }

  private double total500() throws Exception {
    double sum = 0;
    for (MetricsText.Sample s : settledMetrics().samples()) {
      if (s.name().equals("http_requests_total") && "500".equals(s.labels().get("status_code"))) {
        sum += s.value();
      }
    }
    return sum;
  }

  @Test
  void asyncRequestsAreTimedToTheirRealCompletionOnce() throws Exception {
    for (String path : List.of("/api/async?ms=300", "/async-servlet?ms=300")) {
      HttpResponse<String> r = get(path);
      assertThat(r.statusCode()).isEqualTo(200);
      String id = r.headers().firstValue("X-Request-ID").orElseThrow();
      JsonNode access = accessEvent(logsOf(id));
      assertThat(access.path("duration_ms").asDouble()).as(path).isGreaterThanOrEqualTo(300);
      String endpoint = access.path("endpoint").asText();
      long accessEvents = logsOf(id).stream().filter(n -> n.path("event").asText().equals("request_completed")).count();
      assertThat(accessEvents).as("access events of %s", path).isEqualTo(1);
      MetricsText m = settledMetrics();
      double sum = m.value("http_request_duration_seconds_sum", "endpoint", endpoint, "method", "GET");
      double count = m.value("http_request_duration_seconds_count", "endpoint", endpoint, "method", "GET");
      assertThat(count).as("count for %s", endpoint).isGreaterThanOrEqualTo(1);
      assertThat(sum).as("sum for %s", endpoint).isGreaterThanOrEqualTo(0.3);
      // the 0.25 s bucket does not hold the request, the 0.5 s bucket does
      double below = m.value("http_request_duration_seconds_bucket", "endpoint", endpoint, "method", "GET", "le", "0.25");
      double atMost = m.value("http_request_duration_seconds_bucket", "endpoint", endpoint, "method", "GET", "le", "0.5");
      assertThat(atMost - below).as("requests between 0.25 and 0.5 s at %s", endpoint).isGreaterThanOrEqualTo(1);
    }
  }

  @Test
  void metricsEndpointHasEverythingTheDashboardsNeed() throws Exception {
    send(app, "POST", "/api/orders", "{\"item\":\"tea\",\"quantity\":3}", "Content-Type", "application/json");
    MetricsText m = metrics();
    assertThat(m.value("app_info", "environment", "unknown", "service", "orders", "version", "0.1.0-SNAPSHOT")).isEqualTo(1);
    assertThat(m.value("orders_created_total")).isGreaterThanOrEqualTo(1);
    get("/api/checkout/2");
    assertThat(settledMetrics().value("checkout_duration_seconds_count")).isGreaterThanOrEqualTo(1);
    assertThat(m.has("jvm_memory_used_bytes")).isTrue();
    assertThat(m.has("process_cpu_seconds_total")).isTrue();
    assertThat(m.has("http_request_duration_seconds_bucket")).isTrue();
    assertThat(m.has("lookout_metric_label_overflow_total")).isTrue();
  }

  // ---- health -------------------------------------------------------------------------------------

  @Test
  void probesAnswerInMicroProfileHealthFormat() throws Exception {
    HttpResponse<String> all = get("/health");
    assertThat(all.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(all.body());
    assertThat(body.path("status").asText()).isEqualTo("UP");
    List<String> names = new ArrayList<>();
    body.path("checks").forEach(c -> {
      names.add(c.path("name").asText());
      assertThat(c.path("status").asText()).isEqualTo("UP");
      assertThat(c.path("data").has("duration_ms")).isTrue();
    });
    assertThat(names).contains("orders-database", "payments");
    JsonNode live = JSON.readTree(get("/health/live").body());
    assertThat(live.path("status").asText()).isEqualTo("UP");
    assertThat(live.path("checks")).isEmpty();
    assertThat(get("/health/ready").statusCode()).isEqualTo(200);
    HttpResponse<String> started = get("/health/started");
    assertThat(started.statusCode()).isEqualTo(200);
    assertThat(started.body()).contains("\"name\":\"database-schema\"");
    assertThat(get("/health/nonsense").statusCode()).isEqualTo(404);
  }

  @Test
  void aHangingDependencyMakesReadinessDownWithinItsTimeout() throws Exception {
    try (Deployment hanging =
        deployWithTestSettings(getClass().getSimpleName() + "-hanging", Map.of("example.payments.hang", "true", "lookout.health.timeout", "1s"))) {
      ExecutorService pool = Executors.newFixedThreadPool(30);
      try {
        List<Future<HttpResponse<String>>> probes = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < 30; i++) {
          probes.add(pool.submit(() -> send(hanging, "GET", "/health/ready", null)));
        }
        for (Future<HttpResponse<String>> f : probes) {
          HttpResponse<String> r = f.get(30, TimeUnit.SECONDS);
          assertThat(r.statusCode()).isEqualTo(503);
          JsonNode body = JSON.readTree(r.body());
          assertThat(body.path("status").asText()).isEqualTo("DOWN");
          assertThat(r.body()).contains("payments").contains("timed out");
        }
        // 1 s timeout; far from the 60 s the check hangs, with room for a slow shared machine
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(20);
        assertThat(send(hanging, "GET", "/health/live", null).statusCode()).isEqualTo(200);
      } finally {
        pool.shutdownNow();
      }
    }
  }

  // ---- logs ---------------------------------------------------------------------------------------

  @Test
  void logContextNeverLeaksIntoTheNextRequest() throws Exception {
    String marker = "leak" + ThreadLocalRandom.current().nextInt(1_000_000);
    get("/api/careless?value=" + marker);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      ids.add(get("/api/orders").headers().firstValue("X-Request-ID").orElseThrow());
    }
    for (String id : ids.subList(ids.size() - 5, ids.size())) {
      logsOf(id);
    }
    for (JsonNode n : logs()) {
      if (ids.contains(n.path("request_id").asText())) {
        assertThat(n.toString()).doesNotContain(marker);
      }
    }
  }

  @Test
  void everyLoggingApiOfTheWebAppArrivesAsJsonWithTheRequestsFields() throws Exception {
    // the checkout's library-like warehouse client logs through java.util.logging, SLF4J and Commons Logging
    HttpResponse<String> r = get("/api/checkout/1");
    assertThat(r.statusCode()).isEqualTo(200);
    String id = r.headers().firstValue("X-Request-ID").orElseThrow();
    List<JsonNode> lines = logsOf(id);
    JsonNode jul = byLogger(lines, "warehouse.jul");
    assertThat(jul.path("level").asText()).isEqualTo("WARN");
    assertThat(jul.path("message").asText()).isEqualTo("stock low after reserving for order 1: 2 left");
    JsonNode slf4j = byLogger(lines, "warehouse.slf4j");
    assertThat(slf4j.path("message").asText()).isEqualTo("stock_reserved");
    assertThat(slf4j.path("quantity").isIntegralNumber()).as("typed: %s", slf4j).isTrue();
    JsonNode jcl = byLogger(lines, "warehouse.jcl");
    assertThat(jcl.path("message").asText()).isEqualTo("parcel booked for order 1");
    for (JsonNode n : List.of(jul, slf4j, jcl)) {
      assertThat(n.path("flow_id").asText()).as("the checkout flow: %s", n).startsWith("checkout-");
    }
  }

  private static JsonNode byLogger(List<JsonNode> lines, String logger) {
    List<JsonNode> found = lines.stream().filter(n -> n.path("logger").asText().equals(logger)).toList();
    assertThat(found).as("lines of logger %s in %s", logger, lines).hasSize(1);
    return found.get(0);
  }

  @Test
  void secretsNeverReachTheLogs() throws Exception {
    HttpResponse<String> r =
        get(
            "/api/login?user=ann&token=tok-SECRET-123&password=pw-SECRET-456",
            "Authorization", "Bearer auth-SECRET-789",
            "Cookie", "JSESSIONID=cookie-SECRET-000");
    String id = r.headers().firstValue("X-Request-ID").orElseThrow();
    JsonNode access = accessEvent(logsOf(id));
    assertThat(access.path("query").asText()).contains("token=[REDACTED]").contains("password=[REDACTED]").contains("user=ann");
    String all = String.join("\n", app.logLines());
    assertThat(all).doesNotContain("tok-SECRET-123", "pw-SECRET-456", "auth-SECRET-789", "cookie-SECRET-000");
  }

  @Test
  void accessLogIsSampledPerRequestUnlessForcedWithTheSecret() throws Exception {
    List<String> plain = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      plain.add(plainGet("/echo/sampled").headers().firstValue("X-Request-ID").orElseThrow());
    }
    List<String> wrongToken = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      wrongToken.add(send(app, "GET", "/echo/sampled", null, FORCE_HEADER, "guess").headers().firstValue("X-Request-ID").orElseThrow());
    }
    String forced = get("/echo/sampled").headers().firstValue("X-Request-ID").orElseThrow();
    assertThat(logsOf(forced)).isNotEmpty();
    Set<String> logged = new java.util.HashSet<>();
    for (JsonNode n : logs()) {
      if (n.path("event").asText().equals("request_completed")) {
        logged.add(n.path("request_id").asText());
      }
    }
    long plainLogged = plain.stream().filter(logged::contains).count();
    long wrongLogged = wrongToken.stream().filter(logged::contains).count();
    // kept: a trace-ID hash under the INFO rate, 10 % of 300 (spans are not exported here, so a
    // sampled trace is no reason to keep them all); binomial mean 30, ± 4 standard deviations
    assertThat(plainLogged).isBetween(9L, 51L);
    assertThat(wrongLogged).isLessThan(40L);
    assertThat(metrics().value("log_events_dropped_total", "level", "INFO", "reason", "sampled")).isGreaterThan(0);
  }

  @Test
  void aFailedRequestBringsBackItsSampledOutLines() throws Exception {
    // without the force header: the request's INFO lines are sampled out, then written because it fails
    for (int i = 0; i < 20; i++) {
      String id = "failed-" + i + "-" + ThreadLocalRandom.current().nextInt(1_000_000);
      HttpResponse<String> r = plainGet("/api/fail", "X-Request-ID", id);
      assertThat(r.statusCode()).isEqualTo(500);
      List<JsonNode> lines = logsOf(id);
      assertThat(lines).anySatisfy(n -> assertThat(n.path("message").asText()).isEqualTo("about to fail"));
      assertThat(lines).anySatisfy(n -> assertThat(n.path("level").asText()).isEqualTo("ERROR"));
    }
  }

  @Test
  void aCallThroughTheJaxRsClientCarriesTheRequestIdAndTheTrace() throws Exception {
    // The checkout request is forced to log everything; the orders call it makes is logged when its
    // trace falls in the INFO sample (10 %; spans are not exported here, so the trace flag decides
    // nothing). Calls with new traces until one is: at most 150 (the chance that none is: 1e-7).
    List<JsonNode> completed = List.of();
    String traceId = null;
    for (int attempt = 0; attempt < 150 && completed.size() < 2; attempt++) {
      traceId = "2af7651916cd43dd8448eb211c8" + String.format("%05x", ThreadLocalRandom.current().nextInt(0xfffff));
      HttpResponse<String> r = get("/api/checkout/1", "traceparent", "00-" + traceId + "-b7ad6b7169203331-01");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("coffee beans");
      String requestId = r.headers().firstValue("X-Request-ID").orElseThrow();
      assertThat(requestId).as("no incoming ID: the request ID is the trace ID").isEqualTo(traceId);
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(attempt == 0 ? 10_000 : 300);
      do {
        completed =
            logsOf(requestId).stream().filter(n -> n.path("event").asText().equals("request_completed")).toList();
        Thread.sleep(20);
      } while (completed.size() < 2 && System.nanoTime() < deadline);
      assertThat(completed).as("the forced checkout request is always logged").isNotEmpty();
    }
    // both server requests (checkout, and the orders call it made) logged with one request ID and one trace
    String trace = traceId;
    assertThat(completed).extracting(n -> n.path("endpoint").asText()).containsExactlyInAnyOrder("/api/checkout/{id}", "/api/orders/{id}");
    assertThat(completed).allSatisfy(n -> assertThat(n.path("trace_id").asText()).isEqualTo(trace));
    assertThat(completed.get(0).path("span_id").asText()).isNotEqualTo(completed.get(1).path("span_id").asText());
    MetricsText m = settledMetrics();
    assertThat(m.labelValues("http_client_request_duration_seconds_count", "server_address")).isNotEmpty();
  }

  @Test
  void everyLogLineIsOneJsonObjectWithTheCoreFields() throws Exception {
    get("/api/orders");
    List<JsonNode> lines = logs();
    assertThat(lines).isNotEmpty();
    for (JsonNode n : lines) {
      assertThat(n.has("@timestamp") && n.has("level") && n.has("logger") && n.has("message"))
          .as("core fields in %s", n)
          .isTrue();
    }
  }

  // ---- endpoint exposure --------------------------------------------------------------------------

  /** The bearer token of the {@link #secured()} deployment. */
  static final String ENDPOINT_TOKEN = "it-endpoint-token-7f3a9c1e5b2d4680";

  /** A caller the secured deployment's proxy forwards for; see {@link #secured()}. */
  static final String TRUSTED_PROXY = "127.0.0.2";

  static final List<String> FORWARDING_HEADERS =
      List.of("X-Forwarded-For", "203.0.113.9", "Forwarded", "for=203.0.113.9;proto=https", "X-Forwarded-Host", "shop.example.com", "X-Real-IP", "203.0.113.9");

  Deployment secured;

  /**
   * The example with every explicit control on, as an operator would set them: a second connector
   * whose port the launcher gives as {@code lookout.endpoints.port}, a token, an allow-list with
   * IPv4 and IPv6 ranges, and a trusted proxy at {@value #TRUSTED_PROXY} (a loopback address the
   * tests send from). Requests to Lookout's endpoints are access-logged, so that a leaked token
   * would show.
   */
  Deployment secured() throws Exception {
    if (secured == null) {
      secured =
          deployWithTestSettings(
              getClass().getSimpleName() + "-secured",
              Map.of(
                  "it.management-connector", "true",
                  "lookout.endpoints.token", ENDPOINT_TOKEN,
                  "lookout.endpoints.allow", "127.0.0.1/32,10.1.0.0/16,fd00:1::/32",
                  "lookout.access-log.trusted-proxies", TRUSTED_PROXY,
                  "lookout.access-log.include-lookout-endpoints", "true"));
    }
    return secured;
  }

  /** A response read off a socket by hand. */
  record RawResponse(int status, String head, String body) {
    String header(String name) {
      return AbstractContainerContractTest.header(head, name);
    }
  }

  /**
   * One HTTP/1.1 request over a socket of its own, sent from {@code source} (a loopback address, or
   * null for any) — the JDK client can neither choose its source address nor send every method.
   */
  static RawResponse raw(String source, URI base, String method, String path, String... headers) throws Exception {
    try (Socket s = new Socket()) {
      if (source != null) {
        s.bind(new InetSocketAddress(source, 0));
      }
      s.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
      s.setSoTimeout(30_000);
      StringBuilder request = new StringBuilder();
      request.append(method).append(' ').append(base.getPath()).append(path).append(" HTTP/1.1\r\n");
      request.append("Host: localhost\r\nConnection: close\r\n");
      for (int i = 0; i < headers.length; i += 2) {
        request.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
      }
      request.append("\r\n");
      OutputStream out = s.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      ByteArrayOutputStream response = new ByteArrayOutputStream();
      s.getInputStream().transferTo(response);
      String text = response.toString(StandardCharsets.ISO_8859_1);
      int end = text.indexOf("\r\n\r\n");
      String head = end < 0 ? text : text.substring(0, end + 2);
      String body = end < 0 ? "" : text.substring(end + 4);
      return new RawResponse(Integer.parseInt(head.substring(9, 12)), head, body);
    }
  }

  static String[] bearer(String token, String... more) {
    String[] all = java.util.Arrays.copyOf(more, more.length + 2);
    all[more.length] = "Authorization";
    all[more.length + 1] = "Bearer " + token;
    return all;
  }

  /** A settled scrape of the secured deployment, on its management port with the token. */
  MetricsText securedMetrics() throws Exception {
    Deployment d = secured();
    return MetricsText.settled(() -> {
      HttpResponse<String> r = send(managementView(d), "GET", "/metrics", null, bearer(ENDPOINT_TOKEN));
      assertThat(r.statusCode()).isEqualTo(200);
      return r.body();
    });
  }

  /** The same deployment, addressed on its management port. */
  static Deployment managementView(Deployment d) {
    return new Deployment() {
      @Override
      public URI base() {
        return d.managementBase();
      }

      @Override
      public List<String> logLines() throws java.io.IOException {
        return d.logLines();
      }

      @Override
      public void close() {}
    };
  }

  static double denied(MetricsText m, String endpoint, String reason) {
    return m.value("lookout_endpoint_denied_total", "endpoint", endpoint, "reason", reason);
  }

  static boolean hasChecks(String healthBody) throws Exception {
    return JSON.readTree(healthBody).has("checks");
  }

  @Test
  void byDefaultADirectRequestGetsMetricsAndAForwardedOneDoesNot() throws Exception {
    MetricsText before = settledMetrics();
    assertThat(get("/metrics").body()).contains("http_requests_total");
    assertThat(hasChecks(get("/health").body())).as("details for a direct caller").isTrue();
    List<String> deniedIds = new ArrayList<>();
    for (int i = 0; i < FORWARDING_HEADERS.size(); i += 2) {
      String name = FORWARDING_HEADERS.get(i);
      String value = FORWARDING_HEADERS.get(i + 1);
      String id = "fwd-" + i + "-" + ThreadLocalRandom.current().nextInt(1_000_000);
      deniedIds.add(id);
      HttpResponse<String> metrics = get("/metrics", name, value, "X-Request-ID", id);
      assertThat(metrics.statusCode()).as("/metrics with %s", name).isEqualTo(404);
      assertThat(metrics.body()).as("/metrics with %s", name).doesNotContain("http_requests_total");
      HttpResponse<String> health = get("/health", name, value);
      assertThat(health.statusCode()).as("/health with %s", name).isEqualTo(200);
      assertThat(JSON.readTree(health.body())).as("/health with %s", name).isEqualTo(JSON.readTree("{\"status\":\"UP\"}"));
      HttpResponse<String> ready = get("/health/ready", name, value);
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(hasChecks(ready.body())).isFalse();
    }
    MetricsText after = settledMetrics();
    assertThat(denied(after, "metrics", "forwarded") - denied(before, "metrics", "forwarded")).isEqualTo(4);
    assertThat(denied(after, "health", "forwarded") - denied(before, "health", "forwarded")).isEqualTo(8);
    // a denied request is not in the access log (include-lookout-endpoints is off)
    String later = get("/api/orders").headers().firstValue("X-Request-ID").orElseThrow();
    assertThat(logsOf(later)).isNotEmpty();
    assertThat(logs()).noneMatch(n -> deniedIds.contains(n.path("request_id").asText()) && n.path("logger").asText().equals("lookout.access"));
  }

  @Test
  void oddMethodsAndHostileHeadersGetA4xxNeverA5xx() throws Exception {
    URI base = app.base();
    for (String path : List.of("/metrics", "/health", "/health/ready")) {
      for (String method : List.of("POST", "PUT", "DELETE", "PATCH", "OPTIONS", "PROPFIND", "FOO")) {
        RawResponse r = raw(null, base, method, path, "Content-Length", "0");
        assertThat(r.status()).as("%s %s", method, path).isEqualTo(405);
        assertThat(r.header("Allow")).as("%s %s", method, path).isEqualTo("GET, HEAD");
      }
      // TRACE would echo the request's headers, a token included; some containers refuse it themselves
      RawResponse trace = raw(null, base, "TRACE", path, "Authorization", "Bearer echo-me-if-you-can");
      assertThat(trace.status()).as("TRACE %s", path).isBetween(400, 499);
      assertThat(trace.body()).doesNotContain("echo-me-if-you-can");
      assertThat(raw(null, base, "GET", path, "Accept", "text/plain;" + "q=1;".repeat(400)).status()).as("long Accept on %s", path).isEqualTo(431);
      assertThat(raw(null, base, "GET", path, "Accept-Encoding", "gzip, " + "x, ".repeat(400)).status()).as("long Accept-Encoding on %s", path).isEqualTo(431);
      // past the container's own header limit: its 4xx, never a 5xx
      assertThat(raw(null, base, "GET", path, "Accept", "a".repeat(70_000)).status()).as("huge Accept on %s", path).isBetween(400, 499);
      for (String accept : List.of("", "*/*;q=abc", ";;;=;=", "text/plain;version=;escaping=nonsense", "application/vnd.google.protobuf;proto=;encoding=", "\u00ff\u00fe")) {
        RawResponse r = raw(null, base, "GET", path, "Accept", accept, "Accept-Encoding", "gzip;q=0, br;q=abc, *;q=");
        assertThat(r.status()).as("Accept '%s' on %s", accept, path).isEqualTo(200);
      }
      assertThat(raw(null, base, "HEAD", path).status()).as("HEAD %s", path).isEqualTo(200);
    }
    RawResponse debug = raw(null, base, "GET", "/metrics?debug=%3Cscript%3E");
    assertThat(debug.status()).isEqualTo(400);
    assertThat(debug.body()).doesNotContain("<script>");
    RawResponse protobuf =
        raw(null, base, "GET", "/metrics", "Accept", "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;encoding=delimited");
    assertThat(protobuf.status()).isEqualTo(200);
    assertThat(protobuf.header("Content-Type")).startsWith("application/vnd.google.protobuf");
  }

  @Test
  void metricsAreGzippedWhenAsked() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(app.base() + "/metrics")).header("Accept-Encoding", "gzip").timeout(Duration.ofSeconds(30)).build();
    HttpResponse<byte[]> zipped = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    assertThat(zipped.statusCode()).isEqualTo(200);
    assertThat(zipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
    String text = new String(new GZIPInputStream(new java.io.ByteArrayInputStream(zipped.body())).readAllBytes(), StandardCharsets.UTF_8);
    assertThat(text).contains("http_requests_total");
    HttpResponse<String> plain = get("/metrics");
    assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
    assertThat(plain.body()).contains("http_requests_total");
  }

  @Test
  void fiftyConcurrentScrapesDuringLoadNeverHurtTheApplication() throws Exception {
    double busyBefore = denied(settledMetrics(), "metrics", "busy");
    ExecutorService pool = Executors.newFixedThreadPool(54);
    AtomicBoolean scraping = new AtomicBoolean(true);
    try {
      List<Future<int[]>> load = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        load.add(pool.submit(() -> {
          int ok = 0;
          int other = 0;
          while (scraping.get()) {
            if (plainGet("/api/orders").statusCode() == 200) {
              ok++;
            } else {
              other++;
            }
          }
          return new int[] {ok, other};
        }));
      }
      CountDownLatch start = new CountDownLatch(1);
      List<Future<HttpResponse<String>>> scrapes = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        scrapes.add(pool.submit(() -> {
          start.await();
          return plainGet("/metrics");
        }));
      }
      start.countDown();
      int served = 0;
      int busy = 0;
      for (Future<HttpResponse<String>> f : scrapes) {
        HttpResponse<String> r = f.get(2, TimeUnit.MINUTES);
        assertThat(r.statusCode()).as("a scrape answers 200 or 503, nothing else").isIn(200, 503);
        if (r.statusCode() == 503) {
          busy++;
          assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
        } else {
          served++;
          assertThat(r.body()).contains("http_requests_total");
        }
      }
      scraping.set(false);
      int ok = 0;
      for (Future<int[]> f : load) {
        int[] counts = f.get(2, TimeUnit.MINUTES);
        ok += counts[0];
        assertThat(counts[1]).as("application requests that were not 200").isZero();
      }
      assertThat(ok).isPositive();
      assertThat(served + busy).isEqualTo(50);
      assertThat(served).as("the bound serves some, never none").isPositive();
      assertThat(denied(settledMetrics(), "metrics", "busy") - busyBefore).as("every 503 counted").isEqualTo(busy);
    } finally {
      scraping.set(false);
      pool.shutdownNow();
    }
  }

  @Test
  void metricsAnswerOnlyOnTheManagementPort() throws Exception {
    Deployment d = secured();
    Deployment management = managementView(d);
    HttpResponse<String> appPort = send(d, "GET", "/metrics", null, bearer(ENDPOINT_TOKEN));
    assertThat(appPort.statusCode()).as("the application's port, even with the token").isEqualTo(404);
    assertThat(appPort.body()).doesNotContain("http_requests_total");
    HttpResponse<String> managementPort = send(management, "GET", "/metrics", null, bearer(ENDPOINT_TOKEN));
    assertThat(managementPort.statusCode()).isEqualTo(200);
    assertThat(managementPort.body()).contains("http_requests_total");
    // probes keep answering on the application's port, status only
    HttpResponse<String> probe = send(d, "GET", "/health/ready", null, bearer(ENDPOINT_TOKEN));
    assertThat(probe.statusCode()).isEqualTo(200);
    assertThat(hasChecks(probe.body())).isFalse();
    assertThat(hasChecks(send(management, "GET", "/health", null, bearer(ENDPOINT_TOKEN)).body())).isTrue();
    assertThat(denied(securedMetrics(), "metrics", "port")).isGreaterThanOrEqualTo(1);
  }

  @Test
  void theTokenIsRequiredAndNeverLogged() throws Exception {
    Deployment management = managementView(secured());
    MetricsText before = securedMetrics();
    assertThat(send(management, "GET", "/metrics", null, FORCE_HEADER, FORCE_TOKEN).statusCode()).as("no token").isEqualTo(404);
    assertThat(send(management, "GET", "/metrics", null, bearer("it-endpoint-token-7f3a9c1e5b2d4681", FORCE_HEADER, FORCE_TOKEN)).statusCode())
        .as("wrong token")
        .isEqualTo(404);
    assertThat(send(management, "GET", "/metrics", null, FORCE_HEADER, FORCE_TOKEN, "Authorization", "Basic " + ENDPOINT_TOKEN).statusCode())
        .as("the token in another scheme")
        .isEqualTo(404);
    String id = "scrape-" + ThreadLocalRandom.current().nextInt(1_000_000);
    HttpResponse<String> right = send(management, "GET", "/metrics", null, bearer(ENDPOINT_TOKEN, FORCE_HEADER, FORCE_TOKEN, "X-Request-ID", id));
    assertThat(right.statusCode()).isEqualTo(200);
    HttpResponse<String> health = send(management, "GET", "/health", null, FORCE_HEADER, FORCE_TOKEN);
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(hasChecks(health.body())).as("details need the token").isFalse();
    assertThat(hasChecks(send(management, "GET", "/health", null, bearer(ENDPOINT_TOKEN)).body())).isTrue();
    MetricsText after = securedMetrics();
    assertThat(denied(after, "metrics", "token") - denied(before, "metrics", "token")).isEqualTo(3);
    assertThat(denied(after, "health", "token") - denied(before, "health", "token")).isEqualTo(1);
    // the scrape was access-logged (include-lookout-endpoints), and no line anywhere has the token
    List<String> lines = secured.logLines();
    assertThat(lines).anyMatch(l -> l.contains(id));
    assertThat(lines).noneMatch(l -> l.contains(ENDPOINT_TOKEN));
  }

  @Test
  void theAllowListJudgesTheSocketAddressOrTheClientBehindATrustedProxy() throws Exception {
    URI management = secured().managementBase();
    MetricsText before = securedMetrics();
    String[] token = bearer(ENDPOINT_TOKEN);
    assertThat(raw("127.0.0.1", management, "GET", "/metrics", token).status()).as("allowed socket address").isEqualTo(200);
    assertThat(raw("127.0.0.3", management, "GET", "/metrics", token).status()).as("socket address not allowed").isEqualTo(404);
    assertThat(raw(TRUSTED_PROXY, management, "GET", "/metrics", bearer(ENDPOINT_TOKEN, "X-Forwarded-For", "10.1.2.3")).status())
        .as("IPv4 client in the list, behind the trusted proxy")
        .isEqualTo(200);
    assertThat(raw(TRUSTED_PROXY, management, "GET", "/metrics", bearer(ENDPOINT_TOKEN, "X-Forwarded-For", "10.2.0.1")).status())
        .as("IPv4 client not in the list")
        .isEqualTo(404);
    assertThat(raw(TRUSTED_PROXY, management, "GET", "/metrics", bearer(ENDPOINT_TOKEN, "X-Forwarded-For", "203.0.113.9, fd00:1::5")).status())
        .as("IPv6 client in the list, behind the trusted proxy")
        .isEqualTo(200);
    assertThat(raw(TRUSTED_PROXY, management, "GET", "/metrics", bearer(ENDPOINT_TOKEN, "X-Forwarded-For", "fd00:2::5")).status())
        .as("IPv6 client not in the list")
        .isEqualTo(404);
    assertThat(raw("127.0.0.1", management, "GET", "/metrics", bearer(ENDPOINT_TOKEN, "X-Forwarded-For", "10.1.2.3")).status())
        .as("a forwarding header from a peer that is no trusted proxy")
        .isEqualTo(404);
    assertThat(raw(TRUSTED_PROXY, management, "GET", "/metrics", bearer(ENDPOINT_TOKEN, "X-Forwarded-For", "10.1.2.3", "X-Forwarded-For", "10.2.0.1")).status())
        .as("the client's own line first, the proxy's line after it: the proxy's decides")
        .isEqualTo(404);
    RawResponse health = raw("127.0.0.3", management, "GET", "/health", token);
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.body()).contains("\"status\":\"UP\"").doesNotContain("checks");
    MetricsText after = securedMetrics();
    assertThat(denied(after, "metrics", "address") - denied(before, "metrics", "address")).isEqualTo(4);
    assertThat(denied(after, "metrics", "forwarded") - denied(before, "metrics", "forwarded")).isEqualTo(1);
    assertThat(denied(after, "health", "address") - denied(before, "health", "address")).isEqualTo(1);
  }
  // ---- database (lookout-jdbc around the example's HikariCP pool) ------------------------------

  static final String[] SELECT_ORDERS_OK = {"operation", "SELECT", "table", "orders", "outcome", "ok"};

  @Test
  void queriesAreCountedByOperationAndTableAndTheRequestsDbTimeIsLogged() throws Exception {
    double before = settledMetrics().value("db_queries_total", SELECT_ORDERS_OK);
    String id = "db-" + ThreadLocalRandom.current().nextInt(1_000_000);
    assertThat(get("/api/orders/1", "X-Request-ID", id).statusCode()).isEqualTo(200);
    MetricsText m = settledMetrics();
    assertThat(m.value("db_queries_total", SELECT_ORDERS_OK) - before).isEqualTo(1);
    assertThat(m.value("db_query_duration_seconds_count", "operation", "SELECT", "table", "orders")).isPositive();
    assertThat(m.value("db_connections_active", "pool", "orders")).isZero();
    assertThat(m.value("db_connections_max", "pool", "orders")).isEqualTo(8);
    assertThat(m.value("db_connection_wait_seconds_count", "pool", "orders")).isPositive();
    JsonNode access = accessEvent(logsOf(id));
    assertThat(access.path("db_queries").asInt()).isEqualTo(1);
    assertThat(access.path("db_time_ms").asDouble())
        .isGreaterThan(0)
        .isLessThanOrEqualTo(access.path("duration_ms").asDouble());
  }

  @Test
  void aSlowQueryIsLoggedAndKeptBySamplingLikeAnError() throws Exception {
    // Requests as any client sends them: their WARN lines are sampled, slow_query is kept anyway.
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      String id = "slowdb-" + i + "-" + ThreadLocalRandom.current().nextInt(1_000_000);
      assertThat(plainGet("/api/db/slow?ms=520", "X-Request-ID", id).statusCode()).isEqualTo(200);
      ids.add(id);
    }
    for (String id : ids) {
      JsonNode slow =
          awaitLine(n -> id.equals(n.path("request_id").asText(null)) && n.path("event").asText().equals("slow_query"));
      assertThat(slow.path("level").asText()).isEqualTo("WARN");
      assertThat(slow.path("logger").asText()).isEqualTo("lookout.db");
      assertThat(slow.path("statement").asText()).isEqualTo("CALL SLEEP(?)");
      assertThat(slow.path("operation").asText()).isEqualTo("CALL");
      assertThat(slow.path("pool").asText()).isEqualTo("orders");
      assertThat(slow.path("duration_ms").asLong()).isGreaterThanOrEqualTo(520);
      assertThat(slow.path("trace_id").asText()).isNotEmpty();
    }
  }

  @Test
  void anNPlusOneLoopLogsOneRepeatedQueryWarning() throws Exception {
    for (int i = 0; i < 22; i++) {
      HttpResponse<String> created =
          send(app, "POST", "/api/orders", "{\"item\":\"n+1 item " + i + "\",\"quantity\":1}", "Content-Type", "application/json");
      assertThat(created.statusCode()).isEqualTo(201);
    }
    String id = "nplus1-" + ThreadLocalRandom.current().nextInt(1_000_000);
    assertThat(get("/api/db/n-plus-one", "X-Request-ID", id).statusCode()).isEqualTo(200);
    List<JsonNode> lines = logsOf(id);
    List<JsonNode> repeated = lines.stream().filter(n -> n.path("event").asText().equals("db_repeated_query")).toList();
    assertThat(repeated).hasSize(1);
    assertThat(repeated.get(0).path("statement").asText()).isEqualTo("SELECT item, quantity FROM orders WHERE id = ?");
    assertThat(repeated.get(0).path("count").asInt()).isEqualTo(21);
    assertThat(accessEvent(lines).path("db_queries").asInt()).isGreaterThan(22);
  }

  @Test
  void aFailingQueryIsCountedAsAnErrorAndNoLiteralReachesTheLogs() throws Exception {
    String[] error = {"operation", "SELECT", "table", "invoices", "outcome", "error"};
    double before = settledMetrics().value("db_queries_total", error);
    String id = "brokendb-" + ThreadLocalRandom.current().nextInt(1_000_000);
    assertThat(get("/api/db/broken", "X-Request-ID", id).statusCode()).isEqualTo(500);
    assertThat(settledMetrics().value("db_queries_total", error) - before).isEqualTo(1);
    List<JsonNode> lines = logsOf(id);
    assertThat(accessEvent(lines).path("db_queries").asInt()).isEqualTo(1);
    for (JsonNode line : lines) {
      assertThat(line.path("statement").asText("")).doesNotContain("acme");
    }
  }

  /** The first log line that matches, waiting (bounded) for it to be written. */
  JsonNode awaitLine(java.util.function.Predicate<JsonNode> match) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      for (JsonNode n : logs()) {
        if (match.test(n)) {
          return n;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no such log line");
      }
      Thread.sleep(20);
    }
  }
}
