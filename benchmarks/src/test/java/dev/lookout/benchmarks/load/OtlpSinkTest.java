package dev.lookout.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The load test's sink counts what the OpenTelemetry SDK's own OTLP exporter really sent. */
class OtlpSinkTest {

  @TempDir Path dir;
  private OtlpSink sink;

  @BeforeEach
  void start() throws Exception {
    sink = OtlpSink.start();
  }

  @AfterEach
  void stop() {
    sink.stop();
  }

  @Test
  void countsEverySpanAndTheServerSpansApart() throws Exception {
    export("none", 3, 2);
    export("gzip", 4, 1);

    String[] traces = tracesLine();
    assertThat(traces[1]).as("exports").isEqualTo("2");
    assertThat(Long.parseLong(traces[2])).as("bytes").isPositive();
    assertThat(traces[3]).as("spans").isEqualTo("10");
    assertThat(traces[4]).as("SERVER spans").isEqualTo("7");
    assertThat(traces[5]).as("undecodable").isEqualTo("0");
    assertThat(Long.parseLong(traces[6])).as("ms since the last export").isBetween(0L, 60_000L);
  }

  @Test
  void refusesAndCountsWhatIsNotOtlp() throws Exception {
    HttpResponse<Void> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sink.port() + "/v1/traces"))
                    .header("Content-Type", "application/x-protobuf")
                    // field 1, length-delimited, its length cut off
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {0x0a, (byte) 0xff}))
                    .build(),
                HttpResponse.BodyHandlers.discarding());

    assertThat(response.statusCode()).isEqualTo(400);
    String[] traces = tracesLine();
    assertThat(traces[3]).as("spans").isEqualTo("0");
    assertThat(traces[5]).as("undecodable").isEqualTo("1");
  }

  @Test
  void reportsNoExportYet() throws Exception {
    assertThat(tracesLine()).containsExactly("/v1/traces", "0", "0", "0", "0", "0", "-1");
  }

  /** Ends {@code server} SERVER and {@code internal} INTERNAL spans and flushes them in one export. */
  private void export(String compression, int server, int internal) {
    OtlpHttpSpanExporter exporter =
        OtlpHttpSpanExporter.builder()
            .setEndpoint("http://127.0.0.1:" + sink.port() + "/v1/traces")
            .setCompression(compression)
            .build();
    try (SdkTracerProvider provider =
        SdkTracerProvider.builder().addSpanProcessor(BatchSpanProcessor.builder(exporter).build()).build()) {
      Tracer tracer = provider.get("test");
      for (int i = 0; i < server; i++) {
        tracer.spanBuilder("GET /hello").setSpanKind(SpanKind.SERVER).startSpan().end();
      }
      for (int i = 0; i < internal; i++) {
        tracer.spanBuilder("work").startSpan().end();
      }
      assertThat(provider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).as("export succeeded").isTrue();
    }
  }

  private String[] tracesLine() throws Exception {
    Path counts = dir.resolve("counts");
    sink.write(counts);
    return Files.readAllLines(counts).stream()
        .filter(l -> l.startsWith("/v1/traces "))
        .findFirst()
        .orElseThrow()
        .split(" ");
  }
}
