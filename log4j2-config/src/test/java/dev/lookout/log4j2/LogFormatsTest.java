package dev.lookout.log4j2;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lookout.log4j2.internal.bridge.JulRouting;
import java.util.Map;
import java.util.logging.Level;
import org.apache.commons.logging.LogFactory;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.message.MapMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Each format of the ready configuration, fed by each logging API (Log4j, SLF4J 2's fluent API,
 * java.util.logging through the bridge, Commons Logging): the field names its consumers expect,
 * typed values, request fields and redaction.
 */
class LogFormatsTest {

  @AfterEach
  void clear() {
    ThreadContext.clearAll();
  }

  /** One event from each API inside a "request", and an exception. */
  private static void logFromEveryApi() {
    ThreadContext.put("request_id", "req-1");
    ThreadContext.put("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736");
    ThreadContext.put("span_id", "00f067aa0ba902b7");
    ThreadContext.put("trace_flags", "01");
    LogManager.getLogger("app.Log4j")
        .info(new MapMessage<>().with("message", "log4j_event").with("quantity", 3).with("paid", true)
            .with("amount", 12.5).with("password", "hunter2"));
    LoggerFactory.getLogger("app.Slf4j").atInfo().setMessage("slf4j_event").addKeyValue("order_id", 42L)
        .addKeyValue("quantity", 3).addKeyValue("gift", false).addKeyValue("sku", "007")
        .addKeyValue("api_token", "s3cr3t").log();
    JulRouting jul = JulRouting.install(Thread.currentThread().getContextClassLoader());
    assertThat(jul).as("JUL routing installed").isNotNull();
    try {
      java.util.logging.Logger.getLogger("app.Jul").log(Level.WARNING, "jul_event",
          new IllegalStateException("jul boom"));
    } finally {
      jul.close();
    }
    LogFactory.getLog("app.Jcl").info("jcl_event");
    LogManager.getLogger("app.Log4j").error("failed_event", new IllegalArgumentException("boom", new RuntimeException("root")));
  }

