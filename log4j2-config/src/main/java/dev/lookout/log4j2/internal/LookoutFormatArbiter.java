package dev.lookout.log4j2.internal;

import org.apache.logging.log4j.core.config.Node;
import org.apache.logging.log4j.core.config.arbiters.Arbiter;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginBuilderAttribute;
import org.apache.logging.log4j.core.config.plugins.PluginBuilderFactory;

/**
 * Chooses a branch of the ready configuration by the setting {@code lookout.log.format}:
 * {@code <LookoutFormat format="console">…</LookoutFormat>}. Internal.
 */
@Plugin(name = "LookoutFormat", category = Node.CATEGORY, elementType = Arbiter.ELEMENT_TYPE, deferChildren = true, printObject = true)
public final class LookoutFormatArbiter implements Arbiter {

  private final String format;

  private LookoutFormatArbiter(String format) {
    this.format = format;
  }

  @Override
  public boolean isCondition() {
    return format.equalsIgnoreCase(LogSettings.get("lookout.log.format"));
  }

  @PluginBuilderFactory
  public static Builder newBuilder() {
    return new Builder();
  }

  /** {@code format}: the format this branch is for. */
  public static final class Builder implements org.apache.logging.log4j.core.util.Builder<LookoutFormatArbiter> {
    @PluginBuilderAttribute private String format;

    public Builder setFormat(String format) {
      this.format = format;
      return this;
    }

    @Override
    public LookoutFormatArbiter build() {
      if (format == null || format.isBlank()) {
        throw new IllegalArgumentException("LookoutFormat needs the attribute format, e.g. format=\"console\"");
      }
      return new LookoutFormatArbiter(format.trim());
    }
  }
}
