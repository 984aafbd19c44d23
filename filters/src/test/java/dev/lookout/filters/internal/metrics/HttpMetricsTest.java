package dev.lookout.filters.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class HttpMetricsTest {

  private static final double[] BUCKETS = {0.005, 0.01, 0.1, 1, 10};

  @Test
  void capsDistinctEndpointsAndCountsTheOverflow() {
    PrometheusRegistry registry = new PrometheusRegistry();
    HttpMetrics metrics = new HttpMetrics(registry, 5, BUCKETS);
    int get = HttpMethods.indexOf("GET");
    for (int i = 0; i < 1000; i++) {
      metrics.requestStarted(get);
      metrics.requestFinished(get, "/p" + i, 200, 1_000_000);
    }
    metrics.requestStarted(get);
    metrics.requestFinished(get, dev.lookout.filters.internal.pipeline.EndpointResolver.NOT_FOUND, 404, 1_000_000);
    assertThat(endpoints(registry)).containsExactlyInAnyOrder("/p0", "/p1", "/p2", "/p3", "/p4", "OTHER", "NOT_FOUND");
    assertThat(value(registry, "lookout_metric_label_overflow", "endpoint")).isEqualTo(995);
    assertThat(total(registry)).isEqualTo(1001);
  }

  @Test
  void capHoldsUnderConcurrencyAndNoRequestIsLost() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    HttpMetrics metrics = new HttpMetrics(registry, 100, BUCKETS);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<?>> fs = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      int thread = t;
      fs.add(pool.submit(() -> {
        for (int i = 0; i < 5000; i++) {
          int m = HttpMethods.indexOf(i % 2 == 0 ? "GET" : "POST");
          metrics.requestStarted(m);
          metrics.requestFinished(m, "/e" + ((i * 7 + thread) % 300), 200 + (i % 3), 1000);
        }
      }));
    }
    for (Future<?> f : fs) {
      f.get();
    }
    pool.shutdown();
    Set<String> endpoints = endpoints(registry);
    assertThat(endpoints).hasSizeLessThanOrEqualTo(101).contains("OTHER");
    assertThat(total(registry)).isEqualTo(40_000);
  }

  @Test
  void unknownMethodsShareOneLabel() {
    assertThat(HttpMethods.label(HttpMethods.indexOf("BREW"))).isEqualTo("_OTHER");
    assertThat(HttpMethods.label(HttpMethods.indexOf("get"))).isEqualTo("_OTHER");
    assertThat(HttpMethods.label(HttpMethods.indexOf("PATCH"))).isEqualTo("PATCH");
  }

  private static Set<String> endpoints(PrometheusRegistry registry) {
    Set<String> out = new TreeSet<>();
    for (MetricSnapshot s : registry.scrape()) {
      if (s.getMetadata().getName().equals("http_requests")) {
        for (var p : ((CounterSnapshot) s).getDataPoints()) {
          out.add(p.getLabels().get("endpoint"));
        }
      }
    }
    return out;
  }

  private static double total(PrometheusRegistry registry) {
    double sum = 0;
    for (MetricSnapshot s : registry.scrape()) {
      if (s.getMetadata().getName().equals("http_requests")) {
        for (var p : ((CounterSnapshot) s).getDataPoints()) {
          sum += p.getValue();
        }
      }
    }
    return sum;
  }

  private static double value(PrometheusRegistry registry, String name, String label) {
    for (MetricSnapshot s : registry.scrape()) {
      if (s.getMetadata().getName().equals(name)) {
        for (var p : ((CounterSnapshot) s).getDataPoints()) {
          if (label.equals(p.getLabels().get("label"))) {
            return p.getValue();
          }
        }
      }
    }
    return -1;
  }
}
