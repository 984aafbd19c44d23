package dev.lookout.filters.internal.health;

import dev.lookout.filters.health.HealthProbe;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** The {@code lookout_health_status} and {@code lookout_health_check_status} gauges. Internal. */
public final class HealthStatusGauges {

  private final PrometheusRegistry registry;
  private final Gauge probeStatus;
  private final Gauge checkStatus;

  public HealthStatusGauges(PrometheusRegistry registry) {
    this.registry = registry;
    probeStatus =
        Gauge.builder()
            .name("lookout_health_status")
            .help("Result of the last evaluation of a health probe: 1 UP, 0 DOWN")
            .labelNames("probe")
            .build();
    checkStatus =
        Gauge.builder()
            .name("lookout_health_check_status")
            .help("Result of the last run of a health check: 1 UP, 0 DOWN")
            .labelNames("check")
            .build();
    registry.register(probeStatus);
    registry.register(checkStatus);
  }

  public void unregister() {
    registry.unregister(probeStatus);
    registry.unregister(checkStatus);
  }

  /** Records an evaluation (probe null: all checks). */
  public void update(HealthProbe probe, HealthReport report) {
    if (probe != null) {
      probeStatus.labelValues(probeLabel(probe)).set(report.up() ? 1 : 0);
    }
    for (HealthReport.CheckOutcome c : report.checks()) {
      checkStatus.labelValues(c.name()).set(c.up() ? 1 : 0);
    }
  }

  private static String probeLabel(HealthProbe p) {
    switch (p) {
      case LIVENESS:
        return "live";
      case READINESS:
        return "ready";
      default:
        return "started";
    }
  }
}
