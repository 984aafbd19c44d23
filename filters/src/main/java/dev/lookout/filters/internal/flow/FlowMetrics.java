package dev.lookout.filters.internal.flow;

import dev.lookout.filters.internal.LookoutRuntime;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.logging.log4j.LogManager;

/**
 * {@code flow_duration_seconds{flow,outcome}} and {@code flow_steps_total{flow,step}} of one web
 * application, with their label values capped: past {@value #MAX_FLOWS} flow names or {@value
 * #MAX_STEPS} step names per flow, the name counts as {@code _other} (one WARN when the flow names
 * reach their cap, one per flow whose steps reach theirs). Data points are resolved once per name,
 * not per event. Internal.
 */
final class FlowMetrics {

  static final int MAX_FLOWS = 100;
  static final int MAX_STEPS = 50;
  static final String OTHER = "_other";

  private static volatile FlowMetrics current;

  private final LookoutRuntime runtime;
  final Histogram duration; // package-private: the cap test reads the series
  final Counter steps;
  private final ConcurrentHashMap<String, Labels> flows = new ConcurrentHashMap<>();
  private final AtomicBoolean flowCapReported = new AtomicBoolean();

  /** Unregistered metrics; {@link #of} registers them with the web application's runtime. */
  FlowMetrics(LookoutRuntime runtime) {
    this.runtime = runtime;
    this.duration =
        Histogram.builder()
            .name("flow_duration_seconds")
            .help("Duration of flows (Flow.start to complete, fail or close), by outcome")
            .unit(Unit.SECONDS)
            .labelNames("flow", "outcome")
            .classicUpperBounds(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300)
            .build();
    this.steps =
        Counter.builder().name("flow_steps").help("Steps reached by flows").labelNames("flow", "step").build();
  }

  /** This web application's flow metrics, registered on first use and removed at undeploy. */
  static FlowMetrics of(LookoutRuntime runtime) {
    FlowMetrics m = current;
    if (m != null && m.runtime == runtime) {
      return m;
    }
    synchronized (FlowMetrics.class) {
      m = current;
      if (m == null || m.runtime != runtime) {
        FlowMetrics created = new FlowMetrics(runtime);
        runtime.register(created.duration);
        runtime.register(created.steps);
        runtime.onClose(
            () -> {
              synchronized (FlowMetrics.class) {
                if (current == created) {
                  current = null;
                }
              }
            });
        current = created;
        m = created;
      }
    }
    return m;
  }

  Labels labels(String flow) {
    Labels l = flows.get(flow);
    if (l != null) {
      return l;
    }
    if (flows.size() >= MAX_FLOWS) {
      reportCap(flowCapReported, MAX_FLOWS + " flow names", flow);
      return flows.computeIfAbsent(OTHER, Labels::new);
    }
    return flows.computeIfAbsent(flow, Labels::new);
  }

  private static void reportCap(AtomicBoolean reported, String what, String name) {
    if (reported.compareAndSet(false, true)) {
      LogManager.getLogger("lookout.flow")
          .warn("Flow metrics: more than {}; '{}' and later new names count as {}", what, name, OTHER);
    }
  }

  /** The data points of one flow name. */
  final class Labels {
    private final String flow;
    private final DistributionDataPoint completed;
    private final DistributionDataPoint failed;
    private final DistributionDataPoint abandoned;
    private final ConcurrentHashMap<String, CounterDataPoint> stepPoints = new ConcurrentHashMap<>();
    private final AtomicBoolean stepCapReported = new AtomicBoolean();

    Labels(String flow) {
      this.flow = flow;
      this.completed = duration.labelValues(flow, FlowRun.COMPLETED);
      this.failed = duration.labelValues(flow, FlowRun.FAILED);
      this.abandoned = duration.labelValues(flow, FlowRun.ABANDONED);
    }

    void step(String step) {
      CounterDataPoint p = stepPoints.get(step);
      if (p == null) {
        String label = step;
        if (stepPoints.size() >= MAX_STEPS) {
          reportCap(stepCapReported, MAX_STEPS + " step names in flow " + flow, step);
          label = OTHER;
        }
        p = stepPoints.computeIfAbsent(label, s -> steps.labelValues(flow, s));
      }
      p.inc();
    }

    void ended(String outcome, double seconds) {
      (outcome == FlowRun.COMPLETED ? completed : outcome == FlowRun.FAILED ? failed : abandoned).observe(seconds);
    }
  }
}
