package dev.lookout.filters.internal.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.filters.internal.ServiceInfo;
import dev.lookout.filters.internal.TestAppHandle;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.context.Context;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * With no OpenTelemetry setting at all Lookout builds its SDK directly (no autoconfiguration): it
 * must behave as the configured one — W3C trace context and baggage in, parent-based sampling.
 */
class UnconfiguredTracingTest {

  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  @Test
  void withoutOtelSettingsTheDirectSdkContinuesIncomingTraces() throws Exception {
    Assumptions.assumeFalse(TracingSdk.otelConfigured(System.getenv()), "this JVM has OTEL_* settings");
    try (TestAppHandle app = TestAppHandle.start(Map.of())) {
      String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
      HttpResponse<String> joined = get(app.base() + "/hello", "00-" + traceId + "-00f067aa0ba902b7-01");
      assertThat(joined.body()).isEqualTo(traceId);
      assertThat(joined.headers().firstValue("X-Request-ID")).hasValue(traceId);

      HttpResponse<String> fresh = get(app.base() + "/hello", null);
      assertThat(fresh.body()).matches("[0-9a-f]{32}").isNotEqualTo("00000000000000000000000000000000");
    }
  }

  @Test
  void theDirectSdkSamplesByTheParentAndReadsBaggage() {
    Assumptions.assumeFalse(TracingSdk.otelConfigured(System.getenv()), "this JVM has OTEL_* settings");
    TracingSdk tracing = TracingSdk.create(new ServiceInfo("direct", "1.0", "test"), Map.of());
    try {
      Map<String, String> notSampled = new HashMap<>();
      notSampled.put("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
      notSampled.put("baggage", "tenant=acme");
      Context extracted =
          tracing.openTelemetry().getPropagators().getTextMapPropagator().extract(Context.root(), notSampled, MapGetter.INSTANCE);
      assertThat(Baggage.fromContext(extracted).getEntryValue("tenant")).isEqualTo("acme");
      var span =
          tracing.openTelemetry().getTracer("t").spanBuilder("child").setParent(extracted).startSpan();
      assertThat(span.getSpanContext().isValid()).isTrue();
      assertThat(span.getSpanContext().isSampled()).as("parent-based: an unsampled parent").isFalse();
      span.end();
      var root = tracing.openTelemetry().getTracer("t").spanBuilder("root").startSpan();
      assertThat(root.getSpanContext().isSampled()).as("a root is always sampled").isTrue();
      root.end();
    } finally {
      tracing.close();
    }
  }

  @Test
  void theDirectSdkIsTracesOnly() {
    Assumptions.assumeFalse(TracingSdk.otelConfigured(System.getenv()), "this JVM has OTEL_* settings");
    TracingSdk direct = TracingSdk.create(new ServiceInfo("direct", "1.0", "test"), Map.of());
    try {
      // nothing would read or export the SDK's metrics and logs: not built, not even loaded
      assertThat(direct.openTelemetry().getMeterProvider()).isSameAs(io.opentelemetry.api.metrics.MeterProvider.noop());
      assertThat(direct.openTelemetry().getLogsBridge()).isSameAs(io.opentelemetry.api.logs.LoggerProvider.noop());
      assertThat(direct.openTelemetry().getTracerProvider()).isInstanceOf(io.opentelemetry.sdk.trace.SdkTracerProvider.class);
    } finally {
      direct.close();
    }
  }

  @Test
  void onlyAConfiguredSdkHasSpansThatSomethingReads() {
    Assumptions.assumeFalse(TracingSdk.otelConfigured(System.getenv()), "this JVM has OTEL_* settings");
    ServiceInfo service = new ServiceInfo("direct", "1.0", "test");
    TracingSdk direct = TracingSdk.create(service, Map.of());
    try {
      assertThat(direct.spansRead()).as("no processor, no exporter: spans carry only their IDs").isFalse();
    } finally {
      direct.close();
    }
    System.setProperty("otel.traces.sampler", "parentbased_always_on");
    try {
      TracingSdk configured = TracingSdk.create(service, Map.of());
      try {
        assertThat(configured.spansRead()).as("any OpenTelemetry setting may bring a processor").isTrue();
      } finally {
        configured.close();
      }
    } finally {
      System.clearProperty("otel.traces.sampler");
    }
  }

  private static HttpResponse<String> get(String url, String traceparent) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
    if (traceparent != null) {
      b.header("traceparent", traceparent);
    }
    return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private enum MapGetter implements io.opentelemetry.context.propagation.TextMapGetter<Map<String, String>> {
    INSTANCE;

    @Override
    public Iterable<String> keys(Map<String, String> carrier) {
      return carrier.keySet();
    }

    @Override
    public String get(Map<String, String> carrier, String key) {
      return carrier == null ? null : carrier.get(key);
    }
  }
}
