package dev.lookout.it;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/**
 * Deploys a WAR, unchanged, into an embedded Tomcat 11 and serves it until the process is stopped.
 * Prints {@code LISTENING <port>} on stderr once ready. Usage: {@code TomcatExampleServer <war> [port]}.
 * With {@code -Dit.management-connector=true} it adds a second connector on a free port, gives
 * Lookout its number as {@code lookout.endpoints.port} and prints {@code MANAGEMENT <port>}.
 */
public final class TomcatExampleServer {

  private TomcatExampleServer() {}

  public static void main(String[] args) throws Exception {
    Path war = Path.of(args[0]).toAbsolutePath();
    int port = args.length > 1 ? Integer.parseInt(args[1]) : 8080;
    Path base = Files.createTempDirectory("lookout-tomcat");
    Files.createDirectories(base.resolve("webapps")); // Tomcat wants it before addWebapp
    Tomcat tomcat = new Tomcat();
    tomcat.setBaseDir(base.toString());
    Connector connector = new Connector();
    connector.setPort(port);
    connector.setProperty("address", System.getProperty("it.host", "127.0.0.1"));
    tomcat.getService().addConnector(connector);
    tomcat.setConnector(connector);
    Connector management = null;
    if (Boolean.getBoolean("it.management-connector")) {
      management = new Connector();
      management.setPort(0);
      management.setProperty("address", System.getProperty("it.host", "127.0.0.1"));
      tomcat.getService().addConnector(management);
    }
    tomcat.setAddDefaultWebXmlToWebapp(false); // no JSP engine here
    tomcat.getHost().setAutoDeploy(false);
    if (management != null) {
      tomcat.init(); // binds the connectors, so that the port is known before the application deploys
      System.setProperty("lookout.endpoints.port", String.valueOf(management.getLocalPort()));
    }
    tomcat.addWebapp("", war.toString());
    tomcat.start();
    if (management != null) {
      System.err.println("MANAGEMENT " + management.getLocalPort());
    }
    System.err.println("LISTENING " + connector.getLocalPort());
    tomcat.getServer().await();
  }
}
