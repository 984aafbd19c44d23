package dev.lookout.filters.internal;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Property;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/** An application that maps its own servlet at a Lookout path is told so once, at startup. */
class ShadowedEndpointTest {

  @Test
  void anApplicationServletAtTheMetricsPathIsNamedInOneWarning() throws Exception {
    List<LogEvent> events = new CopyOnWriteArrayList<>();
    LoggerContext lc = (LoggerContext) LogManager.getContext(false);
    Configuration config = lc.getConfiguration();
    AbstractAppender appender =
        new AbstractAppender("shadow-capture", null, null, true, Property.EMPTY_ARRAY) {
          @Override
          public void append(LogEvent event) {
            events.add(event.toImmutable());
          }
        };
    appender.start();
    config.addAppender(appender);
    config.getRootLogger().addAppender(appender, null, null);
    lc.updateLoggers();
    Server server = new Server(0);
    try {
      ServletContextHandler ctx = new ServletContextHandler("/");
      ctx.addEventListener(new LookoutServletContextListener());
      ctx.addServlet(new ServletHolder(new HttpServlet() {
        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
          resp.getWriter().write("the application's own metrics");
        }
      }), "/metrics");
      server.setHandler(ctx);
      server.start();
      int port = ((ServerConnector) server.getConnectors()[0]).getLocalPort();

      List<LogEvent> warnings =
          events.stream()
              .filter(e -> e.getLevel() == Level.WARN)
              .filter(e -> e.getMessage().getFormattedMessage().contains("shadows"))
              .toList();
      assertThat(warnings).hasSize(1);
      assertThat(warnings.get(0).getMessage().getFormattedMessage())
          .contains("[/metrics]")
          .contains("lookout-metrics")
          .contains("lookout.metrics.path");
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.body()).isEqualTo("the application's own metrics");
    } finally {
      server.stop();
      config.getRootLogger().removeAppender("shadow-capture");
      lc.updateLoggers();
    }
  }
}
