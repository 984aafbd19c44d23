package dev.lookout.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The filter-chain benchmark's request over a real loopback socket to Jetty's own connector, as a
 * deployed server receives it. Its allocation per request is the server's: the client reuses one
 * buffer and allocates nothing per request, while the in-process connector of
 * {@link FilterChainBenchmark} collects each response in a buffer of its own, which grows with the
 * response's length.
 */
@Warmup(iterations = 8, time = 2)
@Measurement(iterations = 8, time = 2)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Dlog4j2.configurationFile=bench-chain.xml", "-Xmx512m"})
public class LoopbackRequestBenchmark {

  /** As in {@link FilterChainBenchmark}. */
  @Param({"bare", "bare-longer", "lookout", "lookout-notrace"})
  public String variant;

  private static final byte[] CONTENT_LENGTH = "\r\nContent-Length: ".getBytes(StandardCharsets.US_ASCII);

  private Server server;
  private SocketChannel channel;
  private final ByteBuffer request = ByteBuffer.allocateDirect(256);
  private final ByteBuffer response = ByteBuffer.allocateDirect(16 * 1024);

  @Setup
  public void start() throws Exception {
    server = new Server();
    ServerConnector connector = new ServerConnector(server, 1, 1);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(FilterChainBenchmark.context(variant));
    server.start();
    request.put(FilterChainBenchmark.REQUEST.getBytes(StandardCharsets.US_ASCII)).flip();
    // one keep-alive connection, as wrk uses: requests, not connections, are measured
    channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", connector.getLocalPort()));
    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
    int length = request();
    byte[] head = new byte[12];
    response.get(0, head);
    String status = new String(head, StandardCharsets.US_ASCII);
    if (!status.equals("HTTP/1.1 200")) {
      throw new IllegalStateException("unexpected response (" + length + " bytes): " + status);
    }
  }

  @TearDown
  public void stop() throws Exception {
    channel.close();
    server.stop();
  }

  /** Sends the request and reads the whole response into the reused buffer; returns its length. */
  @Benchmark
  public int request() throws IOException {
    request.rewind();
    while (request.hasRemaining()) {
      channel.write(request);
    }
    response.clear();
    int end = -1;
    while (end < 0 || response.position() < end) {
      if (channel.read(response) < 0) {
        throw new IOException("connection closed after " + response.position() + " bytes");
      }
      if (end < 0) {
        end = responseEnd(response);
      }
    }
    if (response.position() != end) {
      throw new IOException("more than one response: " + response.position() + " bytes, expected " + end);
    }
    return end;
  }

  /** Where the response ends once its head is in (head, then Content-Length bytes); -1 before that. */
  private static int responseEnd(ByteBuffer b) {
    int n = b.position();
    for (int i = 3; i < n; i++) {
      if (b.get(i) == '\n' && b.get(i - 1) == '\r' && b.get(i - 2) == '\n' && b.get(i - 3) == '\r') {
        return i + 1 + contentLength(b, i);
      }
    }
    return -1;
  }

  private static int contentLength(ByteBuffer b, int headEnd) {
    outer:
    for (int i = 0; i + CONTENT_LENGTH.length < headEnd; i++) {
      for (int j = 0; j < CONTENT_LENGTH.length; j++) {
        if (b.get(i + j) != CONTENT_LENGTH[j]) {
          continue outer;
        }
      }
      int v = 0;
      for (int k = i + CONTENT_LENGTH.length; b.get(k) >= '0' && b.get(k) <= '9'; k++) {
        v = v * 10 + (b.get(k) - '0');
      }
      return v;
    }
    throw new IllegalStateException("a response without Content-Length");
  }
}
