package dev.lookout.filters.internal.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import org.junit.jupiter.api.Test;

/** The tracer's own counters go nowhere, through every builder the SDK and an application may call. */
class SelfMetricsOffTest {

  @Test
  void everyInstrumentIsANoOpAndTheTracerRunsOnIt() {
    Meter meter = SelfMetricsOff.PROVIDER.meterBuilder("io.opentelemetry.sdk.trace").setInstrumentationVersion("1").build();
    meter.counterBuilder("started").setUnit("{span}").setDescription("d").build().add(1, Attributes.empty());
    meter.upDownCounterBuilder("live").setUnit("{span}").build().add(-1);
    assertThat(meter.counterBuilder("c").ofDoubles().build()).isNotNull();
    assertThat(meter.histogramBuilder("h").build()).isNotNull();
    assertThat(meter.gaugeBuilder("g").buildWithCallback(m -> m.record(1))).isNotNull();

    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .addSpanProcessor(new TracingSdk.KeepSpansProcessor())
            .setMeterProvider(() -> SelfMetricsOff.PROVIDER)
            .build();
    try {
      var span = provider.get("t").spanBuilder("s").startSpan();
      assertThat(span.getSpanContext().isValid()).isTrue();
      span.end();
    } finally {
      provider.shutdown();
    }
  }
}
