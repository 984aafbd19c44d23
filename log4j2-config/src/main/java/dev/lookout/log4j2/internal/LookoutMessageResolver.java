package dev.lookout.log4j2.internal;

import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.layout.template.json.resolver.EventResolver;
import org.apache.logging.log4j.layout.template.json.util.JsonWriter;
import org.apache.logging.log4j.message.MapMessage;
import org.apache.logging.log4j.message.Message;

/**
 * The {@code message} field: the formatted message as one JSON string (newlines escaped, so a
 * message can never start a second line); for a {@link MapMessage}, its {@code message} or {@code
 * event} entry, the fields themselves being written at the top level. Internal.
 */
final class LookoutMessageResolver implements EventResolver {

  private final Redactor redactor;

  LookoutMessageResolver(Redactor redactor) {
    this.redactor = redactor;
  }

  @Override
  public void resolve(LogEvent event, JsonWriter writer) {
    Message m = event.getMessage();
    String text;
    if (m instanceof MapMessage<?, ?> map) {
      String explicit = map.get("message");
      text = explicit != null ? explicit : map.get("event");
      if (text == null) {
        text = redactor.mapText(map);
      }
    } else {
      text = m == null ? "" : m.getFormattedMessage();
    }
    if (redactor.masksPatterns()) {
      text = redactor.maskPatterns(text);
    }
    writer.writeString(text);
  }
}
