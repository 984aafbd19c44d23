package dev.lookout.jaxrs.resteasy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.filters.internal.LookoutServletContextListener;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.client.Client;
import jakarta.ws.rs.client.ClientBuilder;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.jboss.resteasy.plugins.server.servlet.HttpServletDispatcher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The same routes as the Jersey test, under RESTEasy 6.2 in a real Jetty, with lookout-jaxrs found
 * only through its service file: the same endpoint labels.
 */
class ResteasyRoutesTest {

  static Server server;
  static URI base;
  static final HttpClient http = HttpClient.newHttpClient();
  /** The server spans the resources ran in, to read their final names. */
  static final Map<String, io.opentelemetry.api.trace.Span> SPANS = new java.util.concurrent.ConcurrentHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    // Any OpenTelemetry setting (here the default sampler, spelled out) makes Lookout record and
    // name its spans, which this test reads; without one a request's span is only its IDs.
    System.setProperty("otel.traces.sampler", "parentbased_always_on");
    server = new Server(0);
    ServletContextHandler ctx = new ServletContextHandler("/shop");
    ctx.addEventListener(new LookoutServletContextListener());
    ServletHolder rest = new ServletHolder(new HttpServletDispatcher());
    rest.setInitParameter("jakarta.ws.rs.Application", ShopApplication.class.getName());
    rest.setInitParameter("resteasy.servlet.mapping.prefix", "/api");
    ctx.addServlet(rest, "/api/*");
    server.setHandler(ctx);
    server.start();
    base = URI.create("http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort() + "/shop");
  }

  @AfterAll
  static void stop() throws Exception {
    System.clearProperty("otel.traces.sampler");
    server.stop();
  }

