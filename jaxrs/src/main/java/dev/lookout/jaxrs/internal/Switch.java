package dev.lookout.jaxrs.internal;

import dev.lookout.filters.internal.LookoutRuntime;
import dev.lookout.filters.internal.config.ConfigurationException;
import dev.lookout.filters.internal.config.LookoutConfig;
import dev.lookout.filters.internal.config.Settings;
import java.util.Map;

/**
 * Whether lookout-jaxrs registers its providers in a JAX-RS runtime: the setting {@code
 * lookout.jaxrs.enabled} read like every Lookout setting (the web application's settings, or system
 * property and environment outside one), and a JAX-RS configuration property of the same name that
 * switches one client or application off. Internal.
 */
public final class Switch {

  /** The setting, also accepted as a JAX-RS configuration property ({@code true} or {@code false}). */
  public static final String SETTING = Settings.JAXRS_ENABLED.name();

  private Switch() {}

  /**
   * @param configurationProperty the JAX-RS runtime's own property of that name, or null
   * @throws ConfigurationException for a property value other than true or false
   */
  public static boolean enabled(Object configurationProperty) {
    if (configurationProperty != null) {
      String v = configurationProperty.toString().trim();
      if (v.equalsIgnoreCase("false")) {
        return false;
      }
      if (!v.equalsIgnoreCase("true")) {
        throw new ConfigurationException(
            "Invalid JAX-RS property " + SETTING + " = '" + v + "': expected true or false");
      }
    }
    LookoutRuntime runtime = LookoutRuntime.current();
    if (runtime != null) {
      return runtime.settings().jaxrsEnabled;
    }
    return LookoutConfig.load(k -> null, java.util.List.of(), systemProperties(), System.getenv())
        .getBoolean(Settings.JAXRS_ENABLED);
  }

  private static Map<String, String> systemProperties() {
    String v = System.getProperty(SETTING);
    return v == null ? Map.of() : Map.of(SETTING, v);
  }
}
