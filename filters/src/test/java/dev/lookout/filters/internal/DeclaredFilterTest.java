package dev.lookout.filters.internal;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.EnumSet;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/** The filter declared in web.xml (Lookout's fragment excluded), without the listener. */
class DeclaredFilterTest {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static Server start(Map<String, String> params, ServletContextHandler[] out) throws Exception {
    Server server = new Server(0);
    ServletContextHandler ctx = new ServletContextHandler("/app");
    params.forEach(ctx::setInitParameter);
    ctx.addFilter(LookoutFilter.class, "/*", EnumSet.of(DispatcherType.REQUEST, DispatcherType.ASYNC));
    ctx.addServlet(new ServletHolder(new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.getWriter().write("ok");
      }
    }), "/hello");
    server.setHandler(ctx);
    server.start();
    out[0] = ctx;
    return server;
  }

  private static HttpResponse<String> get(Server server) throws Exception {
    int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/app/hello")).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void switchedOffItPassesRequestsThroughAndCreatesNothing() throws Exception {
    ServletContextHandler[] ctx = new ServletContextHandler[1];
    Server server = start(Map.of("lookout.enabled", "false"), ctx);
    try {
      HttpResponse<String> r = get(server);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("X-Request-ID")).isEmpty();
      assertThat(ctx[0].getServletContext().getAttribute(LookoutRuntime.ATTRIBUTE)).isNull();
    } finally {
      server.stop();
    }
  }

  @Test
  void switchedOnTheRuntimeItCreatesIsClosedWithTheFilter() throws Exception {
    ServletContextHandler[] ctx = new ServletContextHandler[1];
    Server server = start(Map.of("lookout.metrics.enabled", "false", "lookout.tracing.enabled", "false"), ctx);
    LookoutRuntime runtime;
    try {
      HttpResponse<String> r = get(server);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("X-Request-ID")).isPresent();
      runtime = (LookoutRuntime) ctx[0].getServletContext().getAttribute(LookoutRuntime.ATTRIBUTE);
      assertThat(runtime).isNotNull();
      assertThat(LookoutRuntime.current()).isSameAs(runtime);
    } finally {
      server.stop();
    }
    assertThat(LookoutRuntime.current()).as("closed on undeploy").isNull();
    assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("lookout-health-"));
  }
}
