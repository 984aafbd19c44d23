package dev.lookout.log4j2;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * The shipped {@code log4j2-lookout.xml} itself, as the context of this class loader (so that
 * SLF4J, JUL and Commons Logging reach it as in a web application), writing to a captured stdout.
 */
final class ReadyConfiguration implements AutoCloseable {

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final PrintStream original = System.out;
  private final Map<String, String> properties = new HashMap<>();
  final LoggerContext context;

  private ReadyConfiguration(Map<String, String> settings) throws Exception {
    // sampling off: every event of these tests must be written
    properties.put("lookout.log.sampling.warn-rate", "1");
    properties.put("lookout.log.sampling.info-rate", "1");
    properties.put("lookout.log.sampling.info-per-second", "0");
    properties.put("lookout.log.sampling.duplicate-window-seconds", "0");
    properties.put("lookout.log.summary-interval-seconds", "0");
    properties.putAll(settings);
    properties.forEach(System::setProperty);
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    URI config = ReadyConfiguration.class.getResource("/log4j2-lookout.xml").toURI();
    ClassLoader loader = ReadyConfiguration.class.getClassLoader();
    LoggerContext ctx = Configurator.initialize("ready", loader, config);
    if (!config.equals(ctx.getConfigLocation())) {
      ctx.setConfigLocation(config); // the class loader's context already ran: reconfigure it
    }
    this.context = ctx;
  }

  static ReadyConfiguration start(Map<String, String> settings) throws Exception {
    return new ReadyConfiguration(settings);
  }

  /** Every line written so far (nothing else may appear on stdout). */
  List<String> rawLines() {
    String text = out.toString(StandardCharsets.UTF_8);
    List<String> lines = new ArrayList<>();
    for (String l : text.split("\n", -1)) {
      if (!l.isEmpty()) {
        lines.add(l);
      }
    }
    return lines;
  }

  /** Every line, each parsed strictly as one JSON object. */
  List<JsonNode> jsonLines() throws Exception {
    List<JsonNode> nodes = new ArrayList<>();
    for (String line : rawLines()) {
      JsonNode n = LogHarness.STRICT_JSON.readTree(line);
      assertThat(n.isObject()).as(line).isTrue();
      nodes.add(n);
    }
    return nodes;
  }

  /** The one line whose {@code field} is {@code value}. */
  JsonNode line(String field, String value) throws Exception {
    List<JsonNode> found = new ArrayList<>();
    for (JsonNode n : jsonLines()) {
      if (value.equals(n.path(field).asText())) {
        found.add(n);
      }
    }
    assertThat(found).as("lines with %s=%s in %s", field, value, rawLines()).hasSize(1);
    return found.get(0);
  }

  @Override
  public void close() {
    Configurator.shutdown(context);
    System.setOut(original);
    properties.keySet().forEach(System::clearProperty);
  }
}
