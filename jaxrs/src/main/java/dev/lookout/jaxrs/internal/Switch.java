package dev.lookout.jaxrs.internal;

/** Reads {@code lookout.jaxrs.enabled} the Lookout way. Internal. */
public final class Switch {

  public static final String SETTING = "lookout.jaxrs.enabled";

  private Switch() {}

  /**
   * Environment variable, then system property, then the JAX-RS configuration property (for
   * Jersey, a servlet init-param or context param); on by default.
   */
  public static boolean enabled(Object configurationProperty) {
    String v = System.getenv("LOOKOUT_JAXRS_ENABLED");
    if (v == null) {
      v = System.getProperty(SETTING);
    }
    if (v == null && configurationProperty != null) {
      v = configurationProperty.toString();
    }
    return v == null || !v.trim().equalsIgnoreCase("false");
  }
}
