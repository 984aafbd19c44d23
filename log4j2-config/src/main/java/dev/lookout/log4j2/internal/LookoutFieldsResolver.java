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
 */
final class LookoutFieldsResolver implements EventResolver {

  /** Names the template writes itself; a field of the same name is skipped. */
  static final Set<String> CORE =
      Set.of(
          "@timestamp", "level", "logger", "thread", "message", "service", "error",
          ContextKeys.REQUEST_ID, ContextKeys.CORRELATION_ID, ContextKeys.TRACE_ID, ContextKeys.SPAN_ID,
          ContextKeys.TRACE_FLAGS);

  private final Redactor redactor;

  LookoutFieldsResolver(Redactor redactor) {
    this.redactor = redactor;
  }

  @Override
  public boolean isFlattening() {
    return true;
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
    StringBuilder sb = writer.getStringBuilder();
    int start = sb.length();
    Message m = event.getMessage();
    MapMessage<?, ?> map = m instanceof MapMessage<?, ?> mm ? mm : null;
    IndexedWrite w = WRITES.get();
    if (w.writer != null) {
      w = new IndexedWrite(); // a value's toString() logged while we were writing: don't share
    }
    try {
      if (map != null) {
        w.reset(writer, start, succeedingEntry, null);
        map.getIndexedReadOnlyStringMap().forEach(writeEntry, w);
      }
      ReadOnlyStringMap ctx = event.getContextData();
      if (ctx != null && !ctx.isEmpty()) {
        w.reset(writer, start, succeedingEntry, map);
        ctx.forEach(writeEntry, w);
      }
    } finally {
      w.reset(null, 0, false, null); // hold no writer between events
    }
  }

  /** One loop state per thread and one bound method per resolver: nothing allocated per event. */
  private static final ThreadLocal<IndexedWrite> WRITES = ThreadLocal.withInitial(IndexedWrite::new);

  private final org.apache.logging.log4j.util.TriConsumer<String, Object, IndexedWrite> writeEntry = this::writeEntry;

  private void writeEntry(String key, Object value, IndexedWrite w) {
    if (CORE.contains(key) || (w.skipKeysOf != null && w.skipKeysOf.containsKey(key))) {
      return;
    }
    if (w.succeeding || w.writer.getStringBuilder().length() > w.start) {
      w.writer.writeSeparator();
    }
    w.writer.writeObjectKey(key);
    writeValue(w.writer, key, value, 0);
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

    void reset(JsonWriter writer, int start, boolean succeeding, MapMessage<?, ?> skipKeysOf) {
      this.writer = writer;
      this.start = start;
      this.succeeding = succeeding;
      this.skipKeysOf = skipKeysOf;
    }
  }
}
