package dev.lookout.benchmarks;

import dev.lookout.filters.internal.metrics.HttpMethods;
import dev.lookout.filters.internal.metrics.HttpMetrics;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Recording one finished request — in-progress gauge, request counter, duration histogram — with the
 * data points Lookout caches per (method, endpoint, status), next to the usual way of looking the
 * label values up on every request ({@code labelValues(...)} each time, status formatted per call).
 */
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class MetricsBenchmark {

  private static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  private static final String[] ENDPOINTS = {"/api/orders", "/api/orders/{id}", "/api/checkout", "/hello"};

  private HttpMetrics cached;
  private Counter requests;
  private Histogram duration;
  private Gauge inProgress;
  private int get;
  private int i;

  @Setup
  public void setUp() {
    cached = new HttpMetrics(new PrometheusRegistry(), 100, BUCKETS);
    PrometheusRegistry registry = new PrometheusRegistry();
    requests = Counter.builder().name("http_requests_total").labelNames("method", "endpoint", "status_code").register(registry);
    duration =
        Histogram.builder()
            .name("http_request_duration_seconds")
            .unit(Unit.SECONDS)
            .labelNames("method", "endpoint")
            .classicOnly()
            .classicUpperBounds(BUCKETS)
            .register(registry);
    inProgress = Gauge.builder().name("http_requests_in_progress").labelNames("method").register(registry);
    get = HttpMethods.indexOf("GET");
  }

  @Benchmark
  public void cachedDataPoints() {
    String endpoint = ENDPOINTS[i++ & 3];
    cached.requestStarted(get);
    cached.requestFinished(get, endpoint, 200, 1_234_567);
  }

  @Benchmark
  public void labelValuesLookedUp() {
    String endpoint = ENDPOINTS[i++ & 3];
    inProgress.labelValues("GET").inc();
    requests.labelValues("GET", endpoint, Integer.toString(200)).inc();
    duration.labelValues("GET", endpoint).observe(1_234_567 / 1e9);
    inProgress.labelValues("GET").dec();
  }
}
