package dev.lookout.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The example WAR in a standalone Jetty 12.1 (one Jetty for the whole class): every logging API of
 * the web application arrives as one JSON object with the request's fields, a web application's
 * JUL record comes out of Log4j2 once (and once more from the JDK's console handler, as documented),
 * JUL records below INFO of a logger the Log4j2 configuration sets to DEBUG arrive, and a hot
 * undeploy and redeploy leaves no Lookout handler on the JVM-wide JUL root, no Lookout thread and
 * no lowered JUL level behind, with fresh metrics after.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JettyStandaloneTest {

  static final ObjectMapper STRICT = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  static final String LOOKOUT_HANDLER = "dev.lookout.log4j2.internal.bridge.JulRouting$ScopedHandler";
  static final String STOCK_LOW = "stock low after reserving for order 1: 2 left";

  final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  StandaloneJetty jetty;

  @BeforeAll
  void start() throws Exception {
    Path work = Path.of(System.getProperty("it.work", "target/it-work")).toAbsolutePath();
    Files.createDirectories(work);
    // an operator's addition to the ready configuration: one library logger at DEBUG
    Path debugLoggers = work.resolve("debug-loggers.xml");
    Files.writeString(
        debugLoggers,
        "<Configuration status=\"warn\"><Loggers><Logger name=\"warehouse.jul\" level=\"DEBUG\"/></Loggers></Configuration>\n");
    Map<String, String> properties = new HashMap<>(AbstractContainerContractTest.TEST_SETTINGS);
    properties.put("log4j2.configurationFile", "log4j2-lookout.xml," + debugLoggers.toUri());
    // keep every event outside requests too: the tests count them
    properties.put("lookout.log.sampling.warn-rate", "1");
    properties.put("lookout.log.sampling.info-rate", "1");
    properties.put("lookout.log.sampling.info-per-second", "0");
    properties.put("lookout.log.sampling.duplicate-window-seconds", "0");
    jetty = StandaloneJetty.start("standalone", properties);
  }

  @AfterAll
  void stop() throws Exception {
    if (jetty != null) {
      jetty.close();
    }
  }

  @Test
  void everyLoggingApiOfTheWebAppArrivesAsJsonWithTheRequestsFields() throws Exception {
    HttpResponse<String> r = get(jetty.base(), "/api/checkout/1");
    assertThat(r.statusCode()).isEqualTo(200);
    String id = r.headers().firstValue("X-Request-ID").orElseThrow();
    List<JsonNode> lines = logsOf(id);
    JsonNode jul = byLogger(lines, "warehouse.jul", "WARN");
    assertThat(jul.path("message").asText()).isEqualTo(STOCK_LOW);
    JsonNode slf4j = byLogger(lines, "warehouse.slf4j", "INFO");
    assertThat(slf4j.path("message").asText()).isEqualTo("stock_reserved");
    assertThat(slf4j.path("quantity").isIntegralNumber()).as("typed: %s", slf4j).isTrue();
    JsonNode jcl = byLogger(lines, "warehouse.jcl", "INFO");
    assertThat(jcl.path("message").asText()).isEqualTo("parcel booked for order 1");
    for (JsonNode n : List.of(jul, slf4j, jcl)) {
      assertThat(n.path("service").path("name").asText()).as("Lookout's format: %s", n).isEqualTo("orders");
      assertThat(n.path("trace_id").asText()).as("the request's trace: %s", n).isNotEmpty();
      assertThat(n.path("flow_id").asText()).as("the checkout flow: %s", n).startsWith("checkout-");
    }

    List<JsonNode> all = new ArrayList<>();
    for (String line : jetty.stdoutLines()) {
      JsonNode n;
      try {
        n = STRICT.readTree(line);
      } catch (Exception e) {
        throw new AssertionError("the web application's stdout has a line that is not one JSON object: " + line, e);
      }
      assertThat(n.isObject()).as(line).isTrue();
      all.add(n);
    }
    assertThat(all)
        .as("Jersey's own java.util.logging warnings, in the web application's JSON")
        .anyMatch(n -> n.path("logger").asText().startsWith("org.glassfish.jersey") && n.path("level").asText().equals("WARN"));
  }

  @Test
  void aJulRecordOfTheWebAppComesOutOfLog4j2OnceAndOnceMoreFromTheJdkConsoleHandler() throws Exception {
    HttpResponse<String> r = get(jetty.base(), "/api/checkout/1");
    assertThat(r.statusCode()).isEqualTo(200);
    String id = r.headers().firstValue("X-Request-ID").orElseThrow();
    logsOf(id);
    // read both streams after the request's access event: the record was written before it
    long json = jetty.logLines().stream().filter(l -> l.contains(STOCK_LOW)).count();
    List<String> stderr = jetty.stderrLines();
    long console = stderr.stream().filter(l -> l.contains(STOCK_LOW)).count();
    assertThat(json).as("JSON copies: one per checkout so far").isPositive();
    assertThat(logsOf(id).stream().filter(n -> n.toString().contains(STOCK_LOW)).count()).as("this request's JSON copy").isEqualTo(1);
    assertThat(console).as("the JDK's ConsoleHandler on the JUL root writes each record once more, as docs/logging.md says").isEqualTo(json);
    assertThat(stderr).as("in the JDK's plain format").anyMatch(l -> l.equals("WARNING: " + STOCK_LOW));
    assertThat(stderr).as("Jetty's own lines (logging-jetty) are plain text on stderr").anyMatch(l -> l.contains(":oejs.Server:"));
    assertThat(stderr).noneMatch(l -> l.startsWith("{"));
  }

  @Test
  void julRecordsBelowInfoArriveForALoggerTheConfigurationSetsToDebug() throws Exception {
    assertThat(probe("warehouse.jul")).contains("level warehouse.jul FINE");
    assertThat(probe("org.glassfish.jersey")).as("configured at WARN: left alone").contains("level org.glassfish.jersey -");
    HttpResponse<String> r = get(jetty.base(), "/api/checkout/1");
    assertThat(r.statusCode()).isEqualTo(200);
    String id = r.headers().firstValue("X-Request-ID").orElseThrow();
    JsonNode fine = byLogger(logsOf(id), "warehouse.jul", "DEBUG");
    assertThat(fine.path("message").asText()).isEqualTo("reserving 3 for order 1");
    assertThat(fine.path("request_id").asText()).isEqualTo(id);
  }

  @Test
  void undeployAndRedeployLeaveNoHandlerThreadNorLevelBehind() throws Exception {
    assertThat(get(jetty.base(), "/api/orders").statusCode()).isEqualTo(200);
    assertThat(get(jetty.base(), "/health/ready").statusCode()).isEqualTo(200); // starts a health thread
    assertThat(get(jetty.base(), "/api/checkout/1").statusCode()).isEqualTo(200); // starts the example's shipping thread
    assertThat(ordersCount()).isPositive();
    List<String> handlers = lookoutHandlers();
    assertThat(handlers).as("one Lookout handler on the JVM-wide JUL root while deployed").hasSize(1);
    String firstLoader = handlers.get(0);
    assertThat(lookoutThreads()).as("jcmd Thread.print while deployed").isNotEmpty();
    assertThat(probe("warehouse.jul")).contains("level warehouse.jul FINE");
    assertThat(probe()).as("the probe reads the GC MXBeans' listeners").doesNotContain("gc-listeners unreadable");

    jetty.removeWar();
    try {
      undeployedThenRedeployed(firstLoader);
    } finally {
      // the other tests of this class need the example deployed, whatever happened here
      if (!jetty.warDeployed()) {
        jetty.addWar();
      }
      awaitUntil("the example deployed", () -> status(jetty.base(), "/health/live") == 200, 90);
    }
  }

  private void undeployedThenRedeployed(String firstLoader) throws Exception {
    awaitUntil("the example undeployed", () -> status(jetty.base(), "/health/live") == 404, 30);
    awaitUntil("no Lookout handler on the JUL root", () -> lookoutHandlers().isEmpty(), 15);
    awaitUntil("no Lookout thread", () -> lookoutThreads().isEmpty(), 15);
    assertThat(webAppGcListeners()).as("listeners of a web application left on the JVM-wide GC MXBeans").isEmpty();
    assertThat(probe("warehouse.jul")).as("the JUL level given back").contains("level warehouse.jul -");

    jetty.addWar();
    awaitUntil("the example redeployed", () -> status(jetty.base(), "/health/live") == 200, 90);
    List<String> handlers = lookoutHandlers();
    assertThat(handlers).as("one handler again, the new deployment's").hasSize(1);
    assertThat(handlers.get(0)).isNotEqualTo(firstLoader);
    assertThat(probe("warehouse.jul")).contains("level warehouse.jul FINE");
    assertThat(ordersCount()).as("metrics start fresh").isEqualTo(0);
    assertThat(get(jetty.base(), "/api/orders").statusCode()).isEqualTo(200);
    assertThat(ordersCount()).isEqualTo(1);
  }

  // ---- helpers ----------------------------------------------------------------------------------

  /** A GET whose log lines are all written (the contract's force-logging header). */
  HttpResponse<String> get(URI base, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(30))
            .header(AbstractContainerContractTest.FORCE_HEADER, AbstractContainerContractTest.FORCE_TOKEN)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  int status(URI base, String path) {
    try {
      return get(base, path).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  double ordersCount() throws Exception {
    return MetricsText.settled(() -> get(jetty.base(), "/metrics").body())
        .value("http_requests_total", "endpoint", "/api/orders", "method", "GET", "status_code", "200");
  }

  /** What the probe web application reports: the JUL root's handlers, and these loggers' levels. */
  String probe(String... levels) throws Exception {
    HttpResponse<String> r = http.send(
        HttpRequest.newBuilder(URI.create(jetty.probe() + "/jul?levels=" + String.join(",", levels))).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }

  /** The class loaders of the Lookout handlers on the JVM-wide JUL root, one entry per handler. */
  List<String> lookoutHandlers() throws Exception {
    List<String> loaders = new ArrayList<>();
    for (String line : probe().split("\n")) {
      if (line.startsWith("handler " + LOOKOUT_HANDLER + " ")) {
        loaders.add(line.substring(("handler " + LOOKOUT_HANDLER + " ").length()));
      }
    }
    return loaders;
  }

  /** Listeners on the JVM-wide garbage collector MXBeans whose class a web application loaded. */
  List<String> webAppGcListeners() throws Exception {
    List<String> listeners = new ArrayList<>();
    for (String line : probe().split("\n")) {
      if (line.startsWith("gc-listener ") && line.contains("WebAppClassLoader@")) {
        listeners.add(line);
      }
    }
    return listeners;
  }

  /**
   * Lookout's threads, those of the libraries it brings into the WAR, and the example's own, as jcmd
   * prints them: any of them left after undeploy would keep the old web application in memory.
   */
  List<String> lookoutThreads() throws Exception {
    List<String> names = new ArrayList<>();
    for (String line : jetty.jcmd("Thread.print").split("\n")) {
      if (line.startsWith("\"lookout-") || line.startsWith("\"prometheus-metrics-") || line.startsWith("\"example-")) {
        names.add(line.substring(1, line.indexOf('"', 1)));
      }
    }
    return names;
  }

  /** The log lines of one request, waiting (bounded) for its access-log event. */
  List<JsonNode> logsOf(String requestId) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      List<JsonNode> mine = new ArrayList<>();
      boolean completed = false;
      for (String line : jetty.logLines()) {
        JsonNode n = STRICT.readTree(line);
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

  static JsonNode byLogger(List<JsonNode> lines, String logger, String level) {
    List<JsonNode> found =
        lines.stream().filter(n -> n.path("logger").asText().equals(logger) && n.path("level").asText().equals(level)).toList();
    assertThat(found).as("%s lines of logger %s in %s", level, logger, lines).hasSize(1);
    return found.get(0);
  }

  interface Check {
    boolean holds() throws Exception;
  }

  /** Polls a condition (bounded): undeploy, thread shutdown and redeploy finish asynchronously. */
  static void awaitUntil(String what, Check check, int seconds) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!check.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + ": not within " + seconds + " s");
      }
      Thread.sleep(100);
    }
  }
}
