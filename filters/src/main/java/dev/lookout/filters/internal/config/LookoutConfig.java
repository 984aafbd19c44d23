package dev.lookout.filters.internal.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Lookout's resolved settings. Internal.
 *
 * <p>Each setting is read from the {@code web.xml} context parameter, overridden by the system
 * property of the same name, overridden by the environment variable ({@code LOOKOUT_...}). A bad
 * value or an unknown {@code lookout.*} name fails deployment with a message naming it, so that a
 * typo never silently does nothing.
 */
public final class LookoutConfig {

  private final Function<String, String> contextParams;
  private final Map<String, String> systemProperties;
  private final Map<String, String> environment;

  private LookoutConfig(
      Function<String, String> contextParams,
      Map<String, String> systemProperties,
      Map<String, String> environment) {
    this.contextParams = contextParams;
    this.systemProperties = systemProperties;
    this.environment = environment;
  }

  /**
   * Reads settings from these sources, and rejects unknown names among them.
   *
   * @param contextParams the context parameters by name (null when absent)
   * @param contextParamNames all context parameter names, to find unknown {@code lookout.*} ones
   */
  public static LookoutConfig load(
      Function<String, String> contextParams,
      Iterable<String> contextParamNames,
      Map<String, String> systemProperties,
      Map<String, String> environment) {
    Map<String, Setting> known = Setting.all();
    Set<String> knownEnv = new TreeSet<>();
    for (Setting s : known.values()) {
      knownEnv.add(s.environmentVariable());
    }
    List<String> unknown = new ArrayList<>();
    for (String name : contextParamNames) {
      if (name.startsWith("lookout.") && !known.containsKey(name)) {
        unknown.add("context parameter '" + name + "'");
      }
    }
    for (String name : systemProperties.keySet()) {
      if (name.startsWith("lookout.") && !known.containsKey(name)) {
        unknown.add("system property '" + name + "'");
      }
    }
    for (String name : environment.keySet()) {
      if (name.startsWith("LOOKOUT_") && !knownEnv.contains(name)) {
        unknown.add("environment variable '" + name + "'");
      }
    }
    if (!unknown.isEmpty()) {
      Collections.sort(unknown);
      throw new ConfigurationException(
          "Unknown Lookout setting "
              + String.join(", ", unknown)
              + ". Known settings (see docs/configuration.md): "
              + String.join(", ", known.keySet()));
    }
    return new LookoutConfig(contextParams, systemProperties, environment);
  }

  /** Settings from the system properties and environment only (for tests and tools). */
  public static LookoutConfig fromMap(Map<String, String> values) {
    return load(values::get, values.keySet(), Map.of(), Map.of());
  }

  /** The raw value of a setting after precedence, trimmed; its default when unset. */
  public String get(Setting setting) {
    String v = environment.get(setting.environmentVariable());
    if (v == null) {
      v = systemProperties.get(setting.name());
    }
    if (v == null) {
      v = contextParams.apply(setting.name());
    }
    return v == null ? setting.defaultValue() : v.trim();
  }

  public boolean getBoolean(Setting setting) {
    String v = get(setting);
    if ("true".equalsIgnoreCase(v)) {
      return true;
    }
    if ("false".equalsIgnoreCase(v)) {
      return false;
    }
    throw invalid(setting, v, "true or false");
  }

  public int getInt(Setting setting, int min, int max) {
    String v = get(setting);
    try {
      int i = Integer.parseInt(v);
      if (i >= min && i <= max) {
        return i;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw invalid(setting, v, "a whole number from " + min + " to " + max);
  }

  /** A duration written as a number with the unit {@code ms}, {@code s} or {@code m}. */
  public Duration getDuration(Setting setting) {
    String v = get(setting);
    try {
      if (v.endsWith("ms")) {
        return checkNotNegative(Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).trim())));
      }
      if (v.endsWith("s")) {
        return checkNotNegative(Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1).trim())));
      }
      if (v.endsWith("m")) {
        return checkNotNegative(Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1).trim())));
      }
    } catch (NumberFormatException | ArithmeticException e) {
      // reported below
    }
    throw invalid(setting, v, "a duration such as 500ms, 2s or 1m");
  }

  private static Duration checkNotNegative(Duration d) {
    if (d.isNegative()) {
      throw new NumberFormatException();
    }
    return d;
  }

  /** A comma-separated list, entries trimmed, empty entries dropped. */
  public List<String> getList(Setting setting) {
    String v = get(setting);
    List<String> out = new ArrayList<>();
    for (String part : v.split(",")) {
      String t = part.trim();
      if (!t.isEmpty()) {
        out.add(t);
      }
    }
    return out;
  }

  /** A path: empty, or starting with {@code /} and not ending with one. */
  public String getPath(Setting setting) {
    String v = get(setting);
    if (v.isEmpty()) {
      return v;
    }
    if (!v.startsWith("/") || v.length() == 1 || v.endsWith("/") || v.contains("*") || v.contains("?")) {
      throw invalid(setting, v, "a path such as /metrics (leading slash, no trailing slash, no wildcard), or empty");
    }
    return v;
  }

  /** The exception to throw for a value that cannot be used. */
  public static ConfigurationException invalid(Setting setting, String value, String expected) {
    return new ConfigurationException(
        "Invalid Lookout setting "
            + setting.name()
            + " (or "
            + setting.environmentVariable()
            + ") = '"
            + value
            + "': expected "
            + expected);
  }
}
