package dev.lookout.jdbc;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;
import org.apache.logging.log4j.message.MapMessage;

/** Every event Log4j2 logs, kept in memory for assertions. */
final class LogCapture {

  static final List<LogEvent> EVENTS = new CopyOnWriteArrayList<>();
  private static boolean installed;

  private LogCapture() {}

  static synchronized void install() {
    if (installed) {
      return;
    }
    installed = true;
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    AbstractAppender capture =
        new AbstractAppender("capture-jdbc", null, null, true, Property.EMPTY_ARRAY) {
          @Override
          public void append(LogEvent event) {
            EVENTS.add(event.toImmutable());
          }
        };
    capture.start();
    ctx.getConfiguration().addAppender(capture);
    ctx.getConfiguration().getRootLogger().addAppender(capture, null, null);
    ctx.updateLoggers();
  }

  /** The structured fields of the events whose {@code event} field is this name. */
  static List<Map<String, String>> events(String name) {
    return EVENTS.stream()
        .filter(e -> e.getMessage() instanceof MapMessage<?, ?> m && name.equals(m.get("event")))
        .map(e -> ((MapMessage<?, ?>) e.getMessage()).getData())
        .map(d -> {
          java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
          d.forEach((k, v) -> out.put(String.valueOf(k), String.valueOf(v)));
          return out;
        })
        .toList();
  }

  static List<LogEvent> raw(String name) {
    return EVENTS.stream()
        .filter(e -> e.getMessage() instanceof MapMessage<?, ?> m && name.equals(m.get("event")))
        .toList();
  }
}
