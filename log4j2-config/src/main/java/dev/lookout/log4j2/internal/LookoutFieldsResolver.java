package dev.lookout.log4j2.internal;

import java.util.Map;
import java.util.Set;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.layout.template.json.resolver.EventResolver;
import org.apache.logging.log4j.layout.template.json.util.JsonWriter;
import org.apache.logging.log4j.message.MapMessage;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.util.ReadOnlyStringMap;

/**
 * Writes an event's own structured fields at the top level of the JSON line: the entries of a
 * {@link MapMessage}, then the log context (ThreadContext, SLF4J key-values). A field never
 * replaces a core field, never appears twice, and secret names get {@value Redactor#MASK}; nested
 * maps are walked. Internal.
 *
 * <p>Map-message values keep their Java type (numbers and booleans are written as JSON numbers and
 * booleans). The log context holds text only (SLF4J's key-values arrive there through the bridge
 * as {@code String.valueOf(value)}), so a context value that is exactly the canonical text of an
 * integer, a decimal or a boolean ({@code 3}, {@code -2.5}, {@code true}; not {@code 007}, {@code
 * +1}, {@code 1e3}) is written as that JSON type: the checks are a character scan, no parsing.
 */
final class LookoutFieldsResolver implements EventResolver {

  /** Names the template writes itself; a field of the same name is skipped. */
  static final Set<String> CORE =
      Set.of(
          "@timestamp", "level", "logger", "thread", "message", "service", "error",
          ContextKeys.REQUEST_ID, ContextKeys.CORRELATION_ID, ContextKeys.TRACE_ID, ContextKeys.SPAN_ID,
          ContextKeys.TRACE_FLAGS);

  private final Redactor redactor;
  private final Set<String> core;
  private final boolean flatten;

  LookoutFieldsResolver(Redactor redactor) {
    this(redactor, CORE, true);
  }

  /**
   * @param core names never written (the template's own fields)
   * @param flatten whether the fields go at the level of the key ({@code true}) or in an object under it
   */
  LookoutFieldsResolver(Redactor redactor, Set<String> core, boolean flatten) {
    this.redactor = redactor;
    this.core = core;
    this.flatten = flatten;
  }

  @Override
  public boolean isFlattening() {
    return flatten;
  }

  @Override
  public boolean isResolvable(LogEvent event) {
    Message m = event.getMessage();
    ReadOnlyStringMap ctx = event.getContextData();
    return (m instanceof MapMessage<?, ?> mm && !mm.getIndexedReadOnlyStringMap().isEmpty()) || (ctx != null && !ctx.isEmpty());
  }

  @Override
  public void resolve(LogEvent event, JsonWriter writer) {
    resolve(event, writer, false);
  }

  @Override
  public void resolve(LogEvent event, JsonWriter writer, boolean succeedingEntry) {
    if (!flatten) {
      writer.writeObjectStart();
      writeFields(event, writer, false);
      writer.writeObjectEnd();
      return;
    }
    writeFields(event, writer, succeedingEntry);
  }

  private void writeFields(LogEvent event, JsonWriter writer, boolean succeedingEntry) {
    StringBuilder sb = writer.getStringBuilder();
    int start = sb.length();
    Message m = event.getMessage();
    MapMessage<?, ?> map = m instanceof MapMessage<?, ?> mm ? mm : null;
    // One small loop state per written event, not one per thread: a thread-local value of this
    // web application's class would keep its class loader alive on the container's pooled threads
    // after undeploy. Written events cost microseconds; this is a few dozen bytes of them.
    IndexedWrite w = new IndexedWrite();
    if (map != null) {
      w.reset(writer, start, succeedingEntry, null, false);
      map.getIndexedReadOnlyStringMap().forEach(writeEntry, w);
    }
    ReadOnlyStringMap ctx = event.getContextData();
    if (ctx != null && !ctx.isEmpty()) {
      w.reset(writer, start, succeedingEntry, map, true);
      ctx.forEach(writeEntry, w);
    }
  }

  private final org.apache.logging.log4j.util.TriConsumer<String, Object, IndexedWrite> writeEntry = this::writeEntry;

  private void writeEntry(String key, Object value, IndexedWrite w) {
    if (core.contains(key) || (w.skipKeysOf != null && w.skipKeysOf.containsKey(key))) {
      return;
    }
    if (w.succeeding || w.writer.getStringBuilder().length() > w.start) {
      w.writer.writeSeparator();
    }
    w.writer.writeObjectKey(key);
    if (w.context && value instanceof String s && isJsonScalar(s) && !redactor.isSecretKey(key)) {
      w.writer.writeRawString(s);
      return;
    }
    writeValue(w.writer, key, value, 0);
  }
  /** Whether the text is, as it stands, a JSON boolean or a plain JSON number (no exponent). */
  static boolean isJsonScalar(String s) {
    int n = s.length();
    if (n == 0 || n > 20) {
      return false;
    }
    char c0 = s.charAt(0);
    if (c0 == 't') {
      return "true".equals(s);
    }
    if (c0 == 'f') {
      return "false".equals(s);
    }
    int i = c0 == '-' ? 1 : 0;
    if (i == n) {
      return false;
    }
    int intDigits = 0;
    if (s.charAt(i) == '0') {
      i++;
      if (i == n) {
        return true;
      }
      if (s.charAt(i) != '.') {
        return false;
      }
      intDigits = 1;
    }
    while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      i++;
      intDigits++;
    }
    if (i == n) {
      // longer integers lose precision in many JSON readers: they stay text
      return intDigits > 0 && intDigits <= 15;
    }
    if (s.charAt(i) != '.') {
      return false;
    }
    i++;
    int fraction = 0;
    while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      i++;
      fraction++;
    }
    return i == n && intDigits > 0 && fraction > 0;
  }


  private void writeValue(JsonWriter writer, String key, Object value, int depth) {
    if (redactor.isSecretKey(key)) {
      writer.writeString(Redactor.MASK);
      return;
    }
    if (value instanceof Map<?, ?> nested && depth < 8) {
      writer.writeObjectStart();
      boolean first = true;
      for (Map.Entry<?, ?> e : nested.entrySet()) {
        if (!first) {
          writer.writeSeparator();
        }
        first = false;
        String k = String.valueOf(e.getKey());
        writer.writeObjectKey(k);
        writeValue(writer, k, e.getValue(), depth + 1);
      }
      writer.writeObjectEnd();
      return;
    }
    if (value instanceof String s && redactor.masksPatterns()) {
      writer.writeString(redactor.maskPatterns(s));
      return;
    }
    writer.writeValue(value);
  }

  /** Loop state for {@code forEach}, reused (a resolver may run on several threads at once). */
  private static final class IndexedWrite {
    JsonWriter writer;
    int start;
    boolean succeeding;
    MapMessage<?, ?> skipKeysOf;
    boolean context;

    void reset(JsonWriter writer, int start, boolean succeeding, MapMessage<?, ?> skipKeysOf, boolean context) {
      this.context = context;
      this.writer = writer;
      this.start = start;
      this.succeeding = succeeding;
      this.skipKeysOf = skipKeysOf;
    }
  }
}
