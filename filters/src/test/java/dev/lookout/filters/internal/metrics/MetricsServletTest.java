package dev.lookout.filters.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.filters.internal.config.LookoutConfig;
import dev.lookout.filters.internal.exposure.EndpointExposure;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/** The JVM metrics join a registry at its first scrape, and only when switched on. */
class MetricsServletTest {

  @Test
  void jvmMetricsAreRegisteredAtTheFirstScrapeNotBefore() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    try (Running app = Running.serve(new MetricsServlet(registry, true, defaults()))) {
      assertThat(names(registry)).as("nothing registered at deployment").noneMatch(n -> n.startsWith("jvm_"));
      String first = app.scrape();
      assertThat(first).contains("jvm_memory_used_bytes");
      assertThat(app.scrape()).contains("jvm_memory_used_bytes"); // a second scrape registers nothing twice
    }
  }

  @Test
  void switchedOffTheScrapeHasNoJvmMetrics() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    try (Running app = Running.serve(new MetricsServlet(registry, false, defaults()))) {
      assertThat(app.scrape()).doesNotContain("jvm_");
      assertThat(names(registry)).noneMatch(n -> n.startsWith("jvm_"));
    }
  }

  private static EndpointExposure defaults() {
    return EndpointExposure.from(LookoutConfig.fromMap(java.util.Map.of()), null);
  }

  private static java.util.List<String> names(PrometheusRegistry registry) {
    return registry.scrape().stream().map(s -> s.getMetadata().getPrometheusName()).toList();
  }

  private record Running(Server server, URI uri) implements AutoCloseable {
    static Running serve(MetricsServlet servlet) throws Exception {
      Server server = new Server();
      ServerConnector connector = new ServerConnector(server);
      connector.setHost("127.0.0.1");
      connector.setPort(0);
      server.addConnector(connector);
      ServletContextHandler context = new ServletContextHandler("/");
      context.addServlet(new ServletHolder(servlet), "/metrics");
      server.setHandler(context);
      server.start();
      return new Running(server, URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/metrics"));
    }

    String scrape() throws Exception {
      HttpResponse<String> r =
          HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      return r.body();
    }

    @Override
    public void close() throws Exception {
      server.stop();
    }
  }
}