  @Test
  void jsonIsLookoutsTemplate() throws Exception {
    try (ReadyConfiguration c = ReadyConfiguration.start(Map.of("lookout.log.format", "json"))) {
      logFromEveryApi();
      JsonNode log4j = c.line("message", "log4j_event");
      assertThat(log4j.path("level").asText()).isEqualTo("INFO");
      assertThat(log4j.path("request_id").asText()).isEqualTo("req-1");
      assertThat(log4j.path("trace_id").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
      assertTyped(log4j, "quantity", 3);
      assertThat(log4j.path("paid").isBoolean()).isTrue();
      assertThat(log4j.path("amount").isNumber()).isTrue();
      assertThat(log4j.path("password").asText()).isEqualTo("[REDACTED]");

      JsonNode slf4j = c.line("message", "slf4j_event");
      assertThat(slf4j.path("logger").asText()).isEqualTo("app.Slf4j");
      assertThat(slf4j.path("request_id").asText()).isEqualTo("req-1");
      assertTyped(slf4j, "order_id", 42);
      assertTyped(slf4j, "quantity", 3);
      assertThat(slf4j.path("gift").isBoolean()).isTrue();
      assertThat(slf4j.path("gift").booleanValue()).isFalse();
      assertThat(slf4j.path("sku").isTextual()).as("a leading zero stays text").isTrue();
      assertThat(slf4j.path("sku").asText()).isEqualTo("007");
      assertThat(slf4j.path("api_token").asText()).isEqualTo("[REDACTED]");

      JsonNode jul = c.line("message", "jul_event");
      assertThat(jul.path("level").asText()).isEqualTo("WARN");
      assertThat(jul.path("logger").asText()).isEqualTo("app.Jul");
      assertThat(jul.path("request_id").asText()).isEqualTo("req-1");
      assertThat(jul.path("error").path("type").asText()).isEqualTo("java.lang.IllegalStateException");
      assertThat(jul.path("error").path("stack_trace").asText()).contains("jul boom").contains("\n\tat ");

      JsonNode jcl = c.line("message", "jcl_event");
      assertThat(jcl.path("logger").asText()).isEqualTo("app.Jcl");
      assertThat(jcl.path("request_id").asText()).isEqualTo("req-1");

      JsonNode failed = c.line("message", "failed_event");
      assertThat(failed.path("level").asText()).isEqualTo("ERROR");
      assertThat(failed.path("error").path("stack_trace").asText()).contains("boom").contains("Caused by: java.lang.RuntimeException: root");
    }
  }

  @Test
  void ecsHasTheFieldsElasticExpects() throws Exception {
    try (ReadyConfiguration c = ReadyConfiguration.start(Map.of("lookout.log.format", "ecs", "lookout.service.name", "orders"))) {
      logFromEveryApi();
      for (JsonNode n : c.jsonLines()) {
        assertThat(n.path("@timestamp").asText()).as(n.toString()).isNotEmpty();
        assertThat(n.path("log.level").asText()).isNotEmpty();
        assertThat(n.path("log.logger").asText()).isNotEmpty();
        assertThat(n.path("ecs.version").asText()).isNotEmpty();
        assertThat(n.path("service.name").asText()).isEqualTo("orders");
        assertThat(n.path("trace.id").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(n.path("span.id").asText()).isEqualTo("00f067aa0ba902b7");
        assertThat(n.path("http.request.id").asText()).isEqualTo("req-1");
        assertThat(n.has("trace_id")).as("no duplicate of trace.id").isFalse();
      }
      JsonNode log4j = c.line("message", "log4j_event");
      assertTyped(log4j, "quantity", 3);
      assertThat(log4j.path("password").asText()).isEqualTo("[REDACTED]");
      JsonNode slf4j = c.line("message", "slf4j_event");
      assertTyped(slf4j, "quantity", 3);
      assertThat(slf4j.path("api_token").asText()).isEqualTo("[REDACTED]");
      JsonNode failed = c.line("message", "failed_event");
      assertThat(failed.path("log.level").asText()).isEqualTo("ERROR");
      assertThat(failed.path("error.type").asText()).isEqualTo("java.lang.IllegalArgumentException");
      assertThat(failed.path("error.stack_trace").asText()).contains("Caused by: java.lang.RuntimeException: root");
      assertThat(c.line("message", "jul_event").path("error.message").asText()).isEqualTo("jul boom");
    }
  }

  @Test
  void gcpHasTheFieldsCloudLoggingExpects() throws Exception {
    try (ReadyConfiguration c = ReadyConfiguration.start(Map.of("lookout.log.format", "gcp", "lookout.service.name", "orders"))) {
      logFromEveryApi();
      for (JsonNode n : c.jsonLines()) {
        assertThat(n.path("severity").asText()).as(n.toString()).isIn("INFO", "WARNING", "ERROR");
        assertThat(n.path("timestampSeconds").isNumber()).isTrue();
        assertThat(n.path("logging.googleapis.com/trace").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(n.path("logging.googleapis.com/spanId").asText()).isEqualTo("00f067aa0ba902b7");
        assertThat(n.path("serviceContext").path("service").asText()).isEqualTo("orders");
        assertThat(n.path("request_id").asText()).isEqualTo("req-1");
      }
      assertThat(c.line("message", "jul_event").path("severity").asText()).isEqualTo("WARNING");
      JsonNode failed = c.line("message", "failed_event");
      assertThat(failed.path("severity").asText()).isEqualTo("ERROR");
      assertThat(failed.path("exception").asText()).contains("IllegalArgumentException: boom");
      JsonNode slf4j = c.line("message", "slf4j_event");
      assertTyped(slf4j, "quantity", 3);
      assertThat(slf4j.path("api_token").asText()).isEqualTo("[REDACTED]");
      assertThat(c.line("message", "log4j_event").path("password").asText()).isEqualTo("[REDACTED]");
    }
  }

  @Test
  void logstashHasTheFieldsItsJsonEventV1Expects() throws Exception {
    try (ReadyConfiguration c = ReadyConfiguration.start(Map.of("lookout.log.format", "logstash"))) {
      logFromEveryApi();
      for (JsonNode n : c.jsonLines()) {
        assertThat(n.path("@version").asInt()).as(n.toString()).isEqualTo(1);
        assertThat(n.path("@timestamp").asText()).isNotEmpty();
        assertThat(n.path("logger_name").asText()).isNotEmpty();
        assertThat(n.path("thread_name").asText()).isNotEmpty();
        assertThat(n.path("mdc").path("request_id").asText()).isEqualTo("req-1");
        assertThat(n.path("mdc").path("trace_id").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
      }
      JsonNode failed = c.line("message", "failed_event");
      assertThat(failed.path("level").asText()).isEqualTo("ERROR");
      assertThat(failed.path("exception").path("exception_class").asText()).isEqualTo("java.lang.IllegalArgumentException");
      assertThat(failed.path("exception").path("stacktrace").asText()).contains("Caused by");
      JsonNode slf4j = c.line("message", "slf4j_event");
      assertTyped(slf4j.path("mdc"), "quantity", 3);
      assertThat(slf4j.path("mdc").path("api_token").asText()).isEqualTo("[REDACTED]");
      JsonNode log4j = c.line("message", "log4j_event");
      assertTyped(log4j.path("mdc"), "quantity", 3);
      assertThat(log4j.path("mdc").path("password").asText()).isEqualTo("[REDACTED]");
    }
  }

  @Test
  void consoleIsReadableLines() throws Exception {
    try (ReadyConfiguration c = ReadyConfiguration.start(Map.of("lookout.log.format", "console"))) {
      LogManager.getLogger("app.Console").info("hello\nforged");
      assertThat(c.rawLines()).hasSize(1);
      assertThat(c.rawLines().get(0)).contains("INFO").contains("hello\\nforged").doesNotStartWith("{");
    }
  }

  private static void assertTyped(JsonNode n, String field, long expected) {
    assertThat(n.path(field).isIntegralNumber()).as("%s is a JSON number in %s", field, n).isTrue();
    assertThat(n.path(field).asLong()).isEqualTo(expected);
  }
}
