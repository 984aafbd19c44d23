package dev.lookout.log4j2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lookout.filters.internal.config.Setting;
import dev.lookout.log4j2.internal.LogSettings;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One settings model across modules: the settings this module reads are lookout-filters' settings,
 * with the same defaults, and the ready configuration honours them from the environment.
 */
class SettingsAcrossModulesTest {

  @Test
  void everySettingReadHereIsDefinedInLookoutFiltersWithTheSameDefault() {
    Map<String, Setting> all = Setting.all();
    for (Map.Entry<String, String> e : LogSettings.DEFAULTS.entrySet()) {
      assertThat(all).as("defined in lookout-filters' Settings").containsKey(e.getKey());
      assertThat(e.getValue()).as("default of %s", e.getKey()).isEqualTo(all.get(e.getKey()).defaultValue());
    }
    for (String name : all.keySet()) {
      if (name.startsWith("lookout.log.") && !name.startsWith("lookout.log.force-")) {
        assertThat(LogSettings.DEFAULTS).as("read by lookout-log4j2").containsKey(name);
      }
    }
  }

  @Test
  void theContextKeysReadHereAreTheOnesTheContractDocuments() throws Exception {
    String contracts = Files.readString(Path.of("..", "docs", "contracts.md"));
    String section = contracts.substring(contracts.indexOf("## Log context keys"));
    section = section.substring(0, section.indexOf("\n## ", 5));
    for (String key : dev.lookout.log4j2.internal.ContextKeys.ALL) {
      assertThat(section).as("docs/contracts.md, log context keys").contains("`" + key + "`");
    }
    assertThat(dev.lookout.log4j2.internal.ContextKeys.ALL).containsExactly(dev.lookout.filters.internal.pipeline.LogContext.KEYS);
  }

  @Test
  void theReadyConfigurationTakesFormatAndLevelFromLookoutsVariables() throws Exception {
    List<String> console = run(Map.of("LOOKOUT_LOG_FORMAT", "console", "LOOKOUT_LOG_LEVEL", "WARN"));
    assertThat(console).anyMatch(l -> l.contains("WARN") && l.contains("a warn line"));
    assertThat(console).noneMatch(l -> l.contains("an info line"));
    assertThat(console).noneMatch(l -> l.startsWith("{"));

    List<String> json = run(Map.of("LOOKOUT_LOG_LEVEL", "DEBUG", "LOOKOUT_LOG_SAMPLING_DEBUG_RATE", "1"));
    assertThat(json).filteredOn(l -> l.startsWith("{")).hasSize(3);
  }

  @Test
  void aValueLookoutFiltersResolvedFromAContextParameterRebuildsTheConfiguration() throws Exception {
    try (LogHarness h = LogHarness.start("handover", Map.of("t.debugRate", "1"), "/lookout-level-test.xml")) {
      org.apache.logging.log4j.Logger log = org.apache.logging.log4j.LogManager.getLogger("app");
      log.debug("not yet");
      RequestLogHooks.settingsLoaded(Map.of("lookout.log.level", "DEBUG"));
      org.apache.logging.log4j.LogManager.getLogger("app").debug("now at debug");
      assertThat(h.lines()).extracting(n -> n.path("message").asText()).containsExactly("now at debug");
    } finally {
      RequestLogHooks.settingsLoaded(Map.of());
    }
  }

  @Test
  void theOldVariableStillWorksWithAWarning() throws Exception {
    List<String> out = run(Map.of("LOG_FORMAT", "console"));
    assertThat(out).anyMatch(l -> l.contains("a warn line") && !l.startsWith("{"));
    assertThat(out).anyMatch(l -> l.contains("LOG_FORMAT is deprecated"));
  }

  /** stdout and stderr of {@link ReadyConfigurationMain} in a new JVM with these variables. */
  private static List<String> run(Map<String, String> env) throws Exception {
    Path out = Files.createTempFile("ready-config", ".log");
    ProcessBuilder pb =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            "-Dlog4j2.configurationFile=log4j2-lookout.xml",
            ReadyConfigurationMain.class.getName());
    pb.environment().keySet().removeIf(k -> k.startsWith("LOOKOUT_") || k.equals("LOG_FORMAT") || k.equals("LOG_LEVEL"));
    // every line kept, so that what is seen depends on format and level only
    pb.environment().put("LOOKOUT_LOG_SAMPLING_WARN_RATE", "1");
    pb.environment().put("LOOKOUT_LOG_SAMPLING_INFO_RATE", "1");
    pb.environment().putAll(env);
    pb.redirectErrorStream(true).redirectOutput(out.toFile());
    Process p = pb.start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
    List<String> lines = new ArrayList<>(Files.readAllLines(out, StandardCharsets.UTF_8));
    Files.deleteIfExists(out);
    assertThat(p.exitValue()).as(String.join(File.separator.equals("/") ? "\n" : "\r\n", lines)).isZero();
    return lines;
  }
}
