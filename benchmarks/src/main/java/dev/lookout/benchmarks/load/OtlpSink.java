package dev.lookout.benchmarks.load;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An OTLP/HTTP receiver on loopback that accepts and discards everything: the same cheap peer for
 * every exporting variant of the load test. Counts requests and bytes per signal so that the script
 * can show that spans were really exported. Prints {@code LISTENING <port>} on stderr.
 *
 * <p>Usage: {@code OtlpSink <counts-file>}: rewrites the counts file every second.
 */
public final class OtlpSink {

  private OtlpSink() {}

  public static void main(String[] args) throws Exception {
    Path counts = Path.of(args[0]);
    AtomicLong[] requests = {new AtomicLong(), new AtomicLong(), new AtomicLong()};
    AtomicLong[] bytes = {new AtomicLong(), new AtomicLong(), new AtomicLong()};
    String[] paths = {"/v1/traces", "/v1/metrics", "/v1/logs"};
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    for (int i = 0; i < paths.length; i++) {
      int signal = i;
      server.createContext(
          paths[i],
          exchange -> {
            long n = drain(exchange.getRequestBody());
            requests[signal].incrementAndGet();
            bytes[signal].addAndGet(n);
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
          });
    }
    server.setExecutor(Executors.newFixedThreadPool(2));
    server.start();
    System.err.println("LISTENING " + server.getAddress().getPort());
    while (true) {
      Thread.sleep(1000);
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < paths.length; i++) {
        sb.append(paths[i]).append(' ').append(requests[i].get()).append(' ').append(bytes[i].get()).append('\n');
      }
      Path tmp = counts.resolveSibling(counts.getFileName() + ".tmp");
      Files.writeString(tmp, sb);
      Files.move(tmp, counts, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
  }

  private static long drain(InputStream in) throws IOException {
    byte[] buffer = new byte[16384];
    long total = 0;
    for (int n; (n = in.read(buffer)) > 0; ) {
      total += n;
    }
    return total;
  }
}
