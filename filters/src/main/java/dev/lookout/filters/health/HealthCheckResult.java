package dev.lookout.filters.health;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** The outcome of a {@link HealthCheck}: UP or DOWN, with optional data shown in the JSON. Immutable. */
public final class HealthCheckResult {

  private static final HealthCheckResult UP = new HealthCheckResult(true, Map.of());
  private static final HealthCheckResult DOWN = new HealthCheckResult(false, Map.of());

  private final boolean up;
  private final Map<String, Object> data;

  private HealthCheckResult(boolean up, Map<String, Object> data) {
    this.up = up;
    this.data = data;
  }

  public static HealthCheckResult up() {
    return UP;
  }

  public static HealthCheckResult down() {
    return DOWN;
  }

  /** DOWN, with the reason as the data entry {@code reason}. */
  public static HealthCheckResult down(String reason) {
    return DOWN.withData("reason", reason);
  }

  /**
   * This result with one more data entry. Values are shown as JSON strings, numbers or booleans
   * ({@link Number}, {@link Boolean}, anything else as its {@code toString()}).
   */
  public HealthCheckResult withData(String key, Object value) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Map<String, Object> copy = new LinkedHashMap<>(data);
    copy.put(key, value);
    return new HealthCheckResult(up, Collections.unmodifiableMap(copy));
  }

  public boolean isUp() {
    return up;
  }

  /** The data entries, in the order they were added. */
  public Map<String, Object> data() {
    return data;
  }

  @Override
  public String toString() {
    return (up ? "UP" : "DOWN") + (data.isEmpty() ? "" : " " + data);
  }
}
