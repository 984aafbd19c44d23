package dev.lookout.log4j2;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.Logger;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.message.MapMessage;
import org.apache.logging.log4j.message.StringMapMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JsonLayoutTest {

  @AfterEach
  void clear() {
    ThreadContext.clearAll();
    System.clearProperty("lookout.log.redact-patterns");
  }

  @Test
  void coreFieldsAreThereAndMissingValuesAreOmitted() throws Exception {
    try (LogHarness h = LogHarness.start("core", Map.of())) {
      ThreadContext.put("request_id", "r-1");
      ThreadContext.put("correlation_id", "c-1");
      h.logger("app.Orders").info("order {} created", 42);
      ThreadContext.clearMap();
      h.logger("app.Orders").warn("no request here");
      List<JsonNode> lines = h.lines();
      JsonNode first = lines.get(0);
      assertThat(first.path("@timestamp").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
      assertThat(first.path("level").asText()).isEqualTo("INFO");
      assertThat(first.path("logger").asText()).isEqualTo("app.Orders");
      assertThat(first.path("thread").asText()).isNotEmpty();
      assertThat(first.path("message").asText()).isEqualTo("order 42 created");
      assertThat(first.path("request_id").asText()).isEqualTo("r-1");
      assertThat(first.path("correlation_id").asText()).isEqualTo("c-1");
      JsonNode second = lines.get(1);
      assertThat(second.has("request_id")).isFalse();
      assertThat(second.has("trace_id")).isFalse();
      assertThat(second.has("error")).isFalse();
      for (JsonNode n : lines) {
        assertNoNulls(n);
      }
    }
  }

  @Test
  void structuredFieldsAreTopLevelAndNeverOverwriteCoreFields() throws Exception {
    try (LogHarness h = LogHarness.start("fields", Map.of())) {
      ThreadContext.put("request_id", "r-2");
      ThreadContext.put("tenant", "acme");
      ThreadContext.put("level", "FATAL"); // hostile: must not replace the real level
      h.logger("lookout.access")
          .info(
              new StringMapMessage()
                  .with("event", "request_completed")
                  .with("status", "200")
                  .with("endpoint", "/api/orders/{id}")
                  .with("message", "done")
                  .with("logger", "evil")
                  .with("@timestamp", "1970"));
      JsonNode n = h.lines().get(0); // strict parsing: a duplicate key fails here
      assertThat(n.path("event").asText()).isEqualTo("request_completed");
      assertThat(n.path("endpoint").asText()).isEqualTo("/api/orders/{id}");
      assertThat(n.path("tenant").asText()).isEqualTo("acme");
      assertThat(n.path("level").asText()).isEqualTo("INFO");
      assertThat(n.path("logger").asText()).isEqualTo("lookout.access");
      assertThat(n.path("@timestamp").asText()).isNotEqualTo("1970");
      assertThat(n.path("message").asText()).isEqualTo("done");
    }
  }

  @Test
  void aMessageCannotForgeASecondLine() throws Exception {
    try (LogHarness h = LogHarness.start("newline", Map.of())) {
      h.logger("app").info("user said: hello\n{\"level\":\"ERROR\",\"message\":\"forged\"}\r\nbye");
      List<String> raw = Files.readAllLines(h.file, StandardCharsets.UTF_8);
      assertThat(raw).hasSize(1);
      JsonNode n = h.lines().get(0);
      assertThat(n.path("level").asText()).isEqualTo("INFO");
      assertThat(n.path("message").asText()).contains("\n{\"level\":\"ERROR\"");
    }
  }

  @Test
  void secretsAreRedactedInEverySourceOfFields() throws Exception {
    try (LogHarness h = LogHarness.start("redact", Map.of())) {
      ThreadContext.put("request_id", "r-3");
      ThreadContext.put("X-Api-Key", "ctx-SECRET");
      ThreadContext.put("session_id", "sess-SECRET");
      MapMessage<?, Object> m = new MapMessage<>();
      m.with("user", "ann");
      m.with("password", "map-SECRET");
      m.with("Authorization", "Bearer map-SECRET-2");
      m.with("nested", Map.of("db", Map.of("user.Password", "nested-SECRET", "host", "db1")));
      h.logger("app").info(m);
      String raw = Files.readString(h.file);
      assertThat(raw).doesNotContain("SECRET");
      JsonNode n = h.lines().get(0);
      assertThat(n.path("password").asText()).isEqualTo("[REDACTED]");
      assertThat(n.path("Authorization").asText()).isEqualTo("[REDACTED]");
      assertThat(n.path("X-Api-Key").asText()).isEqualTo("[REDACTED]");
      assertThat(n.path("session_id").asText()).isEqualTo("[REDACTED]");
      assertThat(n.path("nested").path("db").path("user.Password").asText()).isEqualTo("[REDACTED]");
      assertThat(n.path("nested").path("db").path("host").asText()).isEqualTo("db1");
      assertThat(n.path("user").asText()).isEqualTo("ann");
    }
  }

  @Test
  void slf4jKeyValuesAreFieldsAndRedactedToo() throws Exception {
    // SLF4J resolves the default context: point it at the test configuration through the harness file
    try (LogHarness h = LogHarness.start("slf4j", Map.of())) {
      org.apache.logging.log4j.core.config.Configurator.reconfigure(
          LogHarness.class.getResource("/lookout-test.xml").toURI());
      org.slf4j.LoggerFactory.getLogger("slf4j.app")
          .atInfo()
          .addKeyValue("order_id", "o-7")
          .addKeyValue("api_key", "kv-SECRET")
          .log("created via slf4j");
      org.apache.logging.log4j.core.config.Configurator.shutdown(
          (org.apache.logging.log4j.core.LoggerContext) org.apache.logging.log4j.LogManager.getContext(false));
      JsonNode n =
          h.lines().stream()
              .filter(x -> x.path("message").asText().equals("created via slf4j"))
              .findFirst()
              .orElseThrow();
      assertThat(n.path("order_id").asText()).isEqualTo("o-7");
      assertThat(n.path("api_key").asText()).isEqualTo("[REDACTED]");
      assertThat(Files.readString(h.file)).doesNotContain("kv-SECRET");
    }
  }

  @Test
  void valuePatternsInMessagesAreMaskedWhenAskedFor() throws Exception {
    System.setProperty("lookout.log.redact-patterns", "true");
    try (LogHarness h = LogHarness.start("patterns", Map.of())) {
      Logger log = h.logger("app");
      log.info("calling with Authorization: Bearer abcdefghijklmnop123");
      log.info("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl here");
      log.info("card 4111 1111 1111 1111 and order 1234567890123");
      String raw = Files.readString(h.file);
      assertThat(raw).doesNotContain("abcdefghijklmnop123", "eyJhbGciOiJIUzI1NiJ9", "4111 1111 1111 1111");
      assertThat(raw).contains("order 1234567890123"); // not a valid card number (Luhn)
    }
  }

  @Test
  void readyConfigurationLoadsJsonByDefaultAndConsoleOnRequest() throws Exception {
    org.apache.logging.log4j.core.LoggerContext json =
        org.apache.logging.log4j.core.config.Configurator.initialize(
            "ready-json", getClass().getClassLoader(), getClass().getResource("/log4j2-lookout.xml").toURI());
    try {
      assertThat(json.getConfiguration().getFilter()).isInstanceOf(LookoutSamplingFilter.class);
      assertThat(json.getConfiguration().getAppender("out").getLayout().getClass().getSimpleName())
          .isEqualTo("JsonTemplateLayout");
      assertThat(json.getConfiguration().getLoggerConfig("org.eclipse.jetty").getLevel().name()).isEqualTo("WARN");
    } finally {
      org.apache.logging.log4j.core.config.Configurator.shutdown(json);
    }
    System.setProperty("lookout.log.format", "console");
    try {
      org.apache.logging.log4j.core.LoggerContext console =
          org.apache.logging.log4j.core.config.Configurator.initialize(
              "ready-console", getClass().getClassLoader(), getClass().getResource("/log4j2-lookout.xml").toURI());
      try {
        assertThat(console.getConfiguration().getAppender("out").getLayout().getClass().getSimpleName())
            .isEqualTo("PatternLayout");
      } finally {
        org.apache.logging.log4j.core.config.Configurator.shutdown(console);
      }
    } finally {
      System.clearProperty("lookout.log.format");
    }
  }

  @Test
  void pluginsAreRegisteredByTheAnnotationProcessor() throws Exception {
    try (var in =
        LookoutSamplingFilter.class
            .getClassLoader()
            .getResourceAsStream("META-INF/org/apache/logging/log4j/core/config/plugins/Log4j2Plugins.dat")) {
      assertThat(in).isNotNull();
      String dat = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      assertThat(dat)
          .contains("dev.lookout.log4j2.LookoutSamplingFilter")
          .contains("LookoutFieldsResolverFactory")
          .contains("LookoutMessageResolverFactory")
          .contains("LookoutServiceResolverFactory");
    }
  }

  private static void assertNoNulls(JsonNode n) {
    assertThat(n.isNull()).isFalse();
    for (Iterator<JsonNode> it = n.elements(); it.hasNext(); ) {
      assertNoNulls(it.next());
    }
  }
}
