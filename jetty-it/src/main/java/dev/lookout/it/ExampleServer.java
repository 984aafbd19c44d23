package dev.lookout.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.jul.Log4jBridgeHandler;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Deploys a WAR, unchanged, into an embedded Jetty 12 (ee10) — as a user's Jetty would — and
 * serves it until the process is stopped. Logs {@code LISTENING <port>} once ready.
 *
 * <p>Its own logs (Jetty's, through SLF4J, and java.util.logging records of threads that are not
 * the web application's) are JSON lines on stderr through Log4j2 ({@code log4j2-launcher.xml});
 * the web application logs through its own Log4j2 on stdout. So every line the process writes is
 * one JSON object.
 *
 * <p>Usage: {@code ExampleServer <war> [port]}; port 0 picks a free one. With {@code
 * -Dit.management-connector=true} it adds a second connector on a free port, as an operator adds a
 * management port, gives Lookout its number as {@code lookout.endpoints.port} and prints {@code
 * MANAGEMENT <port>}.
 */
public final class ExampleServer {

  private ExampleServer() {}

  public static void main(String[] args) throws Exception {
    Configurator.initialize("launcher", ExampleServer.class.getClassLoader(), "classpath:log4j2-launcher.xml");
    routeJulOutsideWebApps();
    Logger log = LogManager.getLogger(ExampleServer.class);
    if (args.length < 1) {
      log.error("usage: ExampleServer <war> [port]");
      System.exit(2);
    }
    Path war = Path.of(args[0]);
    if (!Files.isRegularFile(war)) {
      log.error("no WAR at {}: build it first (mvn -B -DskipTests verify)", war.toAbsolutePath());
      System.exit(2);
    }
    int port = args.length > 1 ? Integer.parseInt(args[1]) : 8080;

    QueuedThreadPool threads = new QueuedThreadPool(Integer.getInteger("it.maxThreads", 200), 8);
    threads.setName("jetty");
    Server server = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(System.getProperty("it.host", "127.0.0.1"));
    connector.setPort(port);
    server.addConnector(connector);
    ServerConnector management = null;
    if (Boolean.getBoolean("it.management-connector")) {
      management = new ServerConnector(server, new HttpConnectionFactory(http));
      management.setHost(System.getProperty("it.host", "127.0.0.1"));
      management.setPort(0);
      management.open(); // bound now, so that its port is known before the application deploys
      System.setProperty("lookout.endpoints.port", String.valueOf(management.getLocalPort()));
      server.addConnector(management);
    }

    WebAppContext webapp = new WebAppContext();
    webapp.setContextPath(System.getProperty("it.contextPath", "/"));
    webapp.setWar(war.toAbsolutePath().toString());
    webapp.setThrowUnavailableOnStartupException(true);
    server.setHandler(webapp);
    server.setStopAtShutdown(true);
    server.start();
    if (management != null) {
      log.info("MANAGEMENT {}", management.getLocalPort());
    }
    log.info("LISTENING {}", connector.getLocalPort());
    if (port != 0) {
      log.info("Example at http://localhost:{}/api/orders (metrics: /metrics, health: /health). Ctrl-C stops it.",
          connector.getLocalPort());
    }
    server.join();
  }

  /**
   * java.util.logging is JVM-wide: the JDK's console handler would write plain text. Records of the
   * web application's threads are routed by the web application itself (lookout-log4j2); the rest
   * goes into the launcher's Log4j2.
   */
  private static void routeJulOutsideWebApps() {
    java.util.logging.LogManager.getLogManager().reset();
    Log4jBridgeHandler bridge = new Log4jBridgeHandler(false, null, false);
    ClassLoader launcher = ExampleServer.class.getClassLoader();
    java.util.logging.Logger.getLogger("").addHandler(new Handler() {
      @Override
      public void publish(LogRecord record) {
        // a thread of a web application has the web application's loader (a child of ours) as context loader
        ClassLoader tccl = Thread.currentThread().getContextClassLoader();
        for (ClassLoader c = tccl; c != null && c != launcher; c = c.getParent()) {
          if (c.getParent() == launcher) {
            return;
          }
        }
        bridge.publish(record);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {
        bridge.close();
      }
    });
  }
}
