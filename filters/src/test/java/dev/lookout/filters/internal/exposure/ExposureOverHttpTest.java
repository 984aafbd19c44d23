package dev.lookout.filters.internal.exposure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.filters.internal.LookoutServletContextListener;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/**
 * The allow-list on the socket's remote address over real IPv4 and IPv6 connections: one Jetty
 * with a connector on {@code 127.0.0.1} and one on {@code ::1}, as the container reports each peer.
 */
class ExposureOverHttpTest {

  @Test
  void anIpv6RangeAdmitsIpv6CallersAndNotIpv4Ones() throws Exception {
    Server server = new Server();
    ServerConnector v4 = new ServerConnector(server);
    v4.setHost("127.0.0.1");
    ServerConnector v6 = new ServerConnector(server);
    v6.setHost("::1");
    server.addConnector(v4);
    server.addConnector(v6);
    ServletContextHandler ctx = new ServletContextHandler("/");
    ctx.setInitParameter("lookout.endpoints.allow", "::1/128");
    ctx.setInitParameter("lookout.tracing.enabled", "false");
    ctx.addEventListener(new LookoutServletContextListener());
    server.setHandler(ctx);
    server.start();
    try {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      URI overV6 = URI.create("http://[::1]:" + v6.getLocalPort());
      URI overV4 = URI.create("http://127.0.0.1:" + v4.getLocalPort());
      assertThat(status(http, overV6.resolve("/metrics"))).isEqualTo(200);
      assertThat(status(http, overV4.resolve("/metrics"))).isEqualTo(404);
      HttpResponse<String> health = http.send(HttpRequest.newBuilder(overV4.resolve("/health")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(health.body()).isEqualTo("{\"status\":\"UP\"}");
      String scrape =
          http.send(HttpRequest.newBuilder(overV6.resolve("/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
      assertThat(scrape).contains("lookout_endpoint_denied_total{endpoint=\"metrics\",reason=\"address\"} 1.0");
      assertThat(scrape).contains("lookout_endpoint_denied_total{endpoint=\"health\",reason=\"address\"} 1.0");
    } finally {
      server.stop();
    }
  }

  private static int status(HttpClient http, URI uri) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
