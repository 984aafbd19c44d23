package dev.lookout.filters.internal.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One Lookout setting: its name, default and meaning. Internal; the list of all of them is
 * {@link Settings}, and {@code docs/configuration.md} is checked against it by a test.
 */
public final class Setting {

  private static final Map<String, Setting> ALL = new LinkedHashMap<>();

  private final String name;
  private final String defaultValue;
  private final String description;

  private Setting(String name, String defaultValue, String description) {
    this.name = name;
    this.defaultValue = defaultValue;
    this.description = description;
  }

  public static Setting define(String name, String defaultValue, String description) {
    Setting setting = new Setting(name, defaultValue, description);
    synchronized (ALL) {
      if (ALL.putIfAbsent(name, setting) != null) {
        throw new IllegalStateException("Setting defined twice: " + name);
      }
    }
    return setting;
  }

  /** Every setting defined so far, in definition order. */
  public static Map<String, Setting> all() {
    Settings.init();
    synchronized (ALL) {
      return Collections.unmodifiableMap(new LinkedHashMap<>(ALL));
    }
  }

  /** The name as a context parameter or system property, e.g. {@code lookout.metrics.path}. */
  public String name() {
    return name;
  }

  /** The environment variable that overrides it, e.g. {@code LOOKOUT_METRICS_PATH}. */
  public String environmentVariable() {
    return environmentVariableOf(name);
  }

  /** The default value; empty means "not set" (the feature explains what that does). */
  public String defaultValue() {
    return defaultValue;
  }

  public String description() {
    return description;
  }

  static String environmentVariableOf(String name) {
    StringBuilder sb = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      sb.append(c == '.' || c == '-' ? '_' : Character.toUpperCase(c));
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return name;
  }
}
