package dev.lookout.log4j2;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.logging.log4j.core.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;

/** A real Log4j2 context from {@code lookout-test.xml}, writing JSON lines to a file of its own. */
final class LogHarness implements AutoCloseable {

  static final ObjectMapper STRICT_JSON =
      new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final AtomicLong COUNTER = new AtomicLong();

  final LoggerContext context;
  final Path file;
  final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  private LogHarness(LoggerContext context, Path file) {
    this.context = context;
    this.file = file;
  }

  /** Starts a context; attributes of the filter default to "everything kept, nothing limited". */
  static LogHarness start(String name, Map<String, String> overrides) throws Exception {
    return start(name, overrides, "/lookout-test.xml");
  }

  static LogHarness start(String name, Map<String, String> overrides, String configResource) throws Exception {
    Map<String, String> p = new HashMap<>();
    p.put("t.warnRate", "1");
    p.put("t.infoRate", "1");
    p.put("t.debugRate", "0");
    p.put("t.infoPerSecond", "0");
    p.put("t.duplicateWindowSeconds", "0");
    p.put("t.requestBufferBytes", "0");
    p.put("t.totalBufferBytes", "0");
    p.putAll(overrides);
    Path dir = Path.of("target", "log-tests");
    Files.createDirectories(dir);
    Path file = dir.resolve(name + "-" + COUNTER.incrementAndGet() + ".jsonl");
    p.put("t.file", file.toString());
    p.forEach(System::setProperty);
    URI config = LogHarness.class.getResource(configResource).toURI();
    LoggerContext ctx = Configurator.initialize(name + COUNTER.get(), LogHarness.class.getClassLoader(), config);
    LogHarness h = new LogHarness(ctx, file);
    if (ctx.getConfiguration().getFilter() instanceof LookoutSamplingFilter f) {
      f.setNanoClock(h.nanos::get);
    }
    return h;
  }

  LookoutSamplingFilter filter() {
    return (LookoutSamplingFilter) context.getConfiguration().getFilter();
  }

  Logger logger(String name) {
    return context.getLogger(name);
  }

  /** Every line written, each parsed as one JSON object with no duplicate keys. */
  List<JsonNode> lines() throws Exception {
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      JsonNode n = STRICT_JSON.readTree(line);
      assertThat(n.isObject()).as(line).isTrue();
      out.add(n);
    }
    return out;
  }

  @Override
  public void close() {
    Configurator.shutdown(context);
  }
}
