package dev.lookout.benchmarks.load;

import dev.lookout.filters.internal.LookoutServletContextListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The application of the load test and the startup measurement: embedded Jetty 12 (ee10) serving
 * {@code GET /hello} (about 100 bytes), either bare or with Lookout registered exactly as its
 * {@code web-fragment.xml} would. Prints {@code LISTENING <port>} on stderr once it serves.
 *
 * <p>Usage: {@code LoadServer bare|lookout [port]}
 */
public final class LoadServer {

  /** The body of {@code /hello}: a small JSON document, 100 bytes. */
  static final byte[] BODY =
      "{\"greeting\":\"hello\",\"service\":\"load-test\",\"items\":[1,2,3,4,5],\"note\":\"a small GET response\"}\n"
          .getBytes(StandardCharsets.UTF_8);

  private LoadServer() {}

  public static void main(String[] args) throws Exception {
    String variant = args.length > 0 ? args[0] : "bare";
    int port = args.length > 1 ? Integer.parseInt(args[1]) : 0;
    Server server = start(variant, port);
    System.err.println("LISTENING " + ((ServerConnector) server.getConnectors()[0]).getLocalPort());
    server.join();
  }

  /** Starts the server; {@code variant} is {@code bare} or {@code lookout}. */
  public static Server start(String variant, int port) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(port);
    server.addConnector(connector);
    server.setHandler(context(variant));
    server.start();
    return server;
  }

  /** The web application: the same servlet, with or without Lookout. */
  public static ServletContextHandler context(String variant) {
    ServletContextHandler context = new ServletContextHandler("/");
    context.setDisplayName("load-test");
    context.addServlet(HelloServlet.class, "/hello");
    switch (variant) {
      case "bare":
        break;
      case "lookout":
        // What Lookout's web-fragment.xml declares in a WAR.
        context.addEventListener(new LookoutServletContextListener());
        break;
      default:
        throw new IllegalArgumentException("variant must be bare or lookout, not " + variant);
    }
    return context;
  }

  /** A typical small read: fixed content, JSON content type, explicit length. */
  public static final class HelloServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      resp.setContentType("application/json");
      resp.setContentLength(BODY.length);
      resp.getOutputStream().write(BODY);
    }
  }
}
