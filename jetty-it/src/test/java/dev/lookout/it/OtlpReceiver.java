package dev.lookout.it;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An OTLP/HTTP (protobuf) trace receiver on loopback that keeps and decodes what it is sent. */
final class OtlpReceiver implements AutoCloseable {

  /** One received span with the instrumentation scope and service that produced it. */
  record ReceivedSpan(Span span, String scope, String service) {
    String traceId() {
      return HexFormat.of().formatHex(span.getTraceId().toByteArray());
    }

    String spanId() {
      return HexFormat.of().formatHex(span.getSpanId().toByteArray());
    }

    String parentSpanId() {
      return HexFormat.of().formatHex(span.getParentSpanId().toByteArray());
    }
  }

  private final HttpServer server;
  private final List<ExportTraceServiceRequest> received = new CopyOnWriteArrayList<>();

  OtlpReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/v1/traces",
        exchange -> {
          try (InputStream in = exchange.getRequestBody()) {
            received.add(ExportTraceServiceRequest.parseFrom(in.readAllBytes()));
          } catch (IOException e) {
            exchange.sendResponseHeaders(400, -1);
            exchange.close();
            return;
          }
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.start();
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  List<ReceivedSpan> spans() {
    List<ReceivedSpan> out = new ArrayList<>();
    for (ExportTraceServiceRequest req : received) {
      for (var rs : req.getResourceSpansList()) {
        String service =
            rs.getResource().getAttributesList().stream()
                .filter(a -> a.getKey().equals("service.name"))
                .map(a -> a.getValue().getStringValue())
                .findFirst()
                .orElse("");
        for (var ss : rs.getScopeSpansList()) {
          for (Span s : ss.getSpansList()) {
            out.add(new ReceivedSpan(s, ss.getScope().getName(), service));
          }
        }
      }
    }
    return out;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
