package dev.lookout.log4j2.internal;

import java.util.List;
import java.util.Set;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.config.plugins.PluginFactory;
import org.apache.logging.log4j.layout.template.json.resolver.EventResolver;
import org.apache.logging.log4j.layout.template.json.resolver.EventResolverContext;
import org.apache.logging.log4j.layout.template.json.resolver.EventResolverFactory;
import org.apache.logging.log4j.layout.template.json.resolver.TemplateResolverConfig;
import org.apache.logging.log4j.layout.template.json.resolver.TemplateResolverFactory;

/**
 * The JSON template resolvers of {@code LookoutLayout.json}: {@code lookoutFields},
 * {@code lookoutMessage}, {@code lookoutService}. Internal.
 *
 * <p>Redaction follows the settings {@code lookout.log.redact-keys} (comma-separated words) and
 * {@code lookout.log.redact-patterns} ({@code true} to mask bearer tokens, JWTs and card numbers
 * inside text), read by {@link LogSettings}.
 */
public final class LookoutResolverFactories {

  private LookoutResolverFactories() {}

  /** The redaction rules of the current settings. */
  public static Redactor redactor() {
    String keys = LogSettings.get("lookout.log.redact-keys");
    String patterns = LogSettings.get("lookout.log.redact-patterns");
    if (!"true".equalsIgnoreCase(patterns) && !"false".equalsIgnoreCase(patterns)) {
      throw new IllegalArgumentException(
          "Invalid Lookout setting lookout.log.redact-patterns (or LOOKOUT_LOG_REDACT_PATTERNS) = '" + patterns + "': expected true or false");
    }
    return new Redactor(keys, Boolean.parseBoolean(patterns));
  }

  /**
   * {@code {"$resolver": "lookoutFields"}}; options {@code "skip": [names]} (default: the names
   * of {@code LookoutLayout.json}) and {@code "flatten": false} (an object instead of top-level
   * fields).
   */
  @Plugin(name = "LookoutFieldsResolverFactory", category = TemplateResolverFactory.CATEGORY)
  public static final class Fields implements EventResolverFactory {
    private static final Fields INSTANCE = new Fields();

    @PluginFactory
    public static Fields getInstance() {
      return INSTANCE;
    }

    @Override
    public String getName() {
      return "lookoutFields";
    }

    @Override
    public EventResolver create(EventResolverContext context, TemplateResolverConfig config) {
      List<String> skip = config.getList("skip", String.class);
      Set<String> core = skip == null ? LookoutFieldsResolver.CORE : Set.copyOf(skip);
      return new LookoutFieldsResolver(redactor(), core, config.getBoolean("flatten", true));
    }
  }

  /** {@code {"$resolver": "lookoutMessage"}}. */
  @Plugin(name = "LookoutMessageResolverFactory", category = TemplateResolverFactory.CATEGORY)
  public static final class MessageText implements EventResolverFactory {
    private static final MessageText INSTANCE = new MessageText();

    @PluginFactory
    public static MessageText getInstance() {
      return INSTANCE;
    }

    @Override
    public String getName() {
      return "lookoutMessage";
    }

    @Override
    public EventResolver create(EventResolverContext context, TemplateResolverConfig config) {
      return new LookoutMessageResolver(redactor());
    }
  }

  /** {@code {"$resolver": "lookoutService"}}; option {@code "field": "name"|"version"|"environment"}. */
  @Plugin(name = "LookoutServiceResolverFactory", category = TemplateResolverFactory.CATEGORY)
  public static final class Service implements EventResolverFactory {
    private static final Service INSTANCE = new Service();

    @PluginFactory
    public static Service getInstance() {
      return INSTANCE;
    }

    @Override
    public String getName() {
      return "lookoutService";
    }

    @Override
    public EventResolver create(EventResolverContext context, TemplateResolverConfig config) {
      return new LookoutServiceResolver(config.getString("field"));
    }
  }
}
