package dev.lookout.filters.internal.config;

/** A Lookout setting that cannot be used; thrown at deployment so that the mistake is seen. Internal. */
public final class ConfigurationException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public ConfigurationException(String message) {
    super(message);
  }
}
