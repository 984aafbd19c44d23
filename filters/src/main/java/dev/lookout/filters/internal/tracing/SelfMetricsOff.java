package dev.lookout.filters.internal.tracing;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleCounterBuilder;
import io.opentelemetry.api.metrics.DoubleGaugeBuilder;
import io.opentelemetry.api.metrics.DoubleHistogramBuilder;
import io.opentelemetry.api.metrics.DoubleUpDownCounterBuilder;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongCounterBuilder;
import io.opentelemetry.api.metrics.LongUpDownCounter;
import io.opentelemetry.api.metrics.LongUpDownCounterBuilder;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.metrics.MeterBuilder;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.metrics.ObservableLongCounter;
import io.opentelemetry.api.metrics.ObservableLongMeasurement;
import io.opentelemetry.api.metrics.ObservableLongUpDownCounter;
import io.opentelemetry.context.Context;
import java.util.function.Consumer;

/**
 * The meter provider of the traces-only SDK's own instrumentation (its counts of started and live
 * spans, which nothing reads without an exporter): counters that do nothing and load nothing. The
 * API's {@code MeterProvider.noop()} would do the same, but with opentelemetry-api-incubator in the
 * WAR (lookout-jdbc brings it) it loads some sixty incubator classes — at the first span, on the
 * first request. Other instrument kinds, which the tracer does not use, come from the API's no-op.
 * Internal.
 */
final class SelfMetricsOff implements MeterProvider {

  static final SelfMetricsOff PROVIDER = new SelfMetricsOff();

  private SelfMetricsOff() {}

  @Override
  public MeterBuilder meterBuilder(String instrumentationScopeName) {
    return Builder.INSTANCE;
  }

  private static Meter api() {
    return MeterProvider.noop().get("dev.lookout");
  }

  private static final class Builder implements MeterBuilder {
    static final Builder INSTANCE = new Builder();

    @Override
    public MeterBuilder setSchemaUrl(String schemaUrl) {
      return this;
    }

    @Override
    public MeterBuilder setInstrumentationVersion(String instrumentationScopeVersion) {
      return this;
    }

    @Override
    public Meter build() {
      return Off.INSTANCE;
    }
  }

  private static final class Off implements Meter {
    static final Off INSTANCE = new Off();

    @Override
    public LongCounterBuilder counterBuilder(String name) {
      return Counters.INSTANCE;
    }

    @Override
    public LongUpDownCounterBuilder upDownCounterBuilder(String name) {
      return UpDownCounters.INSTANCE;
    }

    @Override
    public DoubleHistogramBuilder histogramBuilder(String name) {
      return api().histogramBuilder(name);
    }

    @Override
    public DoubleGaugeBuilder gaugeBuilder(String name) {
      return api().gaugeBuilder(name);
    }
  }

  private static final class Counters implements LongCounterBuilder, LongCounter {
    static final Counters INSTANCE = new Counters();

    @Override
    public LongCounterBuilder setDescription(String description) {
      return this;
    }

    @Override
    public LongCounterBuilder setUnit(String unit) {
      return this;
    }

    @Override
    public DoubleCounterBuilder ofDoubles() {
      return api().counterBuilder("dev.lookout").ofDoubles();
    }

    @Override
    public LongCounter build() {
      return this;
    }

    @Override
    public ObservableLongCounter buildWithCallback(Consumer<ObservableLongMeasurement> callback) {
      return api().counterBuilder("dev.lookout").buildWithCallback(callback);
    }

    @Override
    public void add(long value) {}

    @Override
    public void add(long value, Attributes attributes) {}

    @Override
    public void add(long value, Attributes attributes, Context context) {}
  }

  private static final class UpDownCounters implements LongUpDownCounterBuilder, LongUpDownCounter {
    static final UpDownCounters INSTANCE = new UpDownCounters();

    @Override
    public LongUpDownCounterBuilder setDescription(String description) {
      return this;
    }

    @Override
    public LongUpDownCounterBuilder setUnit(String unit) {
      return this;
    }

    @Override
    public DoubleUpDownCounterBuilder ofDoubles() {
      return api().upDownCounterBuilder("dev.lookout").ofDoubles();
    }

    @Override
    public LongUpDownCounter build() {
      return this;
    }

    @Override
    public ObservableLongUpDownCounter buildWithCallback(Consumer<ObservableLongMeasurement> callback) {
      return api().upDownCounterBuilder("dev.lookout").buildWithCallback(callback);
    }

    @Override
    public void add(long value) {}

    @Override
    public void add(long value, Attributes attributes) {}

    @Override
    public void add(long value, Attributes attributes, Context context) {}
  }
}
