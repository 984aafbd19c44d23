package dev.lookout.benchmarks;

import dev.lookout.benchmarks.load.LoadServer;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.Server;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One whole request through Jetty 12's in-process connector (HTTP parsing, the servlet, the
 * response), bare and with Lookout registered as in a WAR: the difference is what Lookout's filter
 * chain costs per request. Lookout runs with its defaults — request IDs, metrics, a SERVER span (no
 * exporter), the sampled JSON access log written to a file.
 */
@Warmup(iterations = 8, time = 2)
@Measurement(iterations = 8, time = 2)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Dlog4j2.configurationFile=bench-chain.xml", "-Xmx512m"})
public class FilterChainBenchmark {

  /**
   * bare: no Lookout; lookout: defaults; lookout-notrace: without tracing
   * (LOOKOUT_TRACING_ENABLED=false); bare-longer: bare, its response as long as Lookout's (a fixed
   * {@code X-Request-ID} header of the same length), which tells what the in-process connector's
   * response buffer, not the server, spends on Lookout's longer responses.
   */
  @Param({"bare", "bare-longer", "lookout", "lookout-notrace"})
  public String variant;

  /** As long as the header Lookout adds (32 hexadecimal digits). */
  private static final String FIXED_REQUEST_ID = "0af7651916cd43dd8448eb211c80319c";

  static final String REQUEST =
      "GET /hello HTTP/1.1\r\nHost: localhost\r\nUser-Agent: jmh/1.37\r\nAccept: */*\r\n\r\n";

  private static final ByteBuffer REQUEST_BYTES = BufferUtil.toBuffer(REQUEST, StandardCharsets.US_ASCII);

  private Server server;
  private LocalConnector connector;
  private LocalConnector.LocalEndPoint connection;

  @Setup
  public void start() throws Exception {
    server = new Server();
    connector = new LocalConnector(server);
    server.addConnector(connector);
    server.setHandler(context(variant));
    server.start();
    // one keep-alive connection, as wrk uses: requests, not connections, are measured
    connection = connector.connect();
    String first = BufferUtil.toString(request(), StandardCharsets.US_ASCII);
    if (!first.startsWith("HTTP/1.1 200")) {
      throw new IllegalStateException("unexpected response: " + first);
    }
  }

  /** The web application of a variant (the same for the loopback benchmark). */
  static ServletContextHandler context(String variant) {
    if (variant.equals("lookout-notrace")) {
      System.setProperty("lookout.tracing.enabled", "false");
    }
    if (variant.equals("bare-longer")) {
      // The header is set by the servlet itself: no filter, which would cost a filter chain of its own.
      ServletContextHandler context = new ServletContextHandler("/");
      context.addServlet(new ServletHolder(new LongerHello()), "/hello");
      return context;
    }
    return LoadServer.context(variant.startsWith("lookout") ? "lookout" : "bare");
  }

  /** The load test's servlet, with a fixed {@code X-Request-ID} header. */
  private static final class LongerHello extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final LoadServer.HelloServlet hello = new LoadServer.HelloServlet();

    @Override
    public void service(ServletRequest req, ServletResponse resp) throws ServletException, IOException {
      ((HttpServletResponse) resp).setHeader("X-Request-ID", FIXED_REQUEST_ID);
      hello.service(req, resp);
    }
  }

  @TearDown
  public void stop() throws Exception {
    server.stop();
  }

  @Benchmark
  public ByteBuffer request() throws Exception {
    connection.addInputAndExecute(REQUEST_BYTES.slice());
    ByteBuffer response = connection.waitForResponse(false, 10, TimeUnit.SECONDS);
    if (response == null) {
      throw new IllegalStateException("no response within 10 s");
    }
    return response;
  }
}
