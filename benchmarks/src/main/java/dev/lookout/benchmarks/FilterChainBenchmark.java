package dev.lookout.benchmarks;

import dev.lookout.benchmarks.load.LoadServer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
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

  /** bare: no Lookout; lookout: defaults; lookout-notrace: without tracing (LOOKOUT_TRACING_ENABLED=false). */
  @Param({"bare", "lookout", "lookout-notrace"})
  public String variant;

  private static final String REQUEST =
      "GET /hello HTTP/1.1\r\nHost: localhost\r\nUser-Agent: jmh/1.37\r\nAccept: */*\r\n\r\n";

  private static final ByteBuffer REQUEST_BYTES = BufferUtil.toBuffer(REQUEST, StandardCharsets.US_ASCII);

  private Server server;
  private LocalConnector connector;
  private LocalConnector.LocalEndPoint connection;

  @Setup
  public void start() throws Exception {
    if (variant.equals("lookout-notrace")) {
      System.setProperty("lookout.tracing.enabled", "false");
    }
    server = new Server();
    connector = new LocalConnector(server);
    server.addConnector(connector);
    server.setHandler(LoadServer.context(variant.startsWith("lookout") ? "lookout" : "bare"));
    server.start();
    // one keep-alive connection, as wrk uses: requests, not connections, are measured
    connection = connector.connect();
    String first = BufferUtil.toString(request(), StandardCharsets.US_ASCII);
    if (!first.startsWith("HTTP/1.1 200")) {
      throw new IllegalStateException("unexpected response: " + first);
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
