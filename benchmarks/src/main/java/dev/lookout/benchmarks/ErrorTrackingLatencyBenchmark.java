package dev.lookout.benchmarks;

import dev.lookout.benchmarks.load.LoadServer;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.BufferUtil;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Request latency (percentiles: p50, p99…) with Lookout, a quarter of the requests failing with an
 * exception the app logs at ERROR, when the Sentry endpoint accepts connections and never answers,
 * next to Sentry off. Whole requests through Jetty 12's in-process connector, 4 client threads.
 */
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Threads(4)
@Fork(value = 1, jvmArgsAppend = {"-Dlog4j2.configurationFile=bench-errors.xml", "-Xmx512m"})
public class ErrorTrackingLatencyBenchmark {

  /** off: no DSN; hanging: a DSN whose endpoint never answers. */
  @Param({"off", "hanging"})
  public String sentry;

  private static final ByteBuffer OK = BufferUtil.toBuffer("GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n", StandardCharsets.US_ASCII);
  private static final ByteBuffer FAIL = BufferUtil.toBuffer("GET /fail HTTP/1.1\r\nHost: localhost\r\n\r\n", StandardCharsets.US_ASCII);

  private SentryEndpoint endpoint;
  private Server server;
  private LocalConnector connector;

  /** Each client thread: its own keep-alive connection, every fourth request failing. */
  @State(Scope.Thread)
  public static class Client {
    LocalConnector.LocalEndPoint connection;
    long n;

    @Setup
    public void connect(ErrorTrackingLatencyBenchmark b) {
      connection = b.connector.connect();
    }
  }

  @Setup
  public void start() throws Exception {
    if (sentry.equals("hanging")) {
      endpoint = new SentryEndpoint(true);
      System.setProperty("sentry.dsn", endpoint.dsn());
    }
    server = new Server();
    connector = new LocalConnector(server);
    server.addConnector(connector);
    ServletContextHandler context = LoadServer.context("lookout");
    context.addServlet(FailServlet.class, "/fail");
    server.setHandler(context);
    server.start();
  }

  @TearDown
  public void stop() throws Exception {
    server.stop();
    if (endpoint != null) {
      endpoint.close();
    }
  }

  @Benchmark
  public ByteBuffer request(Client c) throws Exception {
    boolean fails = (++c.n & 3) == 0;
    c.connection.addInputAndExecute((fails ? FAIL : OK).slice());
    ByteBuffer response = c.connection.waitForResponse(false, 10, TimeUnit.SECONDS);
    if (response == null) {
      throw new IllegalStateException("no response within 10 s");
    }
    return response;
  }

  /** Logs the failure at ERROR and answers 500, as an application's error handling would. */
  public static final class FailServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LogManager.getLogger(FailServlet.class);

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
      LOG.error("charging failed", new IllegalStateException("the payment provider refused"));
      resp.setStatus(500);
    }
  }
}
