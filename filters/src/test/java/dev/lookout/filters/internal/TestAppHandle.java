package dev.lookout.filters.internal;

import io.opentelemetry.api.trace.Span;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/** A small web application with Lookout's listener, in a real Jetty on a free port. */
public final class TestAppHandle implements AutoCloseable {

  private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "test-app-timer");
    t.setDaemon(true);
    return t;
  });

  final Server server;
  final URI base;

  private TestAppHandle(Server server, URI base) {
    this.server = server;
    this.base = base;
  }

  public static TestAppHandle start(Map<String, String> initParams) throws Exception {
    Server server = new Server(0);
    ServletContextHandler ctx = new ServletContextHandler("/app");
    initParams.forEach(ctx::setInitParameter);
    ctx.addEventListener(new LookoutServletContextListener());
    ctx.addServlet(new ServletHolder(new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        LogManager.getLogger("app").info("hello from the app");
        // what application code sees as the current span
        resp.getWriter().write(Span.current().getSpanContext().getTraceId());
      }
    }), "/hello");
    ctx.addServlet(new ServletHolder(new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.getWriter().write(Span.current().getSpanContext().getTraceId());
      }
    }), "/exemplar");
    ctx.addServlet(new ServletHolder(new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
        throw new IllegalStateException("boom");
      }
    }), "/boom");
    ctx.addServlet(new ServletHolder(new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.sendError(400, "bad");
      }
    }), "/bad");
    ServletHolder async = new ServletHolder(new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
        AsyncContext ac = req.startAsync();
        TIMER.schedule(() -> ac.complete(), Long.parseLong(req.getParameter("ms")), TimeUnit.MILLISECONDS);
      }
    });
    async.setAsyncSupported(true);
    ctx.addServlet(async, "/async");
    server.setHandler(ctx);
    server.start();
    URI base = URI.create("http://127.0.0.1:" + ((ServerConnector) server.getConnectors()[0]).getLocalPort() + "/app");
    return new TestAppHandle(server, base);
  }

  public URI base() {
    return base;
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }
}
