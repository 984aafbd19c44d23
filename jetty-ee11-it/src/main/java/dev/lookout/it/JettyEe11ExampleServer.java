package dev.lookout.it;

import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.ee11.webapp.WebAppContext;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Deploys a WAR, unchanged, into an embedded Jetty 12 (ee11, Servlet 6.1) — as a user's Jetty would — and
 * serves it until the process is stopped. Prints {@code LISTENING <port>} on stderr once ready.
 *
 * <p>Usage: {@code ExampleServer <war> [port]}; port 0 picks a free one. With {@code
 * -Dit.management-connector=true} it adds a second connector on a free port, as an operator adds a
 * management port, gives Lookout its number as {@code lookout.endpoints.port} and prints {@code
 * MANAGEMENT <port>}.
 */
public final class JettyEe11ExampleServer {

  private JettyEe11ExampleServer() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: JettyEe11ExampleServer <war> [port]");
      System.exit(2);
    }
    Path war = Path.of(args[0]);
    if (!Files.isRegularFile(war)) {
      System.err.println("no WAR at " + war.toAbsolutePath() + ": build it first (mvn -B -DskipTests verify)");
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
      System.err.println("MANAGEMENT " + management.getLocalPort());
    }
    System.err.println("LISTENING " + connector.getLocalPort());
    if (port != 0) {
      System.err.println("Example at http://localhost:" + connector.getLocalPort()
          + "/api/orders  (metrics: /metrics, health: /health). Ctrl-C stops it.");
    }
    server.join();
  }
}
