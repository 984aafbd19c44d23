package dev.lookout.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.junit.jupiter.api.Test;

/**
 * Undeploy and redeploy the example in a running Tomcat 11: fresh metrics, no Lookout thread, JUL
 * handler or thread-local value left.
 */
class TomcatRedeployTest {

  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void undeployAndRedeployInARunningTomcat() throws Exception {
    Path base = Files.createTempDirectory(Path.of(System.getProperty("it.work", "target")).toAbsolutePath().getParent(), "tomcat-redeploy");
    Files.createDirectories(base.resolve("webapps"));
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(base.toString());
    Connector connector = new Connector();
    connector.setPort(0);
    connector.setProperty("address", "127.0.0.1");
    tomcat.getService().addConnector(connector);
    tomcat.setConnector(connector);
    tomcat.setAddDefaultWebXmlToWebapp(false);
    tomcat.getHost().setAutoDeploy(false);
    // Tomcat's leak detection reports, at undeploy, every thread-local value a pooled thread still
    // holds whose key or value the application's class loader loaded.
    List<String> leaks = new CopyOnWriteArrayList<>();
    Handler leakReports =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            // JUL's own formatting: a value's toString() may hold braces that MessageFormat would reject
            String message = new SimpleFormatter().formatMessage(record);
            if (message.contains("ThreadLocal")) {
              leaks.add(message);
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger loaderLog = Logger.getLogger("org.apache.catalina.loader.WebappClassLoaderBase");
    loaderLog.addHandler(leakReports);
    String war = Path.of(System.getProperty("it.war")).toAbsolutePath().toString();
    Context first = tomcat.addWebapp("", war);
    tomcat.start();
    try {
      URI uri = URI.create("http://127.0.0.1:" + connector.getLocalPort());
      assertThat(get(uri, "/api/orders").statusCode()).isEqualTo(200);
      assertThat(get(uri, "/health/ready").statusCode()).isEqualTo(200);
      assertThat(get(uri, "/api/fail/unavailable").statusCode()).as("a request that logs a warning").isEqualTo(503);
      assertThat(get(uri, "/api/fail").statusCode()).as("a request that fails with an exception").isEqualTo(500);
      assertThat(ordersCount(uri)).isEqualTo(1);
      assertThat(lookoutThreads()).isNotEmpty();
      ClassLoader firstLoader = first.getLoader().getClassLoader();
      assertThat(julHandlersOf(firstLoader)).as("JUL routed into the web application's Log4j2").hasSize(1);

      tomcat.getHost().removeChild(first); // undeploy
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (!lookoutThreads().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(lookoutThreads()).as("Lookout threads left after undeploy").isEmpty();
      assertThat(julHandlersOf(firstLoader)).as("JUL handlers of the undeployed application").isEmpty();
      // Without java.lang opened to it, Tomcat only warns that it could not look, and nothing is checked.
      assertThat(leaks)
          .as("Tomcat's thread-local leak detection ran")
          .noneMatch(m -> m.contains("--add-opens") || m.contains("Failed to check for ThreadLocal"));
      assertThat(leaks)
          .as("thread-local values of Lookout, Log4j2, OpenTelemetry or prometheus-metrics left on Tomcat's threads")
          .noneMatch(m -> m.contains("dev.lookout") || m.contains("org.apache.logging") || m.contains("io.opentelemetry") || m.contains("io.prometheus"));

      Context second = tomcat.addWebapp("", war); // redeploy
      assertThat(second.getState()).isEqualTo(LifecycleState.STARTED);
      assertThat(ordersCount(uri)).as("metrics start fresh").isEqualTo(0);
      assertThat(get(uri, "/api/orders").statusCode()).isEqualTo(200);
      assertThat(ordersCount(uri)).isEqualTo(1);
    } finally {
      loaderLog.removeHandler(leakReports);
      tomcat.stop();
      tomcat.destroy();
    }
  }

  private HttpResponse<String> get(URI base, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(base.resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private double ordersCount(URI base) throws Exception {
    return MetricsText.settled(() -> get(base, "/metrics").body())
        .value("http_requests_total", "endpoint", "/api/orders", "method", "GET", "status_code", "200");
  }

  /** Handlers on the JUL root logger whose class the given web application loaded. */
  private static List<java.util.logging.Handler> julHandlersOf(ClassLoader webapp) {
    return java.util.Arrays.stream(java.util.logging.Logger.getLogger("").getHandlers())
        .filter(h -> h.getClass().getClassLoader() == webapp)
        .toList();
  }

  private static List<String> lookoutThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.startsWith("lookout-") || n.startsWith("prometheus-metrics-"))
        .toList();
  }
}
