package dev.lookout.filters.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.filters.LookoutAttributes;
import dev.lookout.filters.health.HealthCheck;
import dev.lookout.filters.health.HealthCheckResult;
import dev.lookout.filters.health.HealthChecks;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.message.MapMessage;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The filter, servlets and listener in a real Jetty over real HTTP, without a WAR. */
class LookoutOverHttpTest {

  static Server server;
  static URI base;
  static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  static final List<LogEvent> events = new CopyOnWriteArrayList<>();
  static final AtomicInteger hangingCheckRuns = new AtomicInteger();
  static LoggerContext loggerContext;

  @BeforeAll
  static void start() throws Exception {
    captureLogs();
    server = new Server(0);
    ServletContextHandler ctx = new ServletContextHandler("/app");
    ctx.setInitParameter("lookout.health.timeout", "300ms");
    ctx.setInitParameter("lookout.service.name", "orders");
    ctx.setInitParameter("lookout.access-log.trusted-proxies", "127.0.0.1,::1");
    ctx.addEventListener(new LookoutServletContextListener());
    ctx.addEventListener(
        new ServletContextListener() {
          @Override
          public void contextInitialized(ServletContextEvent sce) {
            HealthChecks.register(sce.getServletContext(), new HangingCheck());
          }
        });
    ctx.addServlet(new ServletHolder(new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        LogManager.getLogger("app").info("hello from the app");
        resp.getWriter().write("hello");
      }
    }), "/hello");
    // The same filter declared a second time, for every dispatch type: must not observe twice.
    ctx.addFilter(new FilterHolder(new LookoutFilter()), "/*", EnumSet.allOf(DispatcherType.class));
    ctx.addServlet(new ServletHolder(new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException, ServletException {
        req.getRequestDispatcher("/hello").forward(req, resp);
      }
    }), "/forward");
    ctx.addServlet(new ServletHolder(new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
        throw new IllegalStateException("boom");
      }
    }), "/boom");
    ctx.addServlet(new ServletHolder(new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
        req.setAttribute(LookoutAttributes.ROUTE, "/routed/{id}");
        resp.setStatus(204);
      }
    }), "/routed/*");
    ctx.addServlet(new ServletHolder(new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        ThreadContext.put("leak", "from-" + req.getParameter("n"));
        ThreadContext.push("ndc-leak");
        LogManager.getLogger("app").info("leaky");
        resp.getWriter().write(String.valueOf(ThreadContext.get("leak")));
      }
    }), "/leak");
    ServletHolder async = new ServletHolder(new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
        long ms = Long.parseLong(req.getParameter("ms"));
        AsyncContext ac = req.startAsync();
        ac.setTimeout(10_000);
        timer.schedule(() -> {
          ((HttpServletResponse) ac.getResponse()).setStatus(202);
          ac.complete();
        }, ms, TimeUnit.MILLISECONDS);
      }
    });
    async.setAsyncSupported(true);
    ctx.addServlet(async, "/async");
    server.setHandler(ctx);
    server.start();
    base = URI.create("http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort() + "/app");
  }

  @AfterAll
  static void stop() throws Exception {
    server.stop();
    timer.shutdownNow();
  }

  static void captureLogs() {
    // Held in a static field: the context selector keeps contexts weakly, and a collected one
    // would be replaced by a fresh one without our appender.
    LoggerContext lc = (LoggerContext) LogManager.getContext(false);
    loggerContext = lc;
    Configuration config = lc.getConfiguration();
    AbstractAppender appender =
        new AbstractAppender("capture", null, null, true, Property.EMPTY_ARRAY) {
          @Override
          public void append(LogEvent event) {
            events.add(event.toImmutable());
          }
        };
    appender.start();
    config.addAppender(appender);
    LoggerConfig root = config.getRootLogger();
    root.addAppender(appender, null, null);
    lc.updateLoggers();
  }

  /** An appender on {@code lookout.access} that throws for the events {@code fails} picks. */
  static void brokenAccessLog(org.apache.logging.log4j.Level level, java.util.function.Predicate<Object> fails) {
    Configuration config = loggerContext.getConfiguration();
    AbstractAppender broken =
        new AbstractAppender("broken", null, null, false, Property.EMPTY_ARRAY) {
          @Override
          public void append(LogEvent event) {
            if (fails.test(event.getMessage())) {
              throw new IllegalStateException("disk full");
            }
          }
        };
    broken.start();
    LoggerConfig access = new LoggerConfig("lookout.access", level, true);
    access.addAppender(broken, null, null);
    config.addLogger("lookout.access", access);
    loggerContext.updateLoggers();
  }

  static HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Waits until no request is in progress: a client can see its response before the server has
   * recorded it, and the in-progress gauge is released last.
   */
  static void settle() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      double total = 0;
      for (String m : new String[] {"GET", "_OTHER"}) {
        total += Math.max(0, inProgress(m));
      }
      if (total == 0) {
        return;
      }
      Thread.sleep(5);
    }
  }

  static double count(String method, String endpoint, String status) throws InterruptedException {
    settle();
    for (MetricSnapshot s : PrometheusRegistry.defaultRegistry.scrape()) {
      if (s instanceof CounterSnapshot c && c.getMetadata().getName().equals("http_requests")) {
        for (CounterSnapshot.CounterDataPointSnapshot p : c.getDataPoints()) {
          if (p.getLabels().equals(Labels.of("endpoint", endpoint, "method", method, "status_code", status))) {
            return p.getValue();
          }
        }
      }
    }
    return 0;
  }

  static HistogramSnapshot.HistogramDataPointSnapshot histogram(String method, String endpoint)
      throws InterruptedException {
    settle();
    for (MetricSnapshot s : PrometheusRegistry.defaultRegistry.scrape()) {
      if (s instanceof HistogramSnapshot h && h.getMetadata().getName().equals("http_request_duration_seconds")) {
        for (HistogramSnapshot.HistogramDataPointSnapshot p : h.getDataPoints()) {
          if (p.getLabels().equals(Labels.of("endpoint", endpoint, "method", method))) {
            return p;
          }
        }
      }
    }
    return null;
  }

  static double inProgress(String method) {
    for (MetricSnapshot s : PrometheusRegistry.defaultRegistry.scrape()) {
      if (s instanceof GaugeSnapshot g && g.getMetadata().getName().equals("http_requests_in_progress")) {
        for (GaugeSnapshot.GaugeDataPointSnapshot p : g.getDataPoints()) {
          if (p.getLabels().equals(Labels.of("method", method))) {
            return p.getValue();
          }
        }
      }
    }
    return -1;
  }

  static List<MapMessage<?, ?>> accessEvents(String requestId) {
    List<MapMessage<?, ?>> out = new ArrayList<>();
    for (LogEvent e : events) {
      if (e.getLoggerName().equals("lookout.access")
          && requestId.equals(e.getContextData().getValue("request_id"))
          && e.getMessage() instanceof MapMessage<?, ?> m) {
        out.add(m);
      }
    }
    return out;
  }

  @Test
  void acceptsValidRequestIdAndPutsItInEveryLogLine() throws Exception {
    HttpResponse<String> r = get("/hello", "X-Request-ID", "abc-123", "X-Correlation-ID", "corr-9");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("X-Request-ID")).hasValue("abc-123");
    assertThat(r.headers().firstValue("X-Correlation-ID")).hasValue("corr-9");
    List<LogEvent> mine = events.stream().filter(e -> "abc-123".equals(e.getContextData().getValue("request_id"))).toList();
    assertThat(mine).extracting(LogEvent::getLoggerName).contains("app", "lookout.access");
    assertThat(mine).allSatisfy(e -> assertThat(e.getContextData().<String>getValue("correlation_id")).isEqualTo("corr-9"));
    MapMessage<?, ?> access = accessEvents("abc-123").get(0);
    assertThat(access.get("event")).isEqualTo("request_completed");
    assertThat(access.get("endpoint")).isEqualTo("/hello");
    assertThat(access.get("status")).isEqualTo("200");
    assertThat(access.get("path")).isEqualTo("/app/hello");
  }

  @Test
  void replacesHostileRequestIdsAndNeverEchoesThem() throws Exception {
    for (String hostile : new String[] {"x".repeat(5_000), "<script>alert(1)</script>", "abc def", "ñandú"}) {
      HttpResponse<String> r = get("/hello", "X-Request-ID", hostile);
      String echoed = r.headers().firstValue("X-Request-ID").orElseThrow();
      assertThat(echoed).matches("[0-9a-f]{32}").isNotEqualTo(hostile);
      assertThat(accessEvents(echoed)).hasSize(1);
    }
    assertThat(events).noneMatch(e -> e.getMessage().getFormattedMessage().contains("<script>"));
  }

  @Test
  void countsExactlyAndUsesMappingPatternAsEndpoint() throws Exception {
    double before = count("GET", "/hello", "200");
    for (int i = 0; i < 25; i++) {
      get("/hello?i=" + i);
    }
    assertThat(count("GET", "/hello", "200") - before).isEqualTo(25);
    settle();
    assertThat(inProgress("GET")).isEqualTo(0);
  }

  @Test
  void forwardedRequestIsObservedOnceUnderItsOwnMapping() throws Exception {
    double forward = count("GET", "/forward", "200");
    double hello = count("GET", "/hello", "200");
    HttpResponse<String> r = get("/forward");
    assertThat(r.body()).isEqualTo("hello");
    assertThat(count("GET", "/forward", "200") - forward).isEqualTo(1);
    assertThat(count("GET", "/hello", "200") - hello).isEqualTo(0);
    assertThat(accessEvents(r.headers().firstValue("X-Request-ID").orElseThrow())).hasSize(1);
  }

  @Test
  void aFailingLogAppenderNeverFailsTheRequest() throws Exception {
    brokenAccessLog(org.apache.logging.log4j.Level.INFO, m -> true);
    try {
      double before = count("GET", "/hello", "200");
      HttpResponse<String> r = get("/hello");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("hello");
      assertThat(count("GET", "/hello", "200") - before).isEqualTo(1);
    } finally {
      loggerContext.getConfiguration().removeLogger("lookout.access");
      loggerContext.updateLoggers();
    }
  }

  @Test
  void aFailureAfterTheStartStillFinishesTheRequest() throws Exception {
    // request_started (DEBUG) goes to an appender that throws: the request must still be counted,
    // its in-progress gauge released and its span ended.
    brokenAccessLog(org.apache.logging.log4j.Level.DEBUG,
        m -> m instanceof MapMessage<?, ?> mm && "request_started".equals(mm.get("event")));
    try {
      double before = count("GET", "/hello", "200");
      HttpResponse<String> r = get("/hello");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(count("GET", "/hello", "200") - before).isEqualTo(1);
      assertThat(inProgress("GET")).isZero();
    } finally {
      loggerContext.getConfiguration().removeLogger("lookout.access");
      loggerContext.updateLoggers();
    }
  }

  @Test
  void routeTemplateFromTheFrameworkWins() throws Exception {
    double before = count("GET", "/routed/{id}", "204");
    get("/routed/1");
    get("/routed/2");
    assertThat(count("GET", "/routed/{id}", "204") - before).isEqualTo(2);
  }

  @Test
  void unknownPathsAreNotFoundAndUnknownMethodsAreOther() throws Exception {
    double before = count("GET", "NOT_FOUND", "404");
    get("/no/such/" + System.nanoTime());
    assertThat(count("GET", "NOT_FOUND", "404") - before).isEqualTo(1);
    double otherBefore = count("_OTHER", "/hello", "405");
    http.send(
        HttpRequest.newBuilder(URI.create(base + "/hello")).method("BREW", HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(count("_OTHER", "/hello", "405") + count("_OTHER", "/hello", "501") - otherBefore).isEqualTo(1);
  }

  @Test
  void applicationExceptionIsCountedAs500AndLoggedWithIt() throws Exception {
    double before = count("GET", "/boom", "500");
    HttpResponse<String> r = get("/boom");
    assertThat(r.statusCode()).isEqualTo(500);
    assertThat(count("GET", "/boom", "500") - before).isEqualTo(1);
    String id = r.headers().firstValue("X-Request-ID").orElseThrow();
    MapMessage<?, ?> m = accessEvents(id).get(0);
    assertThat(m.get("event")).isEqualTo("request_failed");
    assertThat(m.get("error_type")).isEqualTo("java.lang.IllegalStateException");
  }

  @Test
  void asyncRequestIsMeasuredToItsRealCompletionOnce() throws Exception {
    HistogramSnapshot.HistogramDataPointSnapshot before = histogram("GET", "/async");
    long countBefore = before == null ? 0 : before.getCount();
    double sumBefore = before == null ? 0 : before.getSum();
    HttpResponse<String> r = get("/async?ms=300");
    assertThat(r.statusCode()).isEqualTo(202);
    HistogramSnapshot.HistogramDataPointSnapshot after = histogram("GET", "/async");
    assertThat(after.getCount() - countBefore).isEqualTo(1);
    assertThat(after.getSum() - sumBefore).isGreaterThanOrEqualTo(0.3);
    String id = r.headers().firstValue("X-Request-ID").orElseThrow();
    List<MapMessage<?, ?>> access = accessEvents(id);
    assertThat(access).hasSize(1);
    assertThat(access.get(0).get("status")).isEqualTo("202");
    assertThat(Double.parseDouble(access.get(0).get("duration_ms").toString())).isGreaterThanOrEqualTo(300);
  }

  @Test
  void nothingTheApplicationPutsInTheLogContextLeaksIntoTheNextRequest() throws Exception {
    for (int i = 0; i < 40; i++) {
      HttpResponse<String> r = get("/leak?n=" + i);
      assertThat(r.body()).isEqualTo("from-" + i);
      String id = r.headers().firstValue("X-Request-ID").orElseThrow();
      for (LogEvent e : events) {
        if (id.equals(e.getContextData().getValue("request_id"))) {
          String leak = e.getContextData().getValue("leak");
          assertThat(leak).isIn(null, "from-" + i);
          // each request pushes once: a leak would show as a growing stack
          assertThat(e.getContextStack().asList()).hasSizeLessThanOrEqualTo(1);
        }
      }
    }
  }

  @Test
  void clientIpComesFromForwardedForOnlyBehindTrustedProxies() throws Exception {
    HttpResponse<String> r = get("/hello", "X-Forwarded-For", "203.0.113.9");
    String id = r.headers().firstValue("X-Request-ID").orElseThrow();
    assertThat(accessEvents(id).get(0).get("client_ip")).isEqualTo("203.0.113.9");
  }

  @Test
  void masksSecretsInQueryAndNeverLogsAuthorization() throws Exception {
    HttpResponse<String> r = get("/hello?token=s3cr3t-token&page=2", "Authorization", "Bearer very-secret", "Cookie", "JSESSIONID=cookie-secret");
    String id = r.headers().firstValue("X-Request-ID").orElseThrow();
    assertThat(accessEvents(id).get(0).get("query")).isEqualTo("token=[REDACTED]&page=2");
    for (LogEvent e : events) {
      String text = e.getMessage().getFormattedMessage() + e.getContextData();
      assertThat(text).doesNotContain("s3cr3t-token", "very-secret", "cookie-secret");
    }
  }

  @Test
  void hangingCheckMakesReadinessDownWithinTimeoutWithoutPilingUpThreads() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(30);
    try {
      List<Future<HttpResponse<String>>> futures = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        futures.add(pool.submit(() -> get("/health/ready")));
      }
      for (Future<HttpResponse<String>> f : futures) {
        HttpResponse<String> r = f.get(15, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).contains("\"status\":\"DOWN\"").contains("\"name\":\"hanging\"").contains("timed out");
      }
      // a later evaluation awaits the same hung run instead of starting another
      Thread.sleep(1_200); // let the 1 s cache expire so that a new evaluation happens
      assertThat(get("/health/ready").statusCode()).isEqualTo(503);
      assertThat(hangingCheckRuns.get()).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
    HttpResponse<String> live = get("/health/live");
    assertThat(live.statusCode()).isEqualTo(200);
    assertThat(live.body()).isEqualTo("{\"status\":\"UP\",\"checks\":[]}");
  }

  @Test
  void metricsEndpointServesTheExpositionFormat() throws Exception {
    get("/hello");
    HttpResponse<String> r = get("/metrics");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body())
        .contains("http_requests_total{endpoint=\"/hello\",method=\"GET\",status_code=\"200\"}")
        .contains("http_request_duration_seconds_bucket{endpoint=\"/hello\",method=\"GET\",le=\"0.005\"}")
        .contains("http_requests_in_progress{method=\"GET\"}")
        .contains("app_info{environment=\"unknown\",service=\"orders\",version=\"unknown\"} 1")
        .contains("jvm_memory_used_bytes");
  }

  /** A readiness check that hangs (interruptibly) far longer than the timeout. */
  static final class HangingCheck implements HealthCheck {
    @Override
    public String name() {
      return "hanging";
    }

    @Override
    public HealthCheckResult check() throws Exception {
      hangingCheckRuns.incrementAndGet();
      Thread.sleep(60_000);
      return HealthCheckResult.up();
    }
  }
}
