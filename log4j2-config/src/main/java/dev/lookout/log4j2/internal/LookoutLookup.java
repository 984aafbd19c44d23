package dev.lookout.log4j2.internal;

import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.config.plugins.Plugin;
import org.apache.logging.log4j.core.lookup.StrLookup;

/**
 * {@code ${lookout:log.format}} in a Log4j2 configuration: the setting {@code lookout.log.format}
 * read the Lookout way ({@link LogSettings}), with its default. Internal.
 */
@Plugin(name = "lookout", category = StrLookup.CATEGORY)
public final class LookoutLookup implements StrLookup {

  @Override
  public String lookup(String key) {
    return key == null ? null : LogSettings.get("lookout." + key);
  }

  @Override
  public String lookup(LogEvent event, String key) {
    return lookup(key);
  }
}
