package dev.lookout.filters.internal.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.lookout.filters.internal.LookoutRuntime;
import dev.lookout.filters.internal.ServiceInfo;
import dev.lookout.filters.internal.TestAppHandle;
import dev.lookout.filters.internal.config.ConfigurationException;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Spans leave over real OTLP/HTTP (protobuf) to a receiver on loopback, configured by otel.* only;
 * the endpoint alone is enough (Lookout makes http/protobuf the default protocol).
 */
class OtlpExportTest {

  @Test
  void spansArriveAtAnOtlpReceiver() throws Exception {
    List<ExportTraceServiceRequest> received = new CopyOnWriteArrayList<>();
    List<String> contentTypes = new CopyOnWriteArrayList<>();
    HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/v1/traces",
        exchange -> {
          try (InputStream in = exchange.getRequestBody()) {
            contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
            received.add(ExportTraceServiceRequest.parseFrom(in.readAllBytes()));
          }
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    receiver.start();
    System.setProperty("otel.exporter.otlp.endpoint", "http://127.0.0.1:" + receiver.getAddress().getPort());
    System.setProperty("otel.bsp.schedule.delay", "10");
    try (TestAppHandle app = TestAppHandle.start(Map.of("lookout.service.name", "otlp-test"))) {
      String traceId = "0af7651916cd43dd8448eb211c80319c";
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(app.base() + "/hello"))
                      .header("traceparent", "00-" + traceId + "-b7ad6b7169203331-01")
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      Span found = null;
      String service = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (found == null && System.nanoTime() < deadline) {
        for (ExportTraceServiceRequest req : received) {
          for (var rs : req.getResourceSpansList()) {
            for (var ss : rs.getScopeSpansList()) {
              for (Span s : ss.getSpansList()) {
                if (HexFormat.of().formatHex(s.getTraceId().toByteArray()).equals(traceId)) {
                  found = s;
                  service =
                      rs.getResource().getAttributesList().stream()
                          .filter(a -> a.getKey().equals("service.name"))
                          .map(a -> a.getValue().getStringValue())
                          .findFirst()
                          .orElse(null);
                }
              }
            }
          }
        }
        Thread.sleep(20);
      }
      assertThat(found).as("span exported over OTLP").isNotNull();
      assertThat(found.getName()).isEqualTo("GET /hello");
      assertThat(found.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
      assertThat(HexFormat.of().formatHex(found.getParentSpanId().toByteArray())).isEqualTo("b7ad6b7169203331");
      assertThat(service).isEqualTo("otlp-test");
      assertThat(contentTypes).contains("application/x-protobuf");
      // the exporter marshals through reused buffers (the SDK's low-allocation mode), batch settings the SDK's
      String tracing = ((OpenTelemetrySdk) LookoutRuntime.current().openTelemetry()).getSdkTracerProvider().toString();
      assertThat(tracing).contains("OtlpHttpSpanExporter").contains("memoryMode=REUSABLE_DATA");
    } finally {
      receiver.stop(0);
      System.clearProperty("otel.exporter.otlp.endpoint");
      System.clearProperty("otel.bsp.schedule.delay");
    }
  }

  @Test
  void grpcWithoutAGrpcSenderIsAClearDeploymentError() {
    System.setProperty("otel.exporter.otlp.protocol", "grpc");
    System.setProperty("otel.exporter.otlp.endpoint", "http://127.0.0.1:4317");
    try {
      assertThatThrownBy(() -> TracingSdk.create(new ServiceInfo("grpc-test", "1", "test"), Map.of()))
          .isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("OTEL_EXPORTER_OTLP_PROTOCOL")
          .hasMessageContaining("lookout.tracing.enabled=false");
    } finally {
      System.clearProperty("otel.exporter.otlp.protocol");
      System.clearProperty("otel.exporter.otlp.endpoint");
    }
  }
}
