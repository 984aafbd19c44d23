package dev.lookout.filters.health;

import java.util.EnumSet;
import java.util.Set;

/**
 * A check of one dependency or condition, reported at {@code /health}. Implementations are found
 * with {@link java.util.ServiceLoader} (list the class in
 * {@code META-INF/services/dev.lookout.filters.health.HealthCheck}) or registered at startup with
 * {@link HealthChecks#register}.
 *
 * <p>{@link #check()} may block or throw: Lookout runs it on its own small executor with a timeout,
 * and a check that throws or times out is reported DOWN with the reason.
 */
public interface HealthCheck {

  /** A short, stable name, e.g. {@code database}; shown in the JSON and the metrics. */
  String name();

  /** The probes this check belongs to; readiness by default, as dependency checks should be. */
  default Set<HealthProbe> probes() {
    return EnumSet.of(HealthProbe.READINESS);
  }

  /** Checks now. Throwing means DOWN, with the exception as the reason. */
  HealthCheckResult check() throws Exception;
}
