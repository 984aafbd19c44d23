package dev.lookout.filters.internal.health;

import java.util.List;
import java.util.Map;

/** One evaluation of a set of checks. Internal. */
public record HealthReport(boolean up, List<CheckOutcome> checks) {

  /** One check's result in a report, with how long it took. */
  public record CheckOutcome(String name, boolean up, Map<String, Object> data) {}
}
