package dev.lookout.log4j2;

import java.util.Locale;
import java.util.Set;
import org.apache.logging.log4j.core.config.ConfigurationException;
import org.apache.logging.log4j.core.config.Node;
import org.apache.logging.log4j.core.config.arbiters.Arbiter;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginBuilderAttribute;
import org.apache.logging.log4j.core.config.plugins.PluginBuilderFactory;

/**
 * Selects the branch of a {@code <Select>} whose format is the configured one, so that one
 * configuration file can carry every log format:
 *
 * <pre>{@code
 * <Select>
 *   <LookoutFormat format="${lookout:log.format}" name="ecs"> ... </LookoutFormat>
 *   <DefaultArbiter> ... </DefaultArbiter>
 * </Select>
 * }</pre>
 *
 * An unknown format stops the configuration with a message naming {@code lookout.log.format}.
 */
@Plugin(name = "LookoutFormat", category = Node.CATEGORY, elementType = Arbiter.ELEMENT_TYPE, deferChildren = true, printObject = true)
public final class LookoutFormatArbiter implements Arbiter {

  /** The formats the ready configuration knows. */
  public static final Set<String> FORMATS = Set.of("json", "ecs", "logstash", "gcp", "console");

  private final String format;
  private final String name;

  private LookoutFormatArbiter(String format, String name) {
    this.format = format;
    this.name = name;
  }

  @Override
  public boolean isCondition() {
    return format.equals(name);
  }

  @PluginBuilderFactory
  public static Builder newBuilder() {
    return new Builder();
  }

  /** Builds the arbiter from its {@code format} and {@code name} attributes. */
  public static final class Builder implements org.apache.logging.log4j.core.util.Builder<LookoutFormatArbiter> {
    @PluginBuilderAttribute private String format;
    @PluginBuilderAttribute private String name;

    public Builder setFormat(String format) {
      this.format = format;
      return this;
    }

    public Builder setName(String name) {
      this.name = name;
      return this;
    }

    @Override
    public LookoutFormatArbiter build() {
      String f = format == null || format.isBlank() ? "json" : format.trim().toLowerCase(Locale.ROOT);
      if (!FORMATS.contains(f)) {
        throw new ConfigurationException(
            "lookout.log.format (LOOKOUT_LOG_FORMAT) is '" + format + "'; expected one of json, ecs, logstash, gcp, console");
      }
      return new LookoutFormatArbiter(f, name == null ? "" : name.trim().toLowerCase(Locale.ROOT));
    }
  }
}
