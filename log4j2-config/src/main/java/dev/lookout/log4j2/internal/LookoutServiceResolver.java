package dev.lookout.log4j2.internal;

import dev.lookout.log4j2.RequestLogHooks;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.layout.template.json.resolver.EventResolver;
import org.apache.logging.log4j.layout.template.json.util.JsonWriter;

/**
 * The {@code service} object: name, version and environment from {@code LOOKOUT_SERVICE_*} /
 * {@code lookout.service.*}, else as {@code lookout-filters} announced them at startup; entries
 * that are unknown are left out, and the object too when all are. Internal.
 */
final class LookoutServiceResolver implements EventResolver {

  private static final String[] PROPS = {"lookout.service.name", "lookout.service.version", "lookout.service.environment"};
  private static final String[] FIELDS = {"name", "version", "environment"};

  private final String[] configured = new String[3];
  /** -1: the whole object; else the index of the one entry written as a string. */
  private final int only;

  LookoutServiceResolver(String field) {
    int f = -1;
    for (int i = 0; field != null && i < 3; i++) {
      if (FIELDS[i].equals(field)) {
        f = i;
      }
    }
    if (field != null && f < 0) {
      throw new IllegalArgumentException("lookoutService: unknown field '" + field + "' (name, version, environment)");
    }
    this.only = f;
    for (int i = 0; i < 3; i++) {
      // the one settings rule of this module (lines written before lookout-filters announces the service)
      String v = LogSettings.get(PROPS[i]);
      configured[i] = v == null || v.isBlank() ? null : v;
    }
  }

  private String value(int i) {
    if (configured[i] != null) {
      return configured[i];
    }
    String[] announced = RequestLogHooks.service();
    String v = announced[i];
    return v == null || v.isBlank() || v.equals("unknown") ? null : v;
  }

  @Override
  public boolean isResolvable(LogEvent event) {
    if (only >= 0) {
      return value(only) != null;
    }
    return value(0) != null || value(1) != null || value(2) != null;
  }

  @Override
  public void resolve(LogEvent event, JsonWriter writer) {
    if (only >= 0) {
      writer.writeString(value(only));
      return;
    }
    writer.writeObjectStart();
    boolean first = true;
    for (int i = 0; i < 3; i++) {
      String v = value(i);
      if (v != null) {
        if (!first) {
          writer.writeSeparator();
        }
        first = false;
        writer.writeObjectKey(FIELDS[i]);
        writer.writeString(v);
      }
    }
    writer.writeObjectEnd();
  }
}
