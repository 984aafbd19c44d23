package dev.lookout.filters.internal.metrics;

import dev.lookout.filters.internal.RequestObservation;
import dev.lookout.filters.internal.pipeline.EndpointResolver;
import dev.lookout.filters.internal.pipeline.RequestOutcome;
import dev.lookout.filters.internal.pipeline.RequestSink;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.datapoints.GaugeDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * The server-side RED metrics. Internal.
 *
 * <p>Label values are resolved to data points once per distinct (method, endpoint, status), not per
 * request: a request costs two map-free array reads, one concurrent-map read and the atomic
 * updates inside prometheus-metrics.
 */
public final class HttpMetrics implements RequestSink {

  private static final Logger LOG = LogManager.getLogger("lookout");

  private final PrometheusRegistry registry;
  private final Counter requests;
  private final Histogram duration;
  private final Gauge inProgress;
  private final Counter overflow;
  private final CounterDataPoint endpointOverflow;
  private final GaugeDataPoint[] inProgressByMethod;
  private final int endpointLimit;

  /** Per method index: endpoint label value → its data points. */
  @SuppressWarnings("unchecked")
  private final ConcurrentHashMap<String, EndpointSeries>[] seriesByMethod =
      new ConcurrentHashMap[HttpMethods.LABELS.length];

  /** Distinct endpoint values admitted so far (over all methods), bounded by the limit. */
  private final ConcurrentHashMap<String, Boolean> admittedEndpoints = new ConcurrentHashMap<>();

  private final AtomicInteger admittedCount = new AtomicInteger();
  private final AtomicBoolean overflowWarned = new AtomicBoolean();

  public HttpMetrics(PrometheusRegistry registry, int endpointLimit, double[] durationBuckets) {
    this.registry = registry;
    this.endpointLimit = endpointLimit;
    this.requests =
        Counter.builder()
            .name("http_requests_total")
            .help("HTTP requests served, by method, route template and status code")
            .labelNames("method", "endpoint", "status_code")
            .build();
    this.duration =
        Histogram.builder()
            .name("http_request_duration_seconds")
            .help("HTTP request duration until the response is complete, by method and route template")
            .unit(Unit.SECONDS)
            .labelNames("method", "endpoint")
            .classicOnly()
            .classicUpperBounds(durationBuckets)
            .build();
    this.inProgress =
        Gauge.builder()
            .name("http_requests_in_progress")
            .help("HTTP requests being served, by method")
            .labelNames("method")
            .build();
    this.overflow =
        Counter.builder()
            .name("lookout_metric_label_overflow_total")
            .help("Label values replaced by OTHER because a label reached its limit of distinct values")
            .labelNames("label")
            .build();
    this.endpointOverflow = overflow.labelValues("endpoint");
    this.inProgressByMethod = new GaugeDataPoint[HttpMethods.LABELS.length];
    for (int i = 0; i < HttpMethods.LABELS.length; i++) {
      inProgressByMethod[i] = inProgress.labelValues(HttpMethods.LABELS[i]);
      seriesByMethod[i] = new ConcurrentHashMap<>();
    }
    registry.register(requests);
    registry.register(duration);
    registry.register(inProgress);
    registry.register(overflow);
  }

  /** Removes these metrics from the registry (on undeploy). */
  public void unregister() {
    registry.unregister(requests);
    registry.unregister(duration);
    registry.unregister(inProgress);
    registry.unregister(overflow);
  }

  public void requestStarted(int methodIndex) {
    inProgressByMethod[methodIndex].inc();
  }

  @Override
  public String name() {
    return "recording request metrics";
  }

  /** Records the request; the caller made its span current, so the trace ID becomes an exemplar. */
  @Override
  public void requestCompleted(RequestObservation observation, RequestOutcome o) {
    requestFinished(o.methodIndex(), o.endpoint(), o.status(), o.durationNanos());
  }

  /**
   * Records one finished request.
   *
   * @param endpoint a bounded label value: a route template, a mapping pattern or a fixed value
   */
  public void requestFinished(int methodIndex, String endpoint, int status, long durationNanos) {
    EndpointSeries series = seriesByMethod[methodIndex].get(endpoint);
    if (series == null) {
      series = newSeries(methodIndex, endpoint);
    }
    series.counter(status).inc();
    series.duration.observe(durationNanos / 1e9);
    // Last, so that "nothing in progress" means every finished request is counted.
    inProgressByMethod[methodIndex].dec();
  }

  /** Creates the series of a (method, endpoint) seen for the first time, applying the limit. */
  private EndpointSeries newSeries(int methodIndex, String endpoint) {
    // A rejected value is looked up under OTHER, so the map stays bounded by the limit.
    return seriesByMethod[methodIndex].computeIfAbsent(
        admit(endpoint), e -> new EndpointSeries(methodIndex, e));
  }

  private String admit(String endpoint) {
    if (EndpointResolver.isFixed(endpoint) || admittedEndpoints.containsKey(endpoint)) {
      return endpoint;
    }
    while (true) {
      int n = admittedCount.get();
      if (n >= endpointLimit) {
        endpointOverflow.inc();
        if (overflowWarned.compareAndSet(false, true)) {
          LOG.warn(
              "Lookout: more than {} distinct endpoint label values; further ones are recorded as"
                  + " OTHER and counted in lookout_metric_label_overflow_total. Does a framework put"
                  + " raw paths where route templates belong? (setting lookout.metrics.endpoint-limit)",
              endpointLimit);
        }
        return EndpointResolver.OTHER;
      }
      if (admittedCount.compareAndSet(n, n + 1)) {
        if (admittedEndpoints.putIfAbsent(endpoint, Boolean.TRUE) != null) {
          admittedCount.decrementAndGet(); // another thread admitted it first
        }
        return endpoint;
      }
    }
  }

  /** The data points of one (method, endpoint), with counters by status created on first use. */
  private final class EndpointSeries {
    final String method;
    final String endpoint;
    final DistributionDataPoint duration;
    final AtomicReferenceArray<CounterDataPoint> byStatus = new AtomicReferenceArray<>(600);

    EndpointSeries(int methodIndex, String endpoint) {
      this.method = HttpMethods.label(methodIndex);
      this.endpoint = endpoint;
      this.duration = HttpMetrics.this.duration.labelValues(method, endpoint);
    }

    CounterDataPoint counter(int status) {
      int index = status >= 100 && status < 600 ? status : 0;
      CounterDataPoint c = byStatus.get(index);
      if (c == null) {
        c = requests.labelValues(method, endpoint, index == 0 ? EndpointResolver.UNKNOWN : Integer.toString(status));
        byStatus.lazySet(index, c); // labelValues returns the same data point for the same values
      }
      return c;
    }
  }
}
