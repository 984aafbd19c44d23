package dev.lookout.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.junit.jupiter.api.Test;

/**
 * Undeploy and redeploy the example in a running Jetty: it starts again without "already
 * registered" errors, its metrics start fresh, and no Lookout thread nor JVM-wide JUL handler
 * outlives the old deployment.
 */
class RedeployTest {

  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void undeployAndRedeployInARunningJetty() throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ContextHandlerCollection contexts = new ContextHandlerCollection();
    server.setHandler(contexts);
    server.start();
    try {
      URI base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
      WebAppContext first = deploy(contexts);
      assertThat(get(base, "/api/orders").statusCode()).isEqualTo(200);
      assertThat(get(base, "/health/ready").statusCode()).isEqualTo(200); // starts a health thread
      assertThat(ordersCount(base)).isEqualTo(1);
      assertThat(lookoutThreads()).isNotEmpty();
      assertThat(lookoutThreads()).anyMatch(n -> n.startsWith("prometheus-metrics-scheduler")); // exemplars
      ClassLoader firstLoader = first.getClassLoader();
      assertThat(julHandlersOf(firstLoader)).as("JUL routed into the web application's Log4j2").hasSize(1);

      first.stop();
      contexts.removeHandler(first);
      first.destroy();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!lookoutThreads().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(lookoutThreads()).as("Lookout threads left after undeploy").isEmpty();
      assertThat(julHandlersOf(firstLoader)).as("JVM-wide JUL handlers of the undeployed application").isEmpty();

      WebAppContext second = deploy(contexts);
      assertThat(second.isAvailable()).as("redeployed application is available").isTrue();
      assertThat(ordersCount(base)).as("metrics start fresh").isEqualTo(0);
      assertThat(get(base, "/api/orders").statusCode()).isEqualTo(200);
      assertThat(ordersCount(base)).isEqualTo(1);
      ClassLoader secondLoader = second.getClassLoader();
      assertThat(julHandlersOf(secondLoader)).hasSize(1);
      second.stop();
      assertThat(julHandlersOf(secondLoader)).isEmpty();
    } finally {
      server.stop();
    }
  }

  private static WebAppContext deploy(ContextHandlerCollection contexts) throws Exception {
    WebAppContext webapp = new WebAppContext();
    webapp.setContextPath("/");
    webapp.setWar(Path.of(System.getProperty("it.war")).toAbsolutePath().toString());
    webapp.setThrowUnavailableOnStartupException(true);
    contexts.addHandler(webapp);
    webapp.start();
    return webapp;
  }

  private HttpResponse<String> get(URI base, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private double ordersCount(URI base) throws Exception {
    MetricsText m = MetricsText.settled(() -> get(base, "/metrics").body());
    return m.value("http_requests_total", "endpoint", "/api/orders", "method", "GET", "status_code", "200");
  }

  /** Handlers on the JVM-wide JUL root logger whose class the given web application loaded. */
  private static List<java.util.logging.Handler> julHandlersOf(ClassLoader webapp) {
    return java.util.Arrays.stream(java.util.logging.Logger.getLogger("").getHandlers())
        .filter(h -> h.getClass().getClassLoader() == webapp)
        .toList();
  }

  private static List<String> lookoutThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        // Lookout's own, and those of the libraries it brings into the WAR
        .filter(n -> n.startsWith("lookout-") || n.startsWith("prometheus-metrics-"))
        .toList();
  }
}
