package dev.lookout.filters.health;

/** The Kubernetes probe a {@link HealthCheck} takes part in: {@code /health/live}, {@code /ready}, {@code /started}. */
public enum HealthProbe {
  /** Is the process able to work at all? A DOWN liveness gets the container restarted. */
  LIVENESS,
  /** Can it serve traffic now? A DOWN readiness takes the instance out of the load balancer. */
  READINESS,
  /** Has it finished starting? Other probes wait for it. */
  STARTUP
}