  static HttpResponse<String> send(String method, String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).method(method, HttpRequest.BodyPublishers.noBody());
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static Map<String, Double> counts() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      double inProgress = 0;
      for (MetricSnapshot s : PrometheusRegistry.defaultRegistry.scrape()) {
        if (s instanceof GaugeSnapshot g && g.getMetadata().getName().equals("http_requests_in_progress")) {
          for (var p : g.getDataPoints()) {
            inProgress += p.getValue();
          }
        }
      }
      if (inProgress == 0) {
        break;
      }
      Thread.sleep(5);
    }
    Map<String, Double> out = new TreeMap<>();
    for (MetricSnapshot s : PrometheusRegistry.defaultRegistry.scrape()) {
      if (s instanceof CounterSnapshot c && c.getMetadata().getName().equals("http_requests")) {
        for (var p : c.getDataPoints()) {
          out.merge(p.getLabels().get("method") + " " + p.getLabels().get("endpoint") + " " + p.getLabels().get("status_code"), p.getValue(), Double::sum);
        }
      }
    }
    return out;
  }

  static double delta(Map<String, Double> before, Map<String, Double> after, String key) {
    return after.getOrDefault(key, 0.0) - before.getOrDefault(key, 0.0);
  }

  @Test
  void everyKindOfRouteGetsTheSameTemplateAsUnderJersey() throws Exception {
    Map<String, Double> before = counts();
    assertThat(send("GET", "/api/orders").statusCode()).isEqualTo(200);
    assertThat(send("GET", "/api/orders/42").statusCode()).isEqualTo(200);
    assertThat(send("GET", "/api/orders/42/lines/7").statusCode()).isEqualTo(200);
    assertThat(send("GET", "/api/orders/abc").statusCode()).isEqualTo(404);
    assertThat(send("DELETE", "/api/orders").statusCode()).isEqualTo(405);
    assertThat(send("GET", "/api/orders/42/mapped-failure").statusCode()).isEqualTo(503);
    assertThat(send("GET", "/api/orders/42/unmapped-failure").statusCode()).isEqualTo(500);
    Map<String, Double> after = counts();
    assertThat(delta(before, after, "GET /api/orders 200")).isEqualTo(1);
    assertThat(delta(before, after, "GET /api/orders/{id} 200")).isEqualTo(1);
    assertThat(delta(before, after, "GET /api/orders/{id}/lines/{line} 200")).isEqualTo(1);
    assertThat(delta(before, after, "GET NOT_FOUND 404")).isEqualTo(1);
    assertThat(delta(before, after, "DELETE /api/* 405")).isEqualTo(1);
    assertThat(delta(before, after, "GET /api/orders/{id}/mapped-failure 503")).isEqualTo(1);
    assertThat(delta(before, after, "GET /api/orders/{id}/unmapped-failure 500")).isEqualTo(1);
    // span names use the same templates
    assertThat(((io.opentelemetry.sdk.trace.ReadableSpan) SPANS.get("one")).getName()).isEqualTo("GET /api/orders/{id}");
    assertThat(((io.opentelemetry.sdk.trace.ReadableSpan) SPANS.get("line")).getName()).isEqualTo("GET /api/orders/{id}/lines/{line}");
    assertThat(((io.opentelemetry.sdk.trace.ReadableSpan) SPANS.get("line")).getAttribute(io.opentelemetry.api.common.AttributeKey.stringKey("http.route")))
        .isEqualTo("/api/orders/{id}/lines/{line}");
    // service file and @Provider scanning may both find the feature: the filter is registered once
    assertThat(send("GET", "/api/registrations").body()).isEqualTo("1");
  }

  @Test
  void outboundCallsCarryTheRequestIdAndTheTrace() throws Exception {
    String traceId = "1af7651916cd43dd8448eb211c80319c";
    HttpResponse<String> r =
        send("GET", "/api/proxy", "X-Request-ID", "outer-123", "traceparent", "00-" + traceId + "-b7ad6b7169203331-01");
    assertThat(r.statusCode()).isEqualTo(200);
    String[] seen = r.body().split(" ");
    assertThat(seen[1]).isEqualTo("outer-123");
    assertThat(seen[2]).startsWith("00-" + traceId + "-").doesNotContain("b7ad6b7169203331");
    assertThat(seen[3]).isEqualTo(traceId);
  }

  /** The application: resources and a mapper, no Lookout class named anywhere. */
  @ApplicationPath("/api")
  public static class ShopApplication extends Application {
    @Override
    public Set<Class<?>> getClasses() {
      return Set.of(Orders.class, Proxy.class, Mapper.class, Registrations.class);
    }
  }

  /** How often the route filter is registered in this application. */
  @Path("/registrations")
  public static class Registrations {
    @GET
    public String count(@jakarta.ws.rs.core.Context jakarta.ws.rs.core.Configuration config) {
      return Long.toString(dev.lookout.jaxrs.internal.RouteTemplateFilterRegistrations.count(config));
    }
  }

  @Path("/orders")
  public static class Orders {
    @GET
    public String list() {
      return "[]";
    }

    @GET
    @Path("{id: [0-9]+}")
    public String one(@PathParam("id") long id) {
      SPANS.put("one", io.opentelemetry.api.trace.Span.current());
      return "order " + id;
    }

    @POST
    public String create() {
      return "created";
    }

    @Path("{id: [0-9]+}/lines")
    public Lines lines(@PathParam("id") long id) {
      return new Lines();
    }

    @GET
    @Path("{id: [0-9]+}/mapped-failure")
    public String mapped() {
      throw new PaymentDown();
    }

    @GET
    @Path("{id: [0-9]+}/unmapped-failure")
    public String unmapped() {
      throw new IllegalStateException("nobody maps me");
    }

    @GET
    @Path("echo-id")
    public String echoId(@HeaderParam("X-Request-ID") String id, @HeaderParam("traceparent") String traceparent) {
      return "callee-saw " + id + " " + traceparent + " " + io.opentelemetry.api.trace.Span.current().getSpanContext().getTraceId();
    }
  }

  public static class Lines {
    @GET
    @Path("{line}")
    public String line(@PathParam("line") String line) {
      SPANS.put("line", io.opentelemetry.api.trace.Span.current());
      return "line " + line;
    }
  }

  @Path("/proxy")
  public static class Proxy {
    @GET
    public String call() {
      Client client = ClientBuilder.newClient();
      try {
        return client.target(base + "/api/orders/echo-id").request().get(String.class);
      } finally {
        client.close();
      }
    }
  }

  public static class PaymentDown extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  @jakarta.ws.rs.ext.Provider
  public static class Mapper implements ExceptionMapper<PaymentDown> {
    @Override
    public Response toResponse(PaymentDown e) {
      return Response.status(503).entity("payments down").build();
    }
  }
}
