package dev.lookout.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * A Sentry endpoint on loopback: accepts envelopes at {@code /api/<project>/envelope/}, decodes them
 * (header line, item headers, payloads, gzip) and keeps every raw body too, so that a test can
 * check that a secret appears nowhere in what was sent. Or, {@link #hanging}, one that accepts
 * every connection and never answers.
 */
final class SentryReceiver implements AutoCloseable {

  static final ObjectMapper JSON = new ObjectMapper();

  /** One envelope item: its header and its payload (JSON payloads parsed). */
  record Item(JsonNode header, String payload) {
    String type() {
      return header.path("type").asText();
    }

    JsonNode json() {
      try {
        return JSON.readTree(payload);
      } catch (IOException e) {
        throw new AssertionError("item payload is not JSON: " + payload, e);
      }
    }
  }

  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final boolean hang;
  private final CountDownLatch release = new CountDownLatch(1);
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final List<Item> items = new CopyOnWriteArrayList<>();
  private final AtomicInteger requests = new AtomicInteger();

  private SentryReceiver(boolean hang) throws IOException {
    this.hang = hang;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    server.setExecutor(threads);
    server.createContext(
        "/",
        exchange -> {
          requests.incrementAndGet();
          if (this.hang) {
            try {
              release.await(); // hold the connection open, answer nothing
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            exchange.close();
            return;
          }
          try (InputStream in = exchange.getRequestBody()) {
            byte[] raw = in.readAllBytes();
            String enc = exchange.getRequestHeaders().getFirst("Content-Encoding");
            if (enc != null && enc.contains("gzip")) {
              raw = new GZIPInputStream(new ByteArrayInputStream(raw)).readAllBytes();
            }
            if (exchange.getRequestURI().getPath().matches("/api/[0-9]+/envelope/?")) {
              String body = new String(raw, StandardCharsets.UTF_8);
              bodies.add(body);
              items.addAll(decode(raw));
            }
          } catch (IOException | RuntimeException e) {
            exchange.sendResponseHeaders(400, -1);
            exchange.close();
            return;
          }
          byte[] ok = "{}".getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, ok.length);
          exchange.getResponseBody().write(ok);
          exchange.close();
        });
    server.start();
  }

  static SentryReceiver answering() throws IOException {
    return new SentryReceiver(false);
  }

  static SentryReceiver hanging() throws IOException {
    return new SentryReceiver(true);
  }

  /** The DSN that points the SDK here. */
  String dsn() {
    return "http://publickey@127.0.0.1:" + server.getAddress().getPort() + "/1";
  }

  /** HTTP requests received so far (any path). */
  int requests() {
    return requests.get();
  }

  /** Every envelope body as received (decompressed). */
  List<String> bodies() {
    return List.copyOf(bodies);
  }

  /** The error events received, parsed. */
  List<JsonNode> events() {
    List<JsonNode> out = new ArrayList<>();
    for (Item i : items) {
      if (i.type().equals("event")) {
        out.add(i.json());
      }
    }
    return out;
  }

  /** The events matching, waiting (bounded) until at least {@code n} arrived. */
  List<JsonNode> awaitEvents(Predicate<JsonNode> which, int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    List<JsonNode> mine;
    do {
      mine = events().stream().filter(which).toList();
      if (mine.size() >= n) {
        return mine;
      }
      Thread.sleep(25);
    } while (System.nanoTime() < deadline);
    return mine;
  }

  static Predicate<JsonNode> ofRequest(String requestId) {
    return e -> requestId.equals(e.path("tags").path("request_id").asText(null));
  }

  /** Envelope: a header line, then per item a header line and a payload (of {@code length} bytes, or one line). */
  static List<Item> decode(byte[] raw) throws IOException {
    List<Item> out = new ArrayList<>();
    int pos = lineEnd(raw, 0) + 1; // the envelope header
    JSON.readTree(new String(raw, 0, Math.max(0, pos - 1), StandardCharsets.UTF_8));
    while (pos < raw.length) {
      int end = lineEnd(raw, pos);
      String headerLine = new String(raw, pos, end - pos, StandardCharsets.UTF_8).trim();
      pos = end + 1;
      if (headerLine.isEmpty()) {
        continue;
      }
      JsonNode header = JSON.readTree(headerLine);
      String payload;
      if (header.has("length")) {
        int length = header.get("length").asInt();
        payload = new String(raw, pos, length, StandardCharsets.UTF_8);
        pos += length + 1;
      } else {
        int pe = lineEnd(raw, pos);
        payload = new String(raw, pos, pe - pos, StandardCharsets.UTF_8);
        pos = pe + 1;
      }
      out.add(new Item(header, payload));
    }
    return out;
  }

  private static int lineEnd(byte[] raw, int from) {
    for (int i = from; i < raw.length; i++) {
      if (raw[i] == '\n') {
        return i;
      }
    }
    return raw.length;
  }

  @Override
  public void close() {
    release.countDown();
    server.stop(0);
    threads.shutdownNow();
  }
}
