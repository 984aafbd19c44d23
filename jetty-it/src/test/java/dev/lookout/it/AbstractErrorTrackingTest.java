package dev.lookout.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Error tracking with the real Sentry SDK in the unchanged example WAR, over real HTTP, against a
 * Sentry endpoint on loopback that decodes the envelopes it receives. A container's test is a
 * subclass naming the container (all of them run the WAR in a {@link ForkedServer}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractErrorTrackingTest {

  static final String SERVICE = "orders";
  static final String ENVIRONMENT = "it-errors";

  final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  SentryReceiver receiver;
  ForkedServer app;

  /** A name for this container's servers (their log files). */
  protected abstract String container();

  ForkedServer start(String name, String... options) throws Exception {
    List<String> all = new ArrayList<>(List.of("-Dlookout.service.name=" + SERVICE, "-Dlookout.service.environment=" + ENVIRONMENT));
    all.addAll(Arrays.asList(options));
    return ForkedServer.start(container() + "-" + name, all);
  }

  @BeforeAll
  void startAppAndReceiver() throws Exception {
    receiver = SentryReceiver.answering();
    app = start("errors", "-Dsentry.dsn=" + receiver.dsn(), "-Dlookout.log.redact-patterns=true");
  }

  @AfterAll
  void stop() throws Exception {
    if (app != null) {
      app.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  HttpResponse<String> get(ForkedServer server, String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.base() + path)).timeout(Duration.ofSeconds(30));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String newId(String prefix) {
    return prefix + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 30));
  }

  static String newTraceId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    return String.format("%016x%016x", r.nextLong() | 1, r.nextLong());
  }

  /**
   * All events of a request, once every event it could have caused has arrived: the SDK sends in
   * order on one thread, so when the event of a later failed request is in, the earlier ones are.
   */
  List<JsonNode> settledEventsOf(String requestId) throws Exception {
    assertThat(receiver.awaitEvents(SentryReceiver.ofRequest(requestId), 1)).as("an event for %s", requestId).isNotEmpty();
    String barrier = newId("barrier");
    assertThat(get(app, "/api/fail/unavailable", "X-Request-ID", barrier).statusCode()).isEqualTo(503);
    assertThat(receiver.awaitEvents(SentryReceiver.ofRequest(barrier), 1)).isNotEmpty();
    return receiver.events().stream().filter(SentryReceiver.ofRequest(requestId)).toList();
  }

  static List<String> breadcrumbMessages(JsonNode event) {
    List<String> out = new ArrayList<>();
    JsonNode crumbs = event.path("breadcrumbs");
    JsonNode values = crumbs.isArray() ? crumbs : crumbs.path("values");
    values.forEach(b -> out.add(b.path("message").asText()));
    return out;
  }

  static String exceptionType(JsonNode event) {
    JsonNode values = event.path("exception").path("values");
    return values.isEmpty() ? "" : values.get(values.size() - 1).path("type").asText();
  }

  // ---- tests ----------------------------------------------------------------------------------

  @Test
  void aFailedRequestIsOneEventWithItsTagsTransactionEnvironmentAndRelease() throws Exception {
    String id = newId("fail");
    String traceId = newTraceId();
    HttpResponse<String> r = get(app, "/api/fail?note=" + id, "X-Request-ID", id, "traceparent", "00-" + traceId + "-b7ad6b7169203331-01");
    assertThat(r.statusCode()).isEqualTo(500);

    List<JsonNode> events = settledEventsOf(id);
    assertThat(events).as("the app's exception, Lookout's request_failed and the container's log are one event").hasSize(1);
    JsonNode e = events.get(0);
    JsonNode tags = e.path("tags");
    assertThat(tags.path("request_id").asText()).isEqualTo(id);
    assertThat(tags.path("trace_id").asText()).isEqualTo(traceId);
    assertThat(tags.path("span_id").asText()).hasSize(16).isNotEqualTo("b7ad6b7169203331");
    assertThat(tags.path("endpoint").asText()).isEqualTo("/api/fail");
    assertThat(tags.path("http.method").asText()).isEqualTo("GET");
    assertThat(tags.path("status_code").asText()).isEqualTo("500");
    assertThat(e.path("transaction").asText()).isEqualTo("GET /api/fail");
    assertThat(e.path("environment").asText()).isEqualTo(ENVIRONMENT);
    assertThat(e.path("release").asText()).startsWith(SERVICE + "@").doesNotEndWith("@");
    assertThat(exceptionType(e)).isEqualTo("IllegalStateException");
    assertThat(e.path("contexts").path("trace").path("trace_id").asText()).isEqualTo(traceId);
    assertThat(breadcrumbMessages(e)).contains("about to fail: " + id);
  }

  @Test
  void anExceptionTheAppLogsAndRethrowsIsOneEvent() throws Exception {
    String id = newId("logged");
    assertThat(get(app, "/api/fail/logged", "X-Request-ID", id).statusCode()).isEqualTo(500);
    List<JsonNode> events = settledEventsOf(id);
    assertThat(events).hasSize(1);
    assertThat(events.get(0).path("logger").asText()).isEqualTo("dev.lookout.example.DemoResource");
    assertThat(events.get(0).path("tags").path("endpoint").asText()).isEqualTo("/api/fail/logged");
    assertThat(events.get(0).path("tags").path("status_code").asText()).isEqualTo("500");
  }

  @Test
  void a503WithoutAnExceptionIsOneEvent() throws Exception {
    String id = newId("unavailable");
    assertThat(get(app, "/api/fail/unavailable", "X-Request-ID", id).statusCode()).isEqualTo(503);
    List<JsonNode> events = settledEventsOf(id);
    assertThat(events).hasSize(1);
    JsonNode e = events.get(0);
    assertThat(e.path("message").path("formatted").asText()).contains("503");
    assertThat(e.path("transaction").asText()).isEqualTo("GET /api/fail/unavailable");
    assertThat(breadcrumbMessages(e)).contains("the payment provider is down");
  }

  @Test
  void aSuccessfulRequestSendsNothing() throws Exception {
    String id = newId("ok");
    assertThat(get(app, "/api/orders", "X-Request-ID", id).statusCode()).isEqualTo(200);
    assertThat(settledEventsOfAny(id)).isEmpty();
  }

  private List<JsonNode> settledEventsOfAny(String requestId) throws Exception {
    String barrier = newId("barrier");
    assertThat(get(app, "/api/fail/unavailable", "X-Request-ID", barrier).statusCode()).isEqualTo(503);
    assertThat(receiver.awaitEvents(SentryReceiver.ofRequest(barrier), 1)).isNotEmpty();
    return receiver.events().stream().filter(SentryReceiver.ofRequest(requestId)).toList();
  }

  @Test
  void eachEventCarriesTheBreadcrumbsOfItsOwnRequestOnly() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      ids.add(newId("concurrent" + i));
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> statuses = new ArrayList<>();
      for (String id : ids) {
        statuses.add(pool.submit(() -> get(app, "/api/fail?ms=200&note=" + id, "X-Request-ID", id).statusCode()));
      }
      for (Future<Integer> s : statuses) {
        assertThat(s.get(60, TimeUnit.SECONDS)).isEqualTo(500);
      }
    } finally {
      pool.shutdownNow();
    }
    for (String id : ids) {
      List<JsonNode> events = settledEventsOf(id);
      assertThat(events).hasSize(1);
      List<String> crumbs = breadcrumbMessages(events.get(0));
      assertThat(crumbs).contains("about to fail: " + id);
      for (String other : ids) {
        if (!other.equals(id)) {
          assertThat(String.join("\n", crumbs)).doesNotContain(other);
        }
      }
    }
  }

  @Test
  void secretsNeverReachSentry() throws Exception {
    String id = newId("careless");
    HttpResponse<String> r =
        get(
            app,
            "/api/fail/careless?token=tok-QUERYSECRET-1&page=2",
            "X-Request-ID", id,
            "Authorization", "Bearer bearer-HEADERSECRET-0123456789",
            "Cookie", "JSESSIONID=cookie-COOKIESECRET-1");
    assertThat(r.statusCode()).isEqualTo(500);
    List<JsonNode> events = settledEventsOf(id);
    assertThat(events).hasSize(1);
    JsonNode e = events.get(0);
    assertThat(e.path("user").path("id").asText()).isEqualTo("user-42");
    assertThat(e.path("user").has("ip_address")).isFalse();
    assertThat(breadcrumbMessages(e)).anySatisfy(m -> assertThat(m).contains("payment_attempt").contains("password=\"[REDACTED]\""));
    assertThat(breadcrumbMessages(e)).anySatisfy(m -> assertThat(m).contains("token=[REDACTED]").contains("page=2"));
    assertThat(e.path("exception").toString()).contains("[REDACTED]").contains("declined");
    for (String body : receiver.bodies()) {
      assertThat(body)
          .doesNotContain("HEADERSECRET")
          .doesNotContain("COOKIESECRET")
          .doesNotContain("QUERYSECRET")
          .doesNotContain("hunter2")
          .doesNotContain("eyJhbGciOiJIUzI1NiJ9")
          .doesNotContain("4111 1111 1111 1111");
    }
  }

  @Test
  void aHangingSentryNeverHoldsARequestAndItsDropsAreCounted() throws Exception {
    try (SentryReceiver hanging = SentryReceiver.hanging();
        ForkedServer server = start("hanging", "-Dsentry.dsn=" + hanging.dsn(), "-Dlookout.errors.queue-size=5")) {
      ExecutorService pool = Executors.newFixedThreadPool(8);
      AtomicBoolean running = new AtomicBoolean(true);
      List<String> dumps = new CopyOnWriteArrayList<>();
      Map<String, Integer> wrong = new ConcurrentHashMap<>();
      try {
        // One failed request, then enough to fill the queue, one at a time: the SDK's capturing and
        // dropping paths are loaded and linked before the dumps start, so that a request thread
        // found waiting below is waiting for the SDK's sender or a lock, not for the JVM's class linking.
        for (int i = 0; i < 8; i++) {
          assertThat(get(server, "/api/fail?note=warm" + i).statusCode()).isEqualTo(500);
        }
        // Seven clients keep sending until the dumper has taken ten dumps (and at least 200 requests
        // went out), so that the dumps see requests being captured, not just idle threads.
        AtomicInteger sent = new AtomicInteger();
        Future<?> dumper =
            pool.submit(
                () -> {
                  while (running.get()) {
                    dumps.add(server.jcmd("Thread.print", "-l"));
                  }
                  return null;
                });
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < 7; c++) {
          clients.add(
              pool.submit(
                  () -> {
                    for (int i = sent.getAndIncrement(); i < 200 || dumps.size() < 10; i = sent.getAndIncrement()) {
                      boolean fails = i % 4 == 0;
                      String path = fails ? "/api/fail?note=h" + i : "/api/orders";
                      int s = get(server, path).statusCode();
                      if (s != (fails ? 500 : 200)) {
                        wrong.merge(path + " -> " + s, 1, Integer::sum);
                      }
                    }
                    return null;
                  }));
        }
        for (Future<?> c : clients) {
          c.get(180, TimeUnit.SECONDS);
        }
        running.set(false);
        dumper.get(120, TimeUnit.SECONDS);
      } finally {
        running.set(false);
        pool.shutdownNow();
      }
      assertThat(wrong).as("every request kept its normal status").isEmpty();
      assertThat(hanging.requests()).as("the SDK did reach the hanging endpoint").isPositive();
      assertThat(dumps).hasSizeGreaterThanOrEqualTo(10);
      String all = String.join("\n", dumps);
      assertThat(all).as("the SDK's sender is stuck on the hanging endpoint").contains("\"SentryAsyncConnection-");
      for (String dump : dumps) {
        List<String> threads = ThreadDump.threads(dump);
        for (String thread : threads) {
          // Capturing runs on the request thread; talking to the endpoint, or waiting for it, never does.
          // A class's first use may still wait for another thread loading, linking or initialising it:
          // once per class, never for the endpoint. Linking waits on a monitor that no Java frame holds,
          // so it shows as BLOCKED without a "waiting to lock" line; a Java lock always names itself.
          if (!isRequestThread(thread)
              || !thread.contains("at io.sentry.")
              || thread.contains(".loadClass(")
              || thread.contains("- waiting on the Class initialization monitor")
              || (thread.contains("java.lang.Thread.State: BLOCKED") && !thread.contains("- waiting to lock"))) {
            continue;
          }
          assertThat(thread)
              .as("a request thread in Sentry code")
              .doesNotContain("at java.net.Socket")
              .doesNotContain("at java.net.InetAddress")
              .doesNotContain("at sun.nio.ch.")
              .doesNotContain("at sun.net.www.")
              .doesNotContain("- waiting on");
          // Waiting for a lock is allowed only while another capturing request holds it, or just
          // released it (the SDK's queue and scopes are shared for a moment); a condition, a latch, a
          // future, or a lock that any other thread (the sender) holds is waiting for the endpoint.
          String awaited = ThreadDump.awaitedLock(thread);
          if (awaited != null) {
            String owner = ThreadDump.owner(threads, awaited);
            if (owner != null) {
              assertThat(isRequestThread(owner))
                  .as("the lock a capturing request thread waits for:%n%sis held by a request thread:%n%s", thread, owner)
                  .isTrue();
              assertThat(owner)
                  .as("the request thread holding a lock that another waits for")
                  .doesNotContain("at java.net.Socket")
                  .doesNotContain("at sun.nio.ch.")
                  .doesNotContain("at sun.net.www.");
            }
          } else {
            assertThat(thread).contains("java.lang.Thread.State: RUNNABLE");
          }
        }
      }
      MetricsText m = MetricsText.settled(() -> get(server, "/metrics").body());
      assertThat(m.value("lookout_error_events_dropped_total", "reason", "queue_overflow")).isPositive();
    }
  }

  @Test
  void withTracingOffEachFailedRequestIsItsOwnTrace() throws Exception {
    try (SentryReceiver untraced = SentryReceiver.answering();
        ForkedServer server = start("untraced", "-Dsentry.dsn=" + untraced.dsn(), "-Dlookout.tracing.enabled=false")) {
      List<String> ids = List.of(newId("untraced"), newId("untraced"), newId("untraced"));
      for (String id : ids) {
        assertThat(get(server, "/api/fail?note=" + id, "X-Request-ID", id).statusCode()).isEqualTo(500);
      }
      List<String> traces = new ArrayList<>();
      for (String id : ids) {
        List<JsonNode> events = untraced.awaitEvents(SentryReceiver.ofRequest(id), 1);
        assertThat(events).as("an event for %s", id).hasSize(1);
        JsonNode e = events.get(0);
        assertThat(e.path("tags").has("trace_id")).as("no trace_id tag without a span").isFalse();
        traces.add(e.path("contexts").path("trace").path("trace_id").asText());
      }
      assertThat(traces).allSatisfy(t -> assertThat(t).hasSize(32)).doesNotHaveDuplicates();
    }
  }

  @Test
  void withoutADsnNothingOfSentryIsLoadedOrConnected() throws Exception {
    try (ForkedServer server = start("no-dsn")) {
      assertThat(get(server, "/api/fail").statusCode()).isEqualTo(500);
      assertThat(get(server, "/api/orders").statusCode()).isEqualTo(200);
      assertThat(sentryThreads(server)).isEmpty();
      assertThat(sentryClasses(server)).isEmpty();
    }
  }

  /** A thread serving a request through Lookout's filter. */
  static boolean isRequestThread(String thread) {
    return thread.contains("dev.lookout.filters.internal.LookoutFilter");
  }

  /** Threads of the Sentry SDK (they are all named Sentry…). */
  static List<String> sentryThreads(ForkedServer server) throws Exception {
    return server.jcmd("Thread.print").lines().filter(l -> l.startsWith("\"") && l.toLowerCase().contains("sentry")).toList();
  }

  /**
   * Loaded classes of the Sentry SDK, except its appender: Log4j2 loads every class named in a
   * jar's plugin index (sentry-log4j2 has one) without initialising it. Had it been initialised,
   * its static initialiser would have loaded {@code io.sentry.SentryIntegrationPackageStorage}.
   */
  static List<String> sentryClasses(ForkedServer server) throws Exception {
    return server.jcmd("VM.class_hierarchy").lines()
        .filter(l -> l.contains("io.sentry."))
        .filter(l -> !l.contains("io.sentry.log4j2.SentryAppender/"))
        .toList();
  }

  @Test
  void switchedOffWithADsnSetNoConnectionIsAttempted() throws Exception {
    try (SentryReceiver unused = SentryReceiver.answering();
        ForkedServer server = start("off", "-Dsentry.dsn=" + unused.dsn(), "-Dlookout.errors.enabled=false")) {
      for (int i = 0; i < 5; i++) {
        assertThat(get(server, "/api/fail").statusCode()).isEqualTo(500);
      }
      assertThat(sentryThreads(server)).isEmpty();
      assertThat(sentryClasses(server)).isEmpty();
      assertThat(unused.requests()).isZero();
    }
  }

  @Test
  void aBadDsnFailsTheDeploymentNamingTheSetting() throws Exception {
    String output;
    ForkedServer server = null;
    try {
      server = start("bad-dsn", "-Dsentry.dsn=ftp://no-key-here/x");
      // a container that keeps running without the application: it must not serve it
      assertThat(get(server, "/api/orders").statusCode()).isNotEqualTo(200);
      output = server.stderrText() + server.stdoutText();
    } catch (IllegalStateException exited) {
      output = exited.getMessage();
    } finally {
      if (server != null) {
        server.close();
      }
    }
    assertThat(output).contains("SENTRY_DSN");
  }
}
