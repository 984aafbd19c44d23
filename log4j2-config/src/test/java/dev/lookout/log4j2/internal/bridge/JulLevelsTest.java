package dev.lookout.log4j2.internal.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * JUL levels follow the web application's Log4j2 configuration for the loggers it names below
 * INFO, through a real Log4j2 writing JSON: FINE records reach it, the JUL root, quieter loggers and
 * loggers with a level of their own keep theirs, a rebuilt configuration moves the levels, and
 * closing the routing gives every level back.
 */
class JulLevelsTest {

  static final ObjectMapper JSON = new ObjectMapper();

  // strong references, so that JUL keeps the levels this test looks at
  final Logger root = Logger.getLogger("");
  final Logger verbose = Logger.getLogger("julLevels.verbose");
  final Logger trace = Logger.getLogger("julLevels.trace");
  final Logger quiet = Logger.getLogger("julLevels.quiet");
  final Logger owned = Logger.getLogger("julLevels.owned");
  final Logger later = Logger.getLogger("julLevels.later");
  final Logger unnamed = Logger.getLogger("julLevels.unnamed");

  Path file;
  LoggerContext context;
  Level rootLevel;
  URI previousConfig;

  @BeforeEach
  void start() throws Exception {
    rootLevel = root.getLevel();
    owned.setLevel(Level.WARNING); // as a container's logging.properties would
    Path dir = Path.of("target", "log-tests");
    Files.createDirectories(dir);
    file = Files.createTempFile(dir, "jul-levels", ".jsonl");
    System.setProperty("t.julFile", file.toString());
    ClassLoader loader = getClass().getClassLoader();
    URI config = getClass().getResource("/jul-levels-test.xml").toURI();
    context = Configurator.initialize("jul-levels", loader, config);
    previousConfig = context.getConfigLocation();
    if (!config.equals(previousConfig)) {
      context.setConfigLocation(config); // the class loader's context already ran: reconfigure it
    }
  }

  @AfterEach
  void stop() {
    owned.setLevel(null);
    // before the property goes: a configuration that names it must not start again without it
    if (previousConfig != null) {
      context.setConfigLocation(previousConfig);
    } else {
      Configurator.shutdown(context);
    }
    System.clearProperty("t.julFile");
  }

  @Test
  void finerRecordsOfTheLoggersConfiguredBelowInfoReachLog4j2AndEveryLevelComesBack() throws Exception {
    JulRouting routing = JulRouting.install(getClass().getClassLoader());
    assertThat(routing).as("routing installed").isNotNull();
    try {
      assertThat(verbose.getLevel()).as("DEBUG in Log4j2").isEqualTo(Level.FINE);
      assertThat(trace.getLevel()).as("TRACE in Log4j2").isEqualTo(Level.FINER);
      assertThat(quiet.getLevel()).as("WARN needs nothing").isNull();
      assertThat(owned.getLevel()).as("a level someone else set").isEqualTo(Level.WARNING);
      assertThat(unnamed.getLevel()).isNull();
      assertThat(root.getLevel()).as("the JVM-wide root").isEqualTo(rootLevel);

      verbose.fine("verbose fine");
      verbose.finer("verbose finer"); // below DEBUG: JUL drops it
      trace.finer("trace finer");
      quiet.fine("quiet fine");
      owned.fine("owned fine");
      unnamed.fine("unnamed fine");
      verbose.info("verbose info");

      assertThat(messages()).containsExactly("verbose fine", "trace finer", "verbose info");
      JsonNode fine = line("verbose fine");
      assertThat(fine.path("level").asText()).isEqualTo("DEBUG");
      assertThat(fine.path("logger").asText()).isEqualTo("julLevels.verbose");
      assertThat(line("trace finer").path("level").asText()).isEqualTo("TRACE");

      // the configuration is rebuilt (as a context parameter does at startup): the levels follow it
      context.setConfigLocation(getClass().getResource("/jul-levels-changed-test.xml").toURI());
      assertThat(verbose.getLevel()).as("INFO now").isNull();
      assertThat(trace.getLevel()).as("no longer configured").isNull();
      assertThat(later.getLevel()).isEqualTo(Level.FINE);
      later.fine("later fine");
      verbose.fine("verbose fine again");
      assertThat(messages()).containsExactly("verbose fine", "trace finer", "verbose info", "later fine");
    } finally {
      routing.close();
    }
    assertThat(later.getLevel()).as("given back at undeploy").isNull();
    assertThat(verbose.getLevel()).isNull();
    assertThat(owned.getLevel()).isEqualTo(Level.WARNING);
    assertThat(root.getLevel()).isEqualTo(rootLevel);
    later.fine("after close");
    assertThat(messages()).doesNotContain("after close");
  }

  @Test
  void aLevelChangedBySomeoneElseIsNotTakenBack() throws Exception {
    JulRouting routing = JulRouting.install(getClass().getClassLoader());
    assertThat(routing).isNotNull();
    assertThat(verbose.getLevel()).isEqualTo(Level.FINE);
    verbose.setLevel(Level.ALL); // an operator's choice, made while the application ran
    try {
      routing.close();
      assertThat(verbose.getLevel()).isEqualTo(Level.ALL);
    } finally {
      verbose.setLevel(null);
    }
  }

  private List<String> messages() throws Exception {
    List<String> out = new ArrayList<>();
    for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      JsonNode n = JSON.readTree(l);
      if (n.path("logger").asText().startsWith("julLevels.")) {
        out.add(n.path("message").asText());
      }
    }
    return out;
  }

  private JsonNode line(String message) throws Exception {
    for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      JsonNode n = JSON.readTree(l);
      if (message.equals(n.path("message").asText())) {
        return n;
      }
    }
    throw new AssertionError("no line " + message + " in " + file);
  }
}
