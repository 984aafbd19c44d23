package dev.lookout.benchmarks.load;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP (protobuf) receiver on loopback, the same cheap peer for every exporting variant of
 * the load test. It decodes each trace export with the OTLP protobuf classes and counts the spans it
 * really received, so that the load test can show spans delivered per request instead of trusting
 * the exporters. Metrics and logs are accepted and only counted. Prints {@code LISTENING <port>} on
 * stderr.
 *
 * <p>Usage: {@code OtlpSink <counts-file>}: rewrites the counts file every 200 ms, one line per
 * signal: {@code <path> <exports> <bytes> <spans> <server-spans> <undecodable> <ms-since-last>}
 * (the span columns are 0 for metrics and logs; the last is -1 before the first export).
 */
public final class OtlpSink {

  private static final String[] PATHS = {"/v1/traces", "/v1/metrics", "/v1/logs"};

  private final AtomicLong[] exports = counters();
  private final AtomicLong[] bytes = counters();
  private final AtomicLong[] lastNanos = counters();
  private final AtomicLong spans = new AtomicLong();
  private final AtomicLong serverSpans = new AtomicLong();
  private final AtomicLong undecodable = new AtomicLong();

  private HttpServer server;

  private OtlpSink() {}

  public static void main(String[] args) throws Exception {
    Path counts = Path.of(args[0]);
    OtlpSink sink = start();
    System.err.println("LISTENING " + sink.port());
    while (true) {
      Thread.sleep(200);
      sink.write(counts);
    }
  }

  /** A sink on a free loopback port. */
  static OtlpSink start() throws IOException {
    OtlpSink sink = new OtlpSink();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    for (int i = 0; i < PATHS.length; i++) {
      int signal = i;
      server.createContext(PATHS[i], exchange -> sink.handle(signal, exchange));
    }
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.start();
    sink.server = server;
    return sink;
  }

  int port() {
    return server.getAddress().getPort();
  }

  void stop() {
    server.stop(0);
    ((ExecutorService) server.getExecutor()).shutdownNow();
  }

  private static AtomicLong[] counters() {
    AtomicLong[] a = new AtomicLong[PATHS.length];
    for (int i = 0; i < a.length; i++) {
      a[i] = new AtomicLong();
    }
    return a;
  }

  private void handle(int signal, HttpExchange exchange) throws IOException {
    int status = 200;
    try {
      byte[] body = read(exchange);
      bytes[signal].addAndGet(body.length);
      if (signal == 0) {
        byte[] raw = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding")) ? gunzip(body) : body;
        count(ExportTraceServiceRequest.parseFrom(raw));
      }
    } catch (IOException | RuntimeException e) {
      // a broken export is counted and refused, never silently taken as spans
      undecodable.incrementAndGet();
      System.err.println("undecodable " + PATHS[signal] + " export: " + e);
      status = 400;
    } finally {
      exports[signal].incrementAndGet();
      lastNanos[signal].set(System.nanoTime());
    }
    // An empty body is the empty Export*ServiceResponse: full success.
    exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
    exchange.sendResponseHeaders(status, -1);
    exchange.close();
  }

  private void count(ExportTraceServiceRequest request) {
    long all = 0;
    long server = 0;
    for (ResourceSpans resource : request.getResourceSpansList()) {
      for (ScopeSpans scope : resource.getScopeSpansList()) {
        all += scope.getSpansCount();
        for (Span span : scope.getSpansList()) {
          if (span.getKind() == Span.SpanKind.SPAN_KIND_SERVER) {
            server++;
          }
        }
      }
    }
    spans.addAndGet(all);
    serverSpans.addAndGet(server);
  }

  void write(Path counts) throws IOException {
    long now = System.nanoTime();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < PATHS.length; i++) {
      long last = lastNanos[i].get();
      boolean traces = i == 0;
      sb.append(PATHS[i])
          .append(' ').append(exports[i].get())
          .append(' ').append(bytes[i].get())
          .append(' ').append(traces ? spans.get() : 0)
          .append(' ').append(traces ? serverSpans.get() : 0)
          .append(' ').append(traces ? undecodable.get() : 0)
          .append(' ').append(last == 0 ? -1 : (now - last) / 1_000_000)
          .append('\n');
    }
    Path tmp = counts.resolveSibling(counts.getFileName() + ".tmp");
    Files.writeString(tmp, sb);
    Files.move(tmp, counts, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static byte[] read(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      return in.readAllBytes();
    }
  }

  private static byte[] gunzip(byte[] body) throws IOException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(body.length * 4);
      in.transferTo(out);
      return out.toByteArray();
    }
  }
}
